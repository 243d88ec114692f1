package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.Arrays;
import org.calibkit.calibration.OutputKind;

/**
 * One pass of the exact selection ({@link Selection}): for each column a sorted list of disjoint
 * key intervals ({@link Query}), and for each the rows whose value falls in it, either counted per
 * sub-interval (a histogram: count, hits, value sum, value sum of the hits) or collected (value and
 * target). A value's key is its IEEE-754 bit pattern, which for values in [0, 1] orders as the
 * values do, so a key interval is a value interval and equal values share a key.
 */
final class SelectFold extends ColumnFold<SelectFold.State> {
    private static final long serialVersionUID = 1L;

    /**
     * Keys {@code [lo, lo + subs << shift)}, in {@code subs} sub-intervals of {@code 1 << shift}
     * keys each; {@code collect}: gather the values instead of counting them; {@code sums}: count
     * hits and sum values too (the cumulative curve needs them, the ranks only the counts).
     */
    record Query(long lo, int shift, int subs, boolean collect, boolean sums) implements Serializable {
        long hi() {
            return lo + ((long) subs << shift);
        }
    }

    /** Per column, its queries sorted by {@code lo}. */
    private final Query[][] queries;

    /**
     * Per column, the queries' bounds {@code lo_0, hi_0, lo_1, hi_1, ...} padded with
     * {@code Long.MAX_VALUE} to a power of two: the number of bounds at most a key says which
     * query holds it ({@link #find}).
     */
    private final long[][] bounds;
    /**
     * Per column, a bit per root interval of {@link Selection}'s first pass ({@code key >>>
     * ROOT_SHIFT}): set when a query overlaps it. Most values of a later pass fall in no query,
     * and this says so with one load from 8 KB (a column's bits stay in cache) instead of a search.
     */
    private final long[][] roots;

    SelectFold(int k, OutputKind kind, RowMap map, Query[][] queries) {
        super(k, kind, map);
        this.queries = queries;
        this.bounds = new long[queries.length][];
        for (int c = 0; c < queries.length; c++) {
            int m = Integer.highestOneBit(Math.max(1, 2 * queries[c].length - 1)) << 1;
            long[] b = new long[m];
            java.util.Arrays.fill(b, Long.MAX_VALUE);
            for (int q = 0; q < queries[c].length; q++) {
                b[2 * q] = queries[c][q].lo();
                b[2 * q + 1] = queries[c][q].hi();
            }
            bounds[c] = b;
        }
        this.roots = new long[queries.length][1 << (Selection.ROOT_BITS - 6)];
        for (int c = 0; c < queries.length; c++) {
            for (Query q : queries[c]) {
                for (long r = q.lo() >>> Selection.ROOT_SHIFT; r <= (q.hi() - 1) >>> Selection.ROOT_SHIFT; r++) {
                    roots[c][(int) (r >>> 6)] |= 1L << r;
                }
            }
        }
    }

    /** What a partition found (public: Spark's Kryo encoder takes public classes only). */
    public static final class State extends ChunkFold.Buffer {
        private static final long serialVersionUID = 1L;
        /** [column][query]: per sub-interval the counts and sums, or null for a collecting query. */
        long[][][] count;
        long[][][] hits;
        double[][][] sum;
        double[][][] hitSum;
        /** [column][query]: the collected values and targets (the first {@code found} of them). */
        double[][][] values;
        boolean[][][] targets;
        int[][] found;

        /** Adds the other partition's findings (same queries). */
        State merge(State o) {
            for (int c = 0; c < count.length; c++) {
                for (int q = 0; q < count[c].length; q++) {
                    if (count[c][q] != null) {
                        for (int b = 0; b < count[c][q].length; b++) {
                            count[c][q][b] += o.count[c][q][b];
                        }
                        if (sum[c][q] != null) {
                            for (int b = 0; b < count[c][q].length; b++) {
                                hits[c][q][b] += o.hits[c][q][b];
                                sum[c][q][b] += o.sum[c][q][b];
                                hitSum[c][q][b] += o.hitSum[c][q][b];
                            }
                        }
                    } else {
                        int n = found[c][q] + o.found[c][q];
                        values[c][q] = Arrays.copyOf(values[c][q], n);
                        targets[c][q] = Arrays.copyOf(targets[c][q], n);
                        System.arraycopy(o.values[c][q], 0, values[c][q], found[c][q], o.found[c][q]);
                        System.arraycopy(o.targets[c][q], 0, targets[c][q], found[c][q], o.found[c][q]);
                        found[c][q] = n;
                    }
                }
            }
            return this;
        }
    }

