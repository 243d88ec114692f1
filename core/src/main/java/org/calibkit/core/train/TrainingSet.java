package org.calibkit.core.train;

import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.Preprocessing;

/** What both trainers do first with their training set: refuse an empty one and fit the standardisation on it. */
final class TrainingSet {
    private TrainingSet() {
    }

    /**
     * The preprocessing standardised on {@code train}.
     *
     * @throws CalibkitException when {@code train} is empty
     */
    static Preprocessing standardized(ImageSet train, Consumer<String> log) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(log, "log");
        if (train.size() == 0) {
            throw new CalibkitException("training set " + train.describe() + " is empty");
        }
        return Preprocessing.standardizedFrom(train);
    }
}
