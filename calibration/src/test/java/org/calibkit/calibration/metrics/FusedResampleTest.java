package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.TestDraws;
import org.junit.jupiter.api.Test;

/**
 * The fused resample pass against the pure metric functions: for a given resample, every value
 * must equal (exactly, delta 0) what {@link Metrics#ALL}'s functions give on a copy of the
 * selected rows, which is how the bootstrap computed them before. The reference is the existing
 * pure code path, not a number copied from our output.
 */
class FusedResampleTest {
    /** Seeded CNN-like logits: mostly confident and right, some saturated (confidence exactly 1.0, ties). */
    private static Predictions logits(int n, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TestDraws.Labelled z = TestDraws.labelledRows(n, k, (i, row) -> {
            int label = rnd.nextInt(k);
            for (int c = 0; c < k; c++) {
                row[c] = rnd.nextGaussian();
            }
            double boost = i % 17 == 0 ? 60 : 4 + 2 * rnd.nextGaussian();
            row[rnd.nextDouble() < 0.9 ? label : rnd.nextInt(k)] += boost;
            return label;
        });
        return Predictions.of(Logits.of(z.rows()), z.labels());
    }

    @Test
    void everyMetricOfAResampleEqualsThePureFunctionsOnTheSelectedRows() {
        Bootstrap b = new Bootstrap(11, 20, 0.95, 1);
        for (Predictions p : new Predictions[] {logits(3000, 10, 1), logits(257, 3, 2), independent(500, 4, 3)}) {
            FusedResample fused = new FusedResample(p);
            for (int bins : new int[] {15, 7}) {
                for (int r = 0; r < 5; r++) {
                    int[] idx = b.indices(r, p.n());
                    assertArrayEquals(Metrics.values(p.select(idx), bins), fused.values(idx, bins), 0.0,
                            p + ", resample " + r + ", " + bins + " bins");
                }
                int[] identity = new int[p.n()];
                for (int i = 0; i < identity.length; i++) {
                    identity[i] = i;
                }
                assertArrayEquals(Metrics.values(p, bins), fused.values(identity, bins), 0.0, p + " itself");
            }
        }
    }

    @Test
    void intervalsEqualThosePercentilesOfThePureValuesPerResample() {
        Predictions p = logits(2000, 10, 4);
        Bootstrap b = new Bootstrap(5, 50, 0.9, 2);
        Map<String, Bootstrap.Interval> fused = b.summary(p, 15);
        for (int m = 0; m < Metrics.ALL.size(); m++) {
            double[] v = new double[b.resamples()];
            for (int r = 0; r < v.length; r++) {
                v[r] = Metrics.values(p.select(b.indices(r, p.n())), 15)[m];
            }
            java.util.Arrays.sort(v);
            Bootstrap.Interval i = fused.get(Metrics.ALL.get(m).key());
            assertEquals(org.calibkit.calibration.Quantiles.linear(v, 0.05), i.lower(), 0.0, Metrics.ALL.get(m).key());
            assertEquals(org.calibkit.calibration.Quantiles.linear(v, 0.95), i.upper(), 0.0, Metrics.ALL.get(m).key());
        }
    }

    /**
     * Ties everywhere (probabilities on a coarse grid, so equal-mass edges merge and resampled
     * edges move a lot against those of all rows), a class no row has as its label, one bin, and
     * more bins than a byte can number (the row pass then guesses no bins): still the pure values.
     */
    @Test
    void tiesEmptyClassesAndUnusualBinCountsGiveThePureValues() {
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 1500;
        int k = 5;
        int[] y = new int[n];
        double[][] q = TestDraws.normalisedRows(n, k, (i, row) -> {
            y[i] = rnd.nextInt(k - 1); // class k - 1 is never the label
            for (int c = 0; c < k; c++) {
                row[c] = 1 + rnd.nextInt(4) + (c == y[i] && rnd.nextDouble() < 0.8 ? 12 : 0);
            }
        });
        Predictions p = Predictions.of(Probabilities.of(q), y);
        FusedResample fused = new FusedResample(p);
        Bootstrap b = new Bootstrap(3, 20, 0.95, 1);
        for (int bins : new int[] {1, 2, 15, 300}) {
            for (int r = 0; r < 4; r++) {
                int[] idx = b.indices(r, n);
                assertArrayEquals(Metrics.values(p.select(idx), bins), fused.values(idx, bins), 0.0,
                        "resample " + r + ", " + bins + " bins");
            }
        }
    }

    /** Independent one-vs-rest probabilities (rows need not sum to 1). */
    private static Predictions independent(int n, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TestDraws.Labelled q = TestDraws.labelledRows(n, k, (i, row) -> {
            int label = rnd.nextInt(k);
            for (int c = 0; c < k; c++) {
                row[c] = c == label ? 0.5 + 0.5 * rnd.nextDouble() : 0.3 * rnd.nextDouble();
            }
            return label;
        });
        return Predictions.of(Probabilities.independent(q.rows()), q.labels());
    }
}
