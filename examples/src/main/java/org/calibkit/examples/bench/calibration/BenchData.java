package org.calibkit.examples.bench.calibration;

import java.util.SplittableRandom;

import org.calibkit.calibration.Logits;
import org.calibkit.examples.bench.BenchRandom;

/** Seeded synthetic data for the benchmarks: logits of an overconfident 10-class model, and scores. */
final class BenchData {
    private BenchData() {
    }

    /** n x k logits, the labelled class boosted, scaled so the softmax is overconfident; labels in {@code out}. */
    static Logits logits(int n, int k, long seed, int[] labelsOut) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] z = new double[n * k];
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(k);
            labelsOut[i] = y;
            for (int j = 0; j < k; j++) {
                z[i * k + j] = 2.2 * (BenchRandom.gaussian(r) * 1.5 + (j == y ? 2.5 : 0));
            }
            z[i * k + r.nextInt(k)] += 2.2;
        }
        return Logits.of(z, n, k);
    }

    /** n scores ~ N(mean, 1). */
    static double[] scores(int n, double mean, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = mean + BenchRandom.gaussian(r);
        }
        return s;
    }
}
