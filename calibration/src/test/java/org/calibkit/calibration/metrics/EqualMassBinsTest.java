package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/**
 * Equal-mass bins built from the sorted values at {@link EqualMassBins#ranks} and merged from two
 * halves give the one-array functions' equal-mass ECE, debiased ECE and ACE (the reference: the
 * existing pure functions, themselves checked against Kumar et al.'s package), to rounding of the
 * per-bin sums; with ties (rounded confidences) too, where bins merge.
 */
class EqualMassBinsTest {
    @Test
    void ranksAndMergedBinsGiveTheOneArrayMetrics() {
        for (int decimals : new int[] {0, 2}) {
            Random r = new Random(5 + decimals);
            int n = 1237;
            int k = 4;
            double[] z = new double[n * k];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(k);
                for (int j = 0; j < k; j++) {
                    z[i * k + j] = 2 * r.nextGaussian() + (j == y[i] ? 1.5 : 0);
                }
            }
            Probabilities p = Logits.of(z, n, k).softmax();
            if (decimals > 0) { // ties: probabilities rounded to 2 decimals (rows need not sum to 1 here)
                double[] v = p.raw().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.round(v[i] * 100) / 100.0;
                }
                p = Probabilities.of(v, n, k, false);
            }
            TopLabel t = TopLabel.of(p, y);
            int bins = 15;
            assertEquals(CalibrationMetrics.eceEqualMass(t, bins), top(t, bins).ece(), 1e-12);
            assertEquals(CalibrationMetrics.debiasedEce(t, bins), top(t, bins).debiasedEce(), 1e-12);
            List<EqualMassBins.Accumulator> classes = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                double[] col = new double[n];
                boolean[] tgt = new boolean[n];
                for (int i = 0; i < n; i++) {
                    col[i] = p.get(i, j);
                    tgt[i] = y[i] == j;
                }
                classes.add(merged(col, tgt, bins));
            }
            assertEquals(CalibrationMetrics.ace(p, y, bins), EqualMassBins.ace(classes), 1e-12);
        }
    }

    private static EqualMassBins.Accumulator top(TopLabel t, int bins) {
        return merged(t.confidences(), t.correct(), bins);
    }

    /** The bins of the values, from their sorted values at the ranks, added in two halves and merged. */
    private static EqualMassBins.Accumulator merged(double[] v, boolean[] target, int bins) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        long[] ranks = EqualMassBins.ranks(v.length, bins);
        double[] at = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            at[i] = sorted[(int) ranks[i]];
        }
        double[] edges = EqualMassBins.edges(v.length, bins, at);
        EqualMassBins.Accumulator a = new EqualMassBins.Accumulator(edges);
        EqualMassBins.Accumulator b = new EqualMassBins.Accumulator(edges);
        for (int i = 0; i < v.length; i++) {
            (i < v.length / 2 ? a : b).add(v[i], target[i]);
        }
        return a.merge(b);
    }
}
