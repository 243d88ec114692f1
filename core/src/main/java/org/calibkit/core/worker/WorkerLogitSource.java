package org.calibkit.core.worker;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;

/**
 * A model running in a {@link ModelWorker}, seen as a {@link LogitSource}: class names, head and
 * preprocessing as the worker reported them when it opened the model; logits computed in the
 * child and copied back. Closing it stops the worker.
 */
public final class WorkerLogitSource implements LogitSource, AutoCloseable {
    private final ModelWorker worker;
    private final String model;
    private final List<String> classNames;
    private final Head head;
    private final Preprocessing preprocessing;
    private final boolean checkRange;

    /**
     * @param model         how messages name the model (its path)
     * @param preprocessing the model's own input preprocessing, or null when it has none known
     */
    public WorkerLogitSource(ModelWorker worker, String model, List<String> classNames, Head head, Preprocessing preprocessing) {
        this(worker, model, classNames, head, preprocessing, true);
    }

    private WorkerLogitSource(ModelWorker worker, String model, List<String> classNames, Head head, Preprocessing preprocessing,
                              boolean checkRange) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.model = Objects.requireNonNull(model, "model");
        this.classNames = List.copyOf(classNames);
        this.head = Objects.requireNonNull(head, "head");
        this.preprocessing = preprocessing;
        this.checkRange = checkRange;
    }

    @Override public List<String> classNames() { return classNames; }
    @Override public Head head() { return head; }
    @Override public Optional<Preprocessing> inputPreprocessing() { return Optional.ofNullable(preprocessing); }

    @Override
    public Logits logits(ImageSet images) {
        return worker.logits(images, checkRange, classNames.size(), "computing logits of " + model);
    }

    /** The same worker, its pixel-range guard switched off. */
    @Override
    public LogitSource withoutRangeCheck() {
        return new WorkerLogitSource(worker, model, classNames, head, preprocessing, false);
    }

    /** Stops the worker. */
    @Override
    public void close() {
        worker.close();
    }

    @Override
    public String toString() {
        return model + " (in a worker process)";
    }
}
