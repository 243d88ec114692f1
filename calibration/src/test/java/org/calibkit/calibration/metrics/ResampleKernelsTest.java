package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.TestDraws;
import org.junit.jupiter.api.Test;

/**
 * The kernels behind the fast bootstrap pass (issue 16) against the straightforward code they
 * replace, written out here: each must give the same numbers bit for bit (delta 0), because the
 * bootstrap promises values equal to the pure metric functions on a copy of the resample. The
 * pure functions themselves are checked against numpy/scipy in CalibrationMetricsReferenceTest.
 */
class ResampleKernelsTest {
    @Test
    void classwiseBinsAddingRowsWithMultiplicitiesEqualsAddingEachDraw() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 700;
        int k = 4;
        int[] labels = new int[n];
        double[][] q = TestDraws.normalisedRows(n, k, (i, row) -> {
            for (int j = 0; j < k; j++) {
                row[j] = j == 0 && i % 9 == 0 ? 0 : rnd.nextDouble();
            }
            labels[i] = rnd.nextInt(k);
        });
        Probabilities p = Probabilities.of(q);
        int[] idx = new Bootstrap(5).indices(0, n);
        int[] times = new int[n];
        for (int i : idx) {
            times[i]++;
        }
        ClasswiseBins draws = new ClasswiseBins.Accumulator(k, 15).addRowsAt(p.raw(), labels, idx).toBins();
        ClasswiseBins counted = new ClasswiseBins.Accumulator(k, 15).addRowsTimes(p.raw(), labels, times).toBins();
        for (int j = 0; j < k; j++) {
            for (int b = 0; b < 15; b++) {
                assertEquals(draws.count(j, b), counted.count(j, b));
                assertEquals(draws.positives(j, b), counted.positives(j, b));
                assertEquals(draws.probabilitySum(j, b), counted.probabilitySum(j, b), 0.0, "class " + j + " bin " + b);
            }
        }
        times[3] = -1;
        assertThrows(IllegalArgumentException.class,
                () -> new ClasswiseBins.Accumulator(k, 15).addRowsTimes(p.raw(), labels, times));
    }

    /**
     * The weighted merges of the Spark audit's bucketed bootstrap: merging an accumulator of a
     * group of rows w times equals adding each of its rows w times, one group after the other,
     * bit for bit (the sums are exact fixed point), for the classwise and the top-label bins.
     */
    @Test
    void mergingGroupsWithWeightsEqualsAddingTheirRowsThatOften() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 900;
        int k = 3;
        int groups = 7;
        int[] labels = new int[n];
        double[][] q = TestDraws.normalisedRows(n, k, (i, row) -> {
            for (int j = 0; j < k; j++) {
                row[j] = j == 1 && i % 5 == 0 ? 1e-300 : rnd.nextDouble();
            }
            labels[i] = rnd.nextInt(k);
        });
        Probabilities p = Probabilities.of(q);
        int[] group = new int[n];
        ClasswiseBins.Accumulator[] g = new ClasswiseBins.Accumulator[groups];
        org.calibkit.calibration.ReliabilityBins.Accumulator[] t = new org.calibkit.calibration.ReliabilityBins.Accumulator[groups];
        for (int b = 0; b < groups; b++) {
            g[b] = new ClasswiseBins.Accumulator(k, 10);
            t[b] = new org.calibkit.calibration.ReliabilityBins.Accumulator(10);
        }
        for (int i = 0; i < n; i++) {
            group[i] = rnd.nextInt(groups);
            g[group[i]].addRow(p, labels, i);
            t[group[i]].add(q[i][0], labels[i] == 0);
        }
        long[] w = {0, 1, 2, 3, 0, 5, 19};
        ClasswiseBins.Accumulator merged = new ClasswiseBins.Accumulator(k, 10);
        org.calibkit.calibration.ReliabilityBins.Accumulator mergedTop = new org.calibkit.calibration.ReliabilityBins.Accumulator(10);
        for (int b = 0; b < groups; b++) {
            merged.mergeTimes(g[b], w[b]);
            mergedTop.mergeTimes(t[b], w[b]);
        }
        int[] times = new int[n];
        for (int i = 0; i < n; i++) {
            times[i] = (int) w[group[i]];
        }
        ClasswiseBins direct = new ClasswiseBins.Accumulator(k, 10).addRowsTimes(p.raw(), labels, times).toBins();
        ClasswiseBins viaGroups = merged.toBins();
        org.calibkit.calibration.ReliabilityBins.Accumulator directTop = new org.calibkit.calibration.ReliabilityBins.Accumulator(10);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < times[i]; c++) {
                directTop.add(q[i][0], labels[i] == 0);
            }
        }
        var a = directTop.toBins();
        var b2 = mergedTop.toBins();
        for (int b = 0; b < 10; b++) {
            assertEquals(a.count(b), b2.count(b));
            assertEquals(a.correctCount(b), b2.correctCount(b));
            assertEquals(a.confidenceSum(b), b2.confidenceSum(b), 0.0, "top bin " + b);
            for (int j = 0; j < k; j++) {
                assertEquals(direct.count(j, b), viaGroups.count(j, b));
                assertEquals(direct.positives(j, b), viaGroups.positives(j, b));
                assertEquals(direct.probabilitySum(j, b), viaGroups.probabilitySum(j, b), 0.0, "class " + j + " bin " + b);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> merged.mergeTimes(g[0], -1));
    }

    @Test
    void edgesThroughTheRowOrderEqualEdgesOfTheSortedCopyWithWeights() {
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 900;
        int k = 3;
        double[] v = TestDraws.values(n * k, i -> i % 7 == 0 ? 0.5 : rnd.nextDouble()); // ties
        int[] counts = new int[n];
        for (int r = 0; r < n; r++) {
            counts[rnd.nextInt(n)]++;
        }
        for (int j = 0; j < k; j++) {
            int[] order = FusedResample.sortedOrder(v, k, j, n);
            // the reference: a boxed stable sort of the rows by value, as before
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            final int col = j;
            Arrays.sort(boxed, (a, b) -> Double.compare(v[a * k + col], v[b * k + col]));
            double[] sorted = new double[n];
            int[] weights = new int[n];
            for (int s = 0; s < n; s++) {
                assertEquals(boxed[s], order[s], "position " + s);
                sorted[s] = v[boxed[s] * k + j];
                weights[s] = counts[boxed[s]];
            }
            for (int bins : new int[] {1, 2, 15, 40}) {
                assertArrayEquals(EqualMass.edges(sorted, weights, n, bins), EqualMass.edges(v, k, j, order, counts, n, bins), 0.0);
            }
        }
    }

    @Test
    void branchFreeBinIsTheFirstEdgeAtLeastTheValue() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int trial = 0; trial < 200; trial++) {
            int e = 1 + rnd.nextInt(20);
            double[] edges = new double[e];
            for (int i = 0; i < e - 1; i++) {
                edges[i] = rnd.nextDouble();
            }
            edges[e - 1] = 1.0;
            Arrays.sort(edges);
            for (int t = 0; t < 50; t++) {
                double x = t % 5 == 0 ? edges[rnd.nextInt(e)] : rnd.nextDouble();
                int expected = 0;
                while (x > edges[expected]) {
                    expected++;
                }
                assertEquals(expected, EqualMass.bin(edges, x), "value " + x + " edges " + Arrays.toString(edges));
            }
        }
    }

    @Test
    void edgesFromSelectedOrderStatisticsEqualEdgesOfTheSortedCopy() {
        // the reference is the sort the one-shot equal-mass stats did before (issue 16)
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : new int[] {1, 2, 14, 15, 16, 17, 100, 4099}) {
            for (int trial = 0; trial < 3; trial++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (trial) {
                        case 0 -> rnd.nextDouble();
                        case 1 -> rnd.nextInt(5) / 4.0;                        // heavy ties, 0 and 1.0
                        default -> i % 3 == 0 ? 1.0 : 1 - 1e-4 * rnd.nextDouble(); // saturated, CNN-like
                    };
                }
                double[] before = v.clone();
                double[] sorted = v.clone();
                Arrays.sort(sorted);
                for (int bins : new int[] {1, 2, 3, 15, 40}) {
                    assertArrayEquals(EqualMass.edges(sorted, null, n, bins), EqualMass.edges(v, bins), 0.0,
                            "n " + n + ", trial " + trial + ", " + bins + " bins");
                }
                assertArrayEquals(before, v, 0.0);
            }
        }
    }
}
