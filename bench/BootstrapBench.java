import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Predictions;

/**
 * The audit's paired bootstrap alone (every metric before and after temperature scaling, as
 * Audit.ofOutputs calls it) on seeded n x 10 logits shaped like bench/peers.py's (about 99%
 * accurate, 1.2% confident mistakes, overconfident). A single-file program (java's source
 * launcher) that uses only public API, so bench/stats.sh --bootstrap-ab runs the same file against
 * the calibration module of another git ref. Prints wall and process CPU seconds of each run and a
 * checksum of every interval (sum of estimates and bounds, all 17 digits): two builds that print the
 * same checksum computed the same intervals. Arguments: n, resamples, threads, runs.
 */
public class BootstrapBench {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int resamples = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int k = 10;
        SplittableRandom rnd = new SplittableRandom(10);
        double[] z = new double[n * k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            for (int j = 0; j < k; j++) {
                z[i * k + j] = 2 * rnd.nextGaussian();
            }
            z[i * k + y[i]] += 9;
            if (rnd.nextDouble() < 0.012) {
                z[i * k + rnd.nextInt(k)] += 10;
            }
            for (int j = 0; j < k; j++) {
                z[i * k + j] *= 1.6;
            }
        }
        Logits logits = Logits.of(z, n, k);
        Predictions before = Predictions.of(logits, y);
        Predictions after = Predictions.of(new TemperatureScaling().fit(logits, y).calibratedLogits(logits), y);
        Bootstrap boot = new Bootstrap(5, resamples, 0.95, threads);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int run = 0; run < runs; run++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Map<String, Bootstrap.Paired> m = boot.paired(before, after, 15);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - c0) / 1e9;
            double sum = 0;
            for (Bootstrap.Paired p : m.values()) {
                for (Bootstrap.Interval iv : new Bootstrap.Interval[] {p.before(), p.after(), p.difference()}) {
                    sum += iv.estimate() + iv.lower() + iv.upper();
                }
            }
            System.out.println(String.format(Locale.ROOT,
                    "paired bootstrap %,d x %d, %d resamples, %d thread(s): wall %.2f s, process cpu %.2f s, checksum %.17g",
                    n, k, resamples, threads, wall, cpu, sum));
        }
    }
}
