package org.calibkit.examples.bench.audit;

import java.util.Locale;
import java.util.SplittableRandom;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;

/**
 * Where the audit's paired bootstrap spends its time: the milliseconds of one resample's row copy
 * and of each metric of {@link Metrics#ALL} on seeded 10,000 x 10 logits shaped like a CNN's,
 * then the whole paired bootstrap (200 resamples, as the audit) with 1 and 2 threads. Prints its
 * numbers; not a test. Run by {@code bench/audit.sh --bootstrap}.
 */
public final class BootstrapSplit {
    private BootstrapSplit() {
    }

    /** Runs the measurement; {@code args[0]} optional resamples (default 200). */
    public static void main(String[] args) {
        int resamples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int n = 10_000;
        int k = 10;
        SplittableRandom rnd = new SplittableRandom(7);
        double[][] z = new double[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            for (int c = 0; c < k; c++) {
                z[i][c] = rnd.nextGaussian();
            }
            z[i][rnd.nextDouble() < 0.99 ? y[i] : rnd.nextInt(k)] += 8 + 2 * rnd.nextGaussian();
        }
        Predictions before = Predictions.of(Logits.of(z), y);
        Predictions after = Predictions.of(Logits.of(z).divide(1.3), y);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = rnd.nextInt(n);
        }
        int reps = 30;
        for (int warm = 0; warm < 2; warm++) {
            long t0 = System.nanoTime();
            Predictions sel = null;
            for (int r = 0; r < reps; r++) {
                sel = before.select(idx);
            }
            double copyMs = (System.nanoTime() - t0) / 1e6 / reps;
            if (warm == 1) {
                System.out.printf(Locale.ROOT, "one resample, 10,000 x 10: row copy (Predictions.select) %.3f ms%n", copyMs);
            }
            for (Metric m : Metrics.ALL) {
                long s = System.nanoTime();
                double v = 0;
                for (int r = 0; r < reps; r++) {
                    v += m.compute(sel, 15);
                }
                double ms = (System.nanoTime() - s) / 1e6 / reps;
                if (warm == 1) {
                    System.out.printf(Locale.ROOT, "  %-16s %7.3f ms%n", m.key(), ms);
                }
            }
        }
        // the previous path, side by side: copy the resample's rows, call every metric function on the copy
        int oldResamples = Math.max(2, resamples / 10);
        long s0 = System.nanoTime();
        for (int r = 0; r < oldResamples; r++) {
            for (Predictions pr : new Predictions[] {before, after}) {
                Predictions sel = pr.select(idx);
                for (Metric m : Metrics.ALL) {
                    m.compute(sel, 15);
                }
            }
        }
        double oldPer = (System.nanoTime() - s0) / 1e6 / oldResamples;
        System.out.printf(Locale.ROOT, "copy-then-compute path (before issue 16), 1 thread: %.1f ms per resample of both sets, %.0f ms for %d%n",
                oldPer, oldPer * resamples, resamples);
        for (int threads : new int[] {1, 2}) {
            Bootstrap b = new Bootstrap(3, resamples, 0.95, threads);
            b.paired(before, after, 15);
            long s = System.nanoTime();
            b.paired(before, after, 15);
            double ms = (System.nanoTime() - s) / 1e6;
            System.out.printf(Locale.ROOT, "fused paired bootstrap (now), %d resamples x 2 prediction sets, %d thread(s): %.0f ms (%.1f ms per resample), %.2fx the copy path's time%n",
                    resamples, threads, ms, ms / resamples, ms / (oldPer * resamples));
        }
    }
}
