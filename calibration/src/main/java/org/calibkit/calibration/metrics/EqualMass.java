package org.calibkit.calibration.metrics;

import java.util.Arrays;

/**
 * Equal-mass (adaptive) binning shared by equal-mass ECE, ACE and the debiased ECE.
 *
 * <p>Convention (Kumar et al. 2019, {@code get_equal_bins}): sort the N values, split the sorted
 * list into B groups as {@code numpy.array_split} does (the first {@code N mod B} groups one
 * larger), put an edge half-way between the last value of a group and the first of the next,
 * and a final edge at 1.0; equal edges merge. A value goes to the first bin whose edge is at
 * least the value ({@code searchsorted(edges, v, side='left')}): bins are right-closed like the
 * equal-width ones, tied values always share a bin, and the result does not depend on row order.
 */
final class EqualMass {
    private EqualMass() {
    }

    /** Per-bin weight, value sum and target sum (targets are 0/1). */
    record Stats(double[] count, double[] valueSum, double[] targetSum) {
        int bins() {
            return count.length;
        }
    }

    /** Edges from sorted values with optional per-position weights (null = 1 each). */
    static double[] edges(double[] sorted, int[] weights, long total, int bins) {
        return edges(sorted, 1, 0, null, weights, total, bins);
    }

    /**
     * Edges of values read in sorted order without copying them: sorted position s holds
     * {@code v[row * stride + offset]} with {@code row = order[s]} (order null: row = s), and
     * that row's multiplicity {@code counts[row]} (counts null: 1). Reads the values only at the
     * group boundaries, so a bootstrap resample needs neither a sorted copy nor a weight array.
     */
    static double[] edges(double[] v, int stride, int offset, int[] order, int[] counts, long total, int bins) {
        long[] at = ranks(total, bins);
        double[] values = new double[at.length];
        // pointer into sorted values for "value at expanded position x" (x increasing)
        int p = 0;
        long cumBefore = 0; // expanded positions before sorted index p
        for (int i = 0; i < at.length; i++) {
            while (cumBefore + w(order, counts, p) <= at[i]) {
                cumBefore += w(order, counts, p);
                p++;
            }
            values[i] = v[row(order, p) * stride + offset];
        }
        return edgesOf(values);
    }

    /**
     * The sorted positions (0-based, ascending) whose values {@link #edges(long, int, java.util.function.LongToDoubleFunction)}
     * reads: the last of each group and the first of the next, at every boundary between two non-empty groups.
     */
    static long[] ranks(long total, int bins) {
        long q = total / bins;
        long r = total % bins;
        long[] out = new long[2 * Math.max(0, bins - 1)];
        int m = 0;
        long end = 0;
        for (int b = 0; b < bins - 1; b++) {
            long size = q + (b < r ? 1 : 0);
            long nextSize = q + (b + 1 < r ? 1 : 0);
            end += size;
            if (size == 0 || nextSize == 0) {
                continue;
            }
            out[m++] = end - 1;
            out[m++] = end;
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * Edges of {@code total} sorted values of which only the ones at {@link #ranks} are read,
     * through {@code valueAt} (sorted position -&gt; value): the values may live anywhere (an
     * array, a distributed sort). The same edges as {@link #edges(double[], int[], long, int)} of
     * the sorted values.
     */
    static double[] edges(long total, int bins, java.util.function.LongToDoubleFunction valueAt) {
        long[] at = ranks(total, bins);
        double[] values = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            values[i] = valueAt.applyAsDouble(at[i]);
        }
        return edgesOf(values);
    }

    /**
     * The edges from the values at {@link #ranks}, in pairs (a group's last, the next one's
     * first): an edge half-way between each pair, equal edges merged, a final edge at 1.0.
     */
    private static double[] edgesOf(double[] values) {
        double[] out = new double[values.length / 2 + 1];
        int ne = 0;
        for (int i = 0; i < values.length; i += 2) {
            double e = (values[i] + values[i + 1]) / 2.0;
            if (ne == 0 || e != out[ne - 1]) {
                out[ne++] = e;
            }
        }
        if (ne == 0 || out[ne - 1] != 1.0) {
            out[ne++] = 1.0;
        }
        return Arrays.copyOf(out, ne);
    }

    private static int row(int[] order, int s) {
        return order == null ? s : order[s];
    }

    private static long w(int[] order, int[] counts, int s) {
        return counts == null ? 1 : counts[row(order, s)];
    }

    /** First index e with v &lt;= edges[e] (edges ascending, last is 1.0, v in [0, 1]). */
    static int bin(double[] edges, double v) {
        // branch-free lower bound (the loop count depends on the number of edges only, so the
        // data cannot make it mispredict): the answer stays in [base, base + len)
        int base = 0;
        int len = edges.length;
        while (len > 1) {
            int half = len >>> 1;
            base = edges[base + half - 1] < v ? base + half : base;
            len -= half;
        }
        return base;
    }

    /** One-shot (unweighted) stats: the edges from the order statistics they need ({@link #edges(double[], int)}). */
    static Stats stats(double[] values, boolean[] targets, int bins) {
        return binStats(edges(values, bins), values, targets);
    }

    /**
     * The edges of unsorted values with every weight 1, as {@code edges(sorted copy, null, n, bins)}:
     * those read only the values at the sorted positions {@link #ranks} names, so these few order
     * statistics are found by {@link OrderStatistics} (a bucket histogram, then selection among
     * the few values sharing a wanted rank's bucket) instead of sorting all n. An order statistic
     * is one number whatever the order of ties, so the edges are the same.
     */
    static double[] edges(double[] values, int bins) {
        return edgesOf(OrderStatistics.select(values, ranks(values.length, bins)));
    }

    /** Per-bin count, value sum and target sum of the rows in order, for the given edges. */
    static Stats binStats(double[] edges, double[] values, boolean[] targets) {
        int nb = edges.length;
        double[] count = new double[nb];
        double[] vs = new double[nb];
        double[] ts = new double[nb];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            int b = bin(edges, v);
            count[b]++;
            vs[b] += v;
            if (targets[i]) {
                ts[b]++;
            }
        }
        return new Stats(count, vs, ts);
    }
}
