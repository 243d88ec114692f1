package org.calibkit.examples.bench.stats;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalScore;

/**
 * calibkit's half of {@code bench/peers.sh}: reads the .npy inputs that {@code bench/peers.py make}
 * wrote and prints, per task, the median and minimum milliseconds of timed calls after warm-up
 * calls (the same protocol as the Python side), the process CPU milliseconds per call over all
 * timed calls (every thread's: a measure of work that the load of a shared machine disturbs less;
 * measured over the whole batch because the process clock ticks coarsely) and the value computed,
 * one line each: {@code task median_ms min_ms cpu_ms value}. Argument: the input directory.
 */
public final class PeersBench {
    private PeersBench() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/target/peers");
        Logits z10 = PredictionFiles.readLogits(dir.resolve("logits_10k.npy"));
        int[] y10 = PredictionFiles.readLabels(dir.resolve("labels_10k.npy"));
        Logits z1m = PredictionFiles.readLogits(dir.resolve("logits_1m.npy"));
        int[] y1m = PredictionFiles.readLabels(dir.resolve("labels_1m.npy"));
        double[] s = PredictionFiles.readLogits(dir.resolve("scores_1m.npy")).raw();
        int inCount = 0;
        for (int i = 0; i < s.length / 2; i++) {
            inCount += s[2 * i + 1] == 1 ? 1 : 0;
        }
        double[] in = new double[inCount];
        double[] out = new double[s.length / 2 - inCount];
        for (int i = 0, a = 0, b = 0; i < s.length / 2; i++) {
            if (s[2 * i + 1] == 1) {
                in[a++] = s[2 * i];
            } else {
                out[b++] = s[2 * i];
            }
        }
        System.out.println("# task median_ms min_ms cpu_ms value (" + Runtime.getRuntime().availableProcessors() + " cores)");
        time("temperature10k", () -> new TemperatureScaling().fit(z10, y10).temperature(), 300, 300);
        time("ece1M", () -> CalibrationMetrics.ece(z1m, y1m, 15), 10, 20);
        time("auroc1M", () -> OodMetrics.auroc(in, out), 10, 20);
        time("eceEqualMass1M", () -> CalibrationMetrics.eceEqualMass(z1m, y1m, 15), 5, 15);
        // the conformal fit from logits: softmax, LAC scores 1 - p_y, the ceil((n+1)(1-alpha))-th smallest
        time("conformal10k", () -> Conformal.fit(ConformalScore.lac(), z10.softmax(), y10, 0.1, 0).threshold(), 100, 300);
        // the same with APS scores, not randomised (u = 1, so numpy can compute the same numbers): the
        // probability mass of the classes ranked above the label plus the label's own
        time("conformalAps10k", () -> Conformal.fit(ConformalScore.aps(false), z10.softmax(), y10, 0.1, 0).threshold(), 100, 300);
    }

    private static void time(String task, DoubleSupplier f, int warmup, int runs) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double value = 0;
        for (int i = 0; i < warmup; i++) {
            value = f.getAsDouble();
        }
        double[] ms = new double[runs];
        long c0 = os.getProcessCpuTime();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            value = f.getAsDouble();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double cpu = (os.getProcessCpuTime() - c0) / 1e6 / runs;
        System.out.println(String.format(Locale.ROOT, "%s %.4f %.4f %.4f %.17g", task, median(ms), min(ms), cpu, value));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
