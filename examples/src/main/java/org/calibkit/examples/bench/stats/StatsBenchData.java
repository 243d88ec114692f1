package org.calibkit.examples.bench.stats;

import java.util.SplittableRandom;

import org.calibkit.calibration.Probabilities;
import org.calibkit.examples.bench.BenchRandom;

/** Seeded synthetic data for the stats benchmarks: softmax probabilities with labels drawn from them. */
final class StatsBenchData {
    private StatsBenchData() {
    }

    /** n x k softmax of N(0, 2^2) logits with the labelled class boosted by 3; labels in {@code labelsOut}. */
    static Probabilities probabilities(int n, int k, long seed, int[] labelsOut) {
        double[] v = BenchRandom.labelledRows(n, k, seed, labelsOut, (r, y, row, at, cols) -> {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(2 * BenchRandom.gaussian(r) + (j == y ? 3 : 0));
                row[at + j] = e;
                s += e;
            }
            for (int j = 0; j < cols; j++) {
                row[at + j] /= s;
            }
        });
        return Probabilities.of(v, n, k, true);
    }

    /** n scores ~ N(0, 1) and correctness ~ Bernoulli(sigmoid(2 s + 1)). */
    static double[] scores(int n, long seed, boolean[] correctOut) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = BenchRandom.gaussian(r);
            correctOut[i] = r.nextDouble() < 1 / (1 + Math.exp(-2 * s[i] - 1));
        }
        return s;
    }
}
