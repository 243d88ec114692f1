package org.calibkit.examples;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.Availability;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;

/**
 * SVHN (32x32 colour house numbers) when its files are on this machine: softmax regression,
 * temperature scaling on the validation split, test metrics before and after. SVHN is never
 * downloaded here: without {@code train_32x32.mat} and {@code test_32x32.mat} in
 * {@code ~/.cache/calibkit/svhn/} (or {@code DIR/svhn/} with {@code CALIBKIT_DATA_DIR=DIR}; see
 * docs/data.md) the example prints where to put them and is skipped. Run:
 * {@code java -cp ... org.calibkit.examples.SvhnExample [DATASET]} ({@code synthetic-svhn} runs the
 * same code on calibkit's generated stand-in).
 */
public final class SvhnExample extends NamedExample<SvhnExample.Result> {
    /**
     * What one run found.
     *
     * @param skipReason  why it did not run (the data is not here), or null
     * @param temperature the fitted temperature (null when skipped)
     * @param before     test metrics before calibration (null when skipped)
     * @param after      after temperature scaling (null when skipped)
     */
    public record Result(String skipReason, TemperatureMap temperature, MetricSummary before, MetricSummary after) {
        /** True when the data was not here. */
        public boolean skipped() {
            return skipReason != null;
        }
    }

    private final String dataset;

    /** Real SVHN. */
    public SvhnExample() {
        this("svhn");
    }

    /** {@code svhn}, or another data set with SVHN's layout ({@code synthetic-svhn}). */
    public SvhnExample(String dataset) {
        super("svhn", "SVHN when its files are present (skipped with where to put them otherwise)");
        this.dataset = dataset;
    }

    @Override
    public Result run(Setup setup) {
        // availability() only looks at the disk: nothing is downloaded to decide
        Availability here = DataCatalog.get(dataset).availability(DataLocations.defaults(setup.dataDir()));
        if (!here.available()) {
            String reason = dataset + " is not on this machine: " + here.hint();
            setup.out().println("skipped: " + reason);
            return new Result(reason, null, null, null);
        }
        ImageSet train = DataCatalog.load(dataset, "train", setup.dataDir()).limit(setup.trainImages());
        ImageSet validation = DataCatalog.load(dataset, "validation", setup.dataDir());
        ImageSet test = DataCatalog.load(dataset, "test", setup.dataDir()).limit(setup.testImages());
        try (ModelBundle model = LogisticTrainer.defaults(1).train(train, validation, setup.out()::println)) {
            Logits validationLogits = model.logits(validation);
            Logits testLogits = model.logits(test);
            TemperatureMap t = new TemperatureScaling().fit(validationLogits, validation.labels());
            MetricSummary before = CalibrationMetrics.summary(testLogits, test.labels(), 15);
            MetricSummary after = CalibrationMetrics.summary(t.calibratedLogits(testLogits), test.labels(), 15);
            setup.out().printf("%s: %d training, %d validation, %d test images; temperature %.3f%n", dataset, train.size(),
                    validation.size(), test.size(), t.temperature());
            setup.out().printf("test accuracy %.4f, ECE %.4f -> %.4f, NLL %.4f -> %.4f%n", before.accuracy(), before.ece(),
                    after.ece(), before.nll(), after.nll());
            return new Result(null, t, before, after);
        }
    }

    public static void main(String[] args) {
        Examples.runFull(new SvhnExample(args.length > 0 ? args[0] : "svhn"));
    }
}
