package org.calibkit.examples;

import java.io.PrintStream;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;

/**
 * The whole chain as a user writes it: MNIST from the catalog, softmax regression through
 * Tribuo, raw logits from the bundle, temperature scaling (Guo et al. 2017) fitted on the
 * validation split (never the test set), and the calibration metrics of the test set before and
 * after. Run: {@code java -cp ... org.calibkit.examples.CalibrateMnist [trainLimit]} (see examples/README.md).
 */
public final class CalibrateMnist extends NamedExample<CalibrateMnist.Result> {
    /** The MNIST calibration example. */
    public CalibrateMnist() {
        super("calibrate-mnist",
                "MNIST end to end: softmax regression, temperature scaling on validation, test metrics before and after");
    }

    /** What one run found. */
    public record Result(TemperatureMap temperature, MetricSummary before, MetricSummary after) {
    }

    @Override
    public Result run(Setup setup) {
        return run(Math.min(setup.trainImages(), 55_000), setup.out());
    }

    /**
     * @param trainLimit how many training images to use (55,000 for all of them)
     * @param out        where progress and the table go
     */
    public static Result run(int trainLimit, PrintStream out) {
        ImageSet train = DataCatalog.load("mnist", "train", null).limit(trainLimit);
        ImageSet validation = DataCatalog.load("mnist", "validation", null);
        ImageSet test = DataCatalog.load("mnist", "test", null);

        try (ModelBundle model = LogisticTrainer.defaults(1).train(train, validation, out::println)) {
            Logits validationLogits = model.logits(validation);
            Logits testLogits = model.logits(test);

            TemperatureMap t = new TemperatureScaling().fit(validationLogits, validation.labels());
            MetricSummary before = CalibrationMetrics.summary(testLogits, test.labels(), 15);
            MetricSummary after = CalibrationMetrics.summary(testLogits.divide(t.temperature()), test.labels(), 15);

            out.printf("temperature %.4f fitted on %d validation images (NLL %.4f -> %.4f, %d iterations)%n",
                    t.temperature(), validation.size(), t.nllBefore(), t.nllAfter(), t.iterations());
            out.printf("%-16s %10s %10s%n", "test metric", "before", "after");
            before.toMap().forEach((key, value) -> out.printf("%-16s %10s %10s%n", key,
                    format(value), format(after.toMap().get(key))));
            return new Result(t, before, after);
        }
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format("%.4f", d) : String.valueOf(v);
    }

    public static void main(String[] args) {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 55_000, System.out);
    }
}
