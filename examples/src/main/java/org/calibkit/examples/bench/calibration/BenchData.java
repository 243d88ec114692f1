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
        double[] z = BenchRandom.labelledRows(n, k, seed, labelsOut, (r, y, row, at, cols) -> {
            for (int j = 0; j < cols; j++) {
                row[at + j] = 2.2 * (BenchRandom.gaussian(r) * 1.5 + (j == y ? 2.5 : 0));
            }
            row[at + r.nextInt(cols)] += 2.2;
        });
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
