package org.calibkit.examples.bench.audit;

import java.util.Locale;

import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.CnnOptions;
import org.calibkit.core.train.CnnTrainer;

/**
 * Trains the demo's CNN on MNIST with a given schedule and prints its test accuracy and time,
 * to choose the demo's epochs (issue 16: >= 99.0% test accuracy in as few epochs as possible).
 * Not a test. Arguments: EPOCHS LEARNING_RATE LR_DECAY [BATCH].
 */
public final class DemoSchedule {
    private DemoSchedule() {
    }

    /** Runs one training. */
    public static void main(String[] args) {
        CnnOptions o = CnnOptions.defaults().withEpochs(Integer.parseInt(args[0]))
                .withLearningRate(Float.parseFloat(args[1])).withLrDecay(Float.parseFloat(args[2]))
                .withBatch(args.length > 3 ? Integer.parseInt(args[3]) : 64).withSeed(1);
        ImageSet train = DataCatalog.load("mnist", "train", null);
        ImageSet validation = DataCatalog.load("mnist", "validation", null);
        ImageSet test = DataCatalog.load("mnist", "test", null);
        try (ModelBundle b = new CnnTrainer(o).train(train, validation, line -> {
            if (line.contains("done in")) {
                System.out.println(line);
            }
        })) {
            System.out.printf(Locale.ROOT, "schedule %s: test accuracy %.4f, %.1f s training%n", o,
                    CalibrationMetrics.accuracy(b.logits(test), test.labels()), b.metrics().get("train_seconds"));
        }
    }
}
