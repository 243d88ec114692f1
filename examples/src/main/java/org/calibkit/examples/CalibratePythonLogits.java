package org.calibkit.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;

/**
 * Calibrates logits a Python model saved with {@code np.save}: {@code val_logits.npy} and
 * {@code val_labels.npy} to fit temperature scaling (Guo et al. 2017), {@code test_logits.npy} and
 * {@code test_labels.npy} to measure it, with a bootstrap interval on the test ECE. Needs only the
 * calibration module (no Tribuo, no TensorFlow).
 *
 * <p>The directory defaults to {@code examples/python}, whose files {@code make_logits.py}
 * made: an overconfident model whose true temperature is 2.5. Run:
 * {@code java -cp ... org.calibkit.examples.CalibratePythonLogits [DIR]}.
 */
public final class CalibratePythonLogits extends NamedExample<CalibratePythonLogits.Result> {
    /**
     * What one run found.
     *
     * @param temperature the fitted map
     * @param before      test metrics of the raw logits
     * @param after       test metrics after dividing by the temperature
     * @param eceBefore   test ECE (15 bins) with its 95% bootstrap interval, before
     * @param eceAfter    the same after
     */
    public record Result(TemperatureMap temperature, MetricSummary before, MetricSummary after,
                         Bootstrap.Interval eceBefore, Bootstrap.Interval eceAfter) {
    }

    private final Path dir;

    /** The files {@code make_logits.py} wrote into {@code examples/python}. */
    public CalibratePythonLogits() {
        this(defaultDir());
    }

    /** The four {@code .npy} files in {@code dir}. */
    public CalibratePythonLogits(Path dir) {
        super("python-logits", "temperature scaling of logits saved by Python (.npy), ECE with a bootstrap interval");
        this.dir = dir;
    }

    @Override
    public Result run(Setup setup) {
        return run(dir, setup.resamples(), setup.out());
    }

    /** The example itself: read, fit on validation, measure on test. */
    public static Result run(Path dir, int resamples, PrintStream out) {
        Logits valLogits = PredictionFiles.readLogits(dir.resolve("val_logits.npy"));
        int[] valLabels = PredictionFiles.readLabels(dir.resolve("val_labels.npy"));
        Logits testLogits = PredictionFiles.readLogits(dir.resolve("test_logits.npy"));
        int[] testLabels = PredictionFiles.readLabels(dir.resolve("test_labels.npy"));

        TemperatureMap t = new TemperatureScaling().fit(valLogits, valLabels);
        Logits calibrated = t.calibratedLogits(testLogits);

        MetricSummary before = CalibrationMetrics.summary(testLogits, testLabels, 15);
        MetricSummary after = CalibrationMetrics.summary(calibrated, testLabels, 15);
        Bootstrap bootstrap = new Bootstrap(42).withResamples(resamples);
        Bootstrap.Interval eceBefore = bootstrap.ece(testLogits, testLabels, 15);
        Bootstrap.Interval eceAfter = bootstrap.ece(calibrated, testLabels, 15);

        out.printf("%s: %d validation and %d test rows, %d classes%n", dir, valLogits.n(), testLogits.n(), testLogits.k());
        out.printf("temperature %.4f (validation NLL %.4f -> %.4f)%n", t.temperature(), t.nllBefore(), t.nllAfter());
        out.printf("test ECE %.4f [%.4f, %.4f] -> %.4f [%.4f, %.4f] (95%% bootstrap, %d resamples)%n",
                eceBefore.estimate(), eceBefore.lower(), eceBefore.upper(),
                eceAfter.estimate(), eceAfter.lower(), eceAfter.upper(), resamples);
        out.printf("test NLL %.4f -> %.4f, accuracy %.4f (unchanged: T > 0 keeps the argmax)%n",
                before.nll(), after.nll(), after.accuracy());
        return new Result(t, before, after, eceBefore, eceAfter);
    }

    /** {@code examples/python} from the repository root, or {@code python} from the examples module. */
    static Path defaultDir() {
        Path fromRoot = Path.of("examples", "python");
        return Files.isDirectory(fromRoot) ? fromRoot : Path.of("python");
    }

    public static void main(String[] args) {
        run(args.length > 0 ? Path.of(args[0]) : defaultDir(), 1000, System.out);
    }
}
