package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bucketed order statistics against the straightforward computation, the values at those
 * positions of a sorted copy (Arrays.sort), bit for bit, and the equal-mass edges against
 * {@code EqualMass.edges(sorted copy, null, n, bins)}: uniform values, confidences crowded near 1,
 * probabilities crowded near 0, many ties, all equal, exact 0 and 1, tiny n, and the inputs
 * that take the plain selection (-0.0, negative, above 1).
 */
class OrderStatisticsTest {

    private static double[] draw(SplittableRandom r, int n, int mode) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (mode) {
                case 0 -> r.nextDouble();
                case 1 -> 1 - Math.exp(-r.nextDouble() * 30);      // near 1, down to 1 - 1e-13 and 1.0
                case 2 -> Math.exp(-r.nextDouble() * 40);          // near 0
                case 3 -> r.nextInt(5) / 4.0;                      // 0, 0.25, 0.5, 0.75, 1: ties
                case 4 -> 0.3;                                     // all equal
                case 5 -> r.nextBoolean() ? 0.5 : Math.nextDown(0.5); // both sides of the mirror
                case 6 -> i % 7 == 0 ? -0.0 : r.nextDouble();     // -0.0: plain selection
                default -> r.nextDouble() * 3 - 1;                 // outside [0, 1]: plain selection
            };
        }
        return v;
    }

    @Test
    void orderStatisticsAndEdgesEqualTheSortedCopy() {
        SplittableRandom r = new SplittableRandom(16);
        for (int n : new int[] {1, 2, 3, 5, 14, 15, 16, 100, 1000, 30_001}) {
            for (int mode = 0; mode < 8; mode++) {
                for (int bins : new int[] {1, 2, 15, 40}) {
                    double[] v = draw(r, n, mode);
                    double[] before = v.clone();
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    long[] at = EqualMass.ranks(n, bins);
                    double[] got = OrderStatistics.select(v, at);
                    String name = "n " + n + " mode " + mode + " bins " + bins;
                    for (int i = 0; i < at.length; i++) {
                        // Arrays.sort puts -0.0 before 0.0; an order statistic of zeros is compared as a value there
                        double want = sorted[(int) at[i]];
                        if (want == 0.0 && got[i] == 0.0) {
                            continue;
                        }
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]), name + " rank " + at[i]);
                    }
                    if (mode < 6) {
                        assertEquals(Arrays.toString(EqualMass.edges(sorted, null, n, bins)),
                                Arrays.toString(EqualMass.edges(v, bins)), name + " edges");
                    }
                    assertEquals(Arrays.toString(before), Arrays.toString(v), name + " values untouched");
                }
            }
        }
    }

    @Test
    void plainSelectionIsTheSameForInputsTheKeyCovers() {
        SplittableRandom r = new SplittableRandom(7);
        double[] v = draw(r, 5000, 1);
        long[] at = EqualMass.ranks(v.length, 15);
        assertEquals(Arrays.toString(OrderStatistics.selectAll(v, at)), Arrays.toString(OrderStatistics.select(v, at)));
    }
}
