package org.calibkit.spark.audit;

/**
 * Exact signed sums of {@code hit - p} (a class's positives minus its probabilities, in one bin),
 * in the fixed point of calibration's {@code ExactSums}: a high part of 2<sup>-24</sup> units and a
 * low part of 2<sup>-64</sup> units, both signed longs, so adding and merging in any order or
 * grouping gives the same value bit for bit. Each sum sits at {@code a[at]} (high) and
 * {@code a[at + 1]} (low). What the classwise ECE of a bootstrap replicate needs from a bucket:
 * it is the sum over cells of |positives - probability sum|, so one number per cell (16 bytes,
 * four to a cache line) instead of the four of a classwise bin (count, sum, hits).
 */
final class GapSums {
    private static final double HI_SCALE = 0x1p24;
    private static final double LO_SCALE = 0x1p40;
    private static final long ONE = 1L << 24;
    private static final long LO_LIMIT = 1L << 62;
    private static final long LO_MASK = (1L << 40) - 1;

    private GapSums() {
    }

    /** Adds {@code (hit ? 1 : 0) - p} ({@code p} in [0, 1]) to the sum at {@code a[at]}. */
    static void add(long[] a, int at, double p, boolean hit) {
        double scaled = p * HI_SCALE;
        long h = (long) scaled;
        long hi = a[at] - h + (hit ? ONE : 0);
        long lo = a[at + 1] - (long) ((scaled - h) * LO_SCALE);
        if (lo <= -LO_LIMIT) {
            hi += lo >> 40;   // floor division: lo = (lo >> 40) * 2^40 + (lo & mask)
            lo &= LO_MASK;
        }
        a[at] = hi;
        a[at + 1] = lo;
    }

    /** Adds the sum at {@code o[oat]} {@code times} times (in [0, 2<sup>21</sup>]) to the one at {@code a[at]}. */
    static void mergeTimes(long[] a, int at, long[] o, int oat, long times) {
        a[at] += times * (o[oat] + (o[oat + 1] >> 40));
        long l = a[at + 1] + times * (o[oat + 1] & LO_MASK);
        a[at] += l >> 40;
        a[at + 1] = l & LO_MASK;
    }

    /** The sum at {@code a[at]}, rounded once. */
    static double value(long[] a, int at) {
        long h = a[at] + (a[at + 1] >> 40);
        long l = a[at + 1] & LO_MASK;
        return h / HI_SCALE + l / (HI_SCALE * LO_SCALE);
    }
}
