package org.calibkit.calibration.metrics;

import java.util.Arrays;

import org.apache.commons.math3.util.KthSelector;

/**
 * A few order statistics of values in [0, 1] (the equal-mass edges' ranks) in two passes over
 * the values instead of a quickselect over all of them: a histogram of a monotone bucket key,
 * then the values of only the buckets holding a wanted rank, gathered and selected. The result is
 * the exact order statistic (one number whatever the order of ties), so it equals the selection
 * on a copy of all values; inputs the key does not cover (a value outside [0, 1], NaN, -0.0) get
 * that selection itself.
 *
 * <p><b>Key.</b> The top bits (exponent and 6 mantissa bits: 64 buckets per octave) of v below
 * 0.5 and, mirrored, of 1 - v from 0.5 up (exact there, Sterbenz): confidences crowd towards 1
 * and one-vs-rest probabilities towards 0, and both ends stay spread over many buckets. The key
 * never decreases as v grows, so buckets in key order hold the sorted values in consecutive runs.
 */
final class OrderStatistics {
    private static final int SHIFT = 46;
    /** Key of 0.5: bits(0.5) >>> SHIFT. */
    private static final int HALF = (int) (Double.doubleToRawLongBits(0.5) >>> SHIFT);
    private static final int SIZE = 2 * HALF + 1;

    private OrderStatistics() {
    }

    /**
     * The values at sorted (ascending, 0-based) positions {@code at} (non-decreasing, each below
     * the number of values); {@code values} is not modified.
     */
    static double[] select(double[] values, long[] at) {
        double[] out = new double[at.length];
        if (at.length == 0) {
            return out;
        }
        int[] hist = new int[SIZE];
        for (double v : values) {
            long bits = Double.doubleToRawLongBits(v);
            if (bits < 0 || !(v <= 1)) {
                return selectAll(values, at); // negative, -0.0 or NaN (not from this module's callers)
            }
            hist[key(v, bits)]++;
        }
        // the bucket of each wanted rank; buckets holding one become negative markers -(id + 1)
        int[] bucketOf = new int[at.length];
        long[] offset = new long[at.length];
        int[] sizes = new int[at.length];
        int buckets = 0;
        long before = 0;
        int g = 0;
        for (int r = 0; r < at.length; r++) {
            // a marked bucket's count is in sizes (a later rank may fall in the same bucket)
            while (before + (hist[g] >= 0 ? hist[g] : sizes[-hist[g] - 1]) <= at[r]) {
                before += hist[g] >= 0 ? hist[g] : sizes[-hist[g] - 1];
                g++;
            }
            if (hist[g] >= 0) {
                sizes[buckets] = hist[g];
                hist[g] = -(++buckets);
            }
            bucketOf[r] = -hist[g] - 1;
            offset[r] = at[r] - before;
        }
        double[][] gathered = new double[buckets][];
        for (int b = 0; b < buckets; b++) {
            gathered[b] = new double[sizes[b]];
        }
        int[] fill = new int[buckets];
        for (double v : values) {
            int m = hist[key(v, Double.doubleToRawLongBits(v))];
            if (m < 0) {
                int b = -m - 1;
                gathered[b][fill[b]++] = v;
            }
        }
        KthSelector selector = new KthSelector();
        int[][] pivots = new int[buckets][];
        for (int r = 0; r < at.length; r++) {
            int b = bucketOf[r];
            if (pivots[b] == null) {
                pivots[b] = new int[1023];
                Arrays.fill(pivots[b], -1);
            }
            // the offsets within one bucket ascend, so its pivots narrow each next selection
            out[r] = selector.select(gathered[b], pivots[b], (int) offset[r]);
        }
        return out;
    }

    /** The bucket of v in [0, 1] (not -0.0) with raw bits {@code bits}. */
    private static int key(double v, long bits) {
        return v < 0.5 ? (int) (bits >>> SHIFT) : 2 * HALF - (int) (Double.doubleToRawLongBits(1.0 - v) >>> SHIFT);
    }

    /** The plain way: quickselect on a copy of all values, its pivots kept between the ascending ranks. */
    static double[] selectAll(double[] values, long[] at) {
        double[] work = values.clone();
        int[] pivots = new int[1023];
        Arrays.fill(pivots, -1);
        KthSelector selector = new KthSelector();
        double[] out = new double[at.length];
        for (int r = 0; r < at.length; r++) {
            out[r] = selector.select(work, pivots, (int) at[r]);
        }
        return out;
    }
}