    @Override
    State fresh() {
        State s = new State();
        int cols = queries.length;
        s.count = new long[cols][][];
        s.hits = new long[cols][][];
        s.sum = new double[cols][][];
        s.hitSum = new double[cols][][];
        s.values = new double[cols][][];
        s.targets = new boolean[cols][][];
        s.found = new int[cols][];
        for (int c = 0; c < cols; c++) {
            int nq = queries[c].length;
            s.count[c] = new long[nq][];
            s.hits[c] = new long[nq][];
            s.sum[c] = new double[nq][];
            s.hitSum[c] = new double[nq][];
            s.values[c] = new double[nq][];
            s.targets[c] = new boolean[nq][];
            s.found[c] = new int[nq];
            for (int q = 0; q < nq; q++) {
                Query x = queries[c][q];
                if (x.collect()) {
                    s.values[c][q] = new double[16];
                    s.targets[c][q] = new boolean[16];
                } else {
                    s.count[c][q] = new long[x.subs()];
                    if (x.sums()) {
                        s.hits[c][q] = new long[x.subs()];
                        s.sum[c][q] = new double[x.subs()];
                        s.hitSum[c][q] = new double[x.subs()];
                    }
                }
            }
        }
        return s;
    }

    @Override
    void columns(State s, double[][] values, boolean[][] targets, int rows) {
        for (int c = 0; c < queries.length; c++) {
            Query[] qs = queries[c];
            if (qs.length == 0) {
                continue;
            }
            double[] v = values[c];
            boolean[] t = targets[c];
            long[] b0 = bounds[c];
            long[] r0 = roots[c];
            for (int i = 0; i < rows; i++) {
                long key = Double.doubleToRawLongBits(v[i]);
                long root = key >>> Selection.ROOT_SHIFT;
                if ((r0[(int) (root >>> 6)] & (1L << root)) == 0) {
                    continue;
                }
                int q = find(b0, key);
                if (q < 0) {
                    continue;
                }
                Query x = qs[q];
                if (x.collect()) {
                    int n = s.found[c][q];
                    if (n == s.values[c][q].length) {
                        s.values[c][q] = Arrays.copyOf(s.values[c][q], 2 * n);
                        s.targets[c][q] = Arrays.copyOf(s.targets[c][q], 2 * n);
                    }
                    s.values[c][q][n] = v[i];
                    s.targets[c][q][n] = t[i];
                    s.found[c][q] = n + 1;
                } else {
                    int b = (int) ((key - x.lo()) >>> x.shift());
                    s.count[c][q][b]++;
                    if (!x.sums()) {
                        continue;
                    }
                    s.sum[c][q][b] += v[i];
                    if (t[i]) {
                        s.hits[c][q][b]++;
                        s.hitSum[c][q][b] += v[i];
                    }
                }
            }
        }
    }

    /**
     * The query holding {@code key}, or -1: the number of {@code bounds} at most {@code key}, by a
     * binary search without branches on the data (each step a conditional move: which query a
     * value falls in is unpredictable, and mispredicted branches were most of a selection pass),
     * is odd inside query {@code count / 2} (bounds are sorted, an interval's {@code hi} excluded,
     * adjacent intervals share a bound: a key equal to it counts both and falls in the later one).
     */
    int find(int column, long key) {
        return find(bounds[column], key);
    }

    private static int find(long[] bounds, long key) {
        int base = 0;
        for (int half = bounds.length >>> 1; half > 0; half >>>= 1) {
            base += bounds[base + half - 1] <= key ? half : 0;
        }
        int count = base + (bounds[base] <= key ? 1 : 0);
        return (count & 1) == 1 ? count >>> 1 : -1;
    }
}
