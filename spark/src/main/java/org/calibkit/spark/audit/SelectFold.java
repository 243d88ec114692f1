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
    /**
     * Per column (null: no gaps summed), the sorted bounds {@code lo_0, hi_0, ...} of every
     * collected interval, this pass's and earlier passes' ({@code collected}), padded as
     * {@link #bounds}: the rows outside all of them are summed per gap between them
     * ({@link State#gapCount}). On the last pass, whose queries all collect, that gives the
     * equal-mass sums without a pass of their own.
     */
    private final long[][] gapBounds;
    /**
     * Per column (built by each partition's copy on first use: 256 KB a column, not shipped), for
     * each root interval ({@code key >>> ROOT_SHIFT}) the number of {@link #gapBounds} at most
     * every key in it when that is one number, else -1: most rows of the last pass lie in a root
     * interval that no bound cuts, and get their gap with one load instead of a search.
     */
    private transient volatile int[][] gapRoots;

    SelectFold(int k, OutputKind kind, RowMap map, Query[][] queries) {
        this(k, kind, map, queries, null);
    }

    /**
     * @param collected per column, the bounds {@code lo, hi, lo, hi, ...} (sorted) of the intervals
     *                  earlier passes collected, whose rows are neither collected again nor summed;
     *                  non-null: sum the rows outside every collected interval per gap, and each
     *                  top-label column's sum of v (1 - v). Every query must collect.
     */
    SelectFold(int k, OutputKind kind, RowMap map, Query[][] queries, long[][] collected) {
        super(k, kind, map);
        this.queries = queries;
        this.bounds = new long[queries.length][];
        this.gapBounds = collected == null ? null : new long[queries.length][];
        for (int c = 0; c < queries.length; c++) {
            long[] b = new long[2 * queries[c].length];
            for (int q = 0; q < queries[c].length; q++) {
                if (collected != null && !queries[c][q].collect()) {
                    throw new IllegalArgumentException("a pass that sums gaps must collect every query");
                }
                b[2 * q] = queries[c][q].lo();
                b[2 * q + 1] = queries[c][q].hi();
            }
            bounds[c] = padded(b);
            if (collected != null) {
                long[] all = Arrays.copyOf(b, b.length + collected[c].length);
                System.arraycopy(collected[c], 0, all, b.length, collected[c].length);
                Arrays.sort(all);   // disjoint intervals: sorting the bounds keeps each lo before its hi
                gapBounds[c] = padded(all);
            }
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

    /** The sorted bounds padded with {@code Long.MAX_VALUE} to a power of two (at least 2) for {@link #atMost}. */
    private static long[] padded(long[] sorted) {
        int m = Integer.highestOneBit(Math.max(1, sorted.length - 1)) << 1;
        long[] b = Arrays.copyOf(sorted, Math.max(m, 2));
        Arrays.fill(b, sorted.length, b.length, Long.MAX_VALUE);
        return b;
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
        /**
         * [column][gap] (when the fold sums gaps; else null): the rows outside every collected
         * interval ({@link #gapBounds}: this pass's and earlier ones') whose key lies in gap g, from
         * the end of interval g - 1 (key 0 for g = 0) up to the start of interval g (the end of
         * [0, 1] after the last): their count, value sum and targets.
         */
        long[][] gapCount;
        double[][] gapSum;
        long[][] gapHits;
        /** [column]: the sum of v (1 - v) over every row of a top-label column (when the fold sums gaps; 0 for the others). */
        double[] variance;

        /** Adds the other partition's findings (same queries). */
        State merge(State o) {
            if (gapCount != null) {
                for (int c = 0; c < gapCount.length; c++) {
                    for (int g = 0; g < gapCount[c].length; g++) {
                        gapCount[c][g] += o.gapCount[c][g];
                        gapSum[c][g] += o.gapSum[c][g];
                        gapHits[c][g] += o.gapHits[c][g];
                    }
                    variance[c] += o.variance[c];
                }
            }
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
                        if (n > values[c][q].length) {   // grown geometrically: merging p partitions copies each row O(1) times
                            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, 2L * values[c][q].length));
                            values[c][q] = Arrays.copyOf(values[c][q], capacity);
                            targets[c][q] = Arrays.copyOf(targets[c][q], capacity);
                        }
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
        if (gapBounds != null) {
            s.gapCount = new long[cols][];
            s.gapSum = new double[cols][];
            s.gapHits = new long[cols][];
            s.variance = new double[cols];
            for (int c = 0; c < cols; c++) {
                int g = gapBounds[c].length / 2 + 1;   // at least the gaps between the intervals
                s.gapCount[c] = new long[g];
                s.gapSum[c] = new double[g];
                s.gapHits[c] = new long[g];
            }
        }
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
            if (gapBounds != null) {
                gapColumn(s, c, values[c], targets[c], rows);
                continue;
            }
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
                    collect(s, c, q, v[i], t[i]);
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
     * A column on the last pass (every query collects): a row in a query is collected, one in an
     * interval an earlier pass collected is skipped (its value is known), any other is summed in
     * its gap between collected intervals.
     */
    private void gapColumn(State s, int c, double[] v, boolean[] t, int rows) {
        long[] b0 = bounds[c];
        long[] g0 = gapBounds[c];
        int[] r0 = gapRoots()[c];
        long[] count = s.gapCount[c];
        double[] sum = s.gapSum[c];
        long[] hits = s.gapHits[c];
        boolean top = c % (k + 1) == 0;   // the curve's variance term is a top-label column's only
        double var = 0;
        for (int i = 0; i < rows; i++) {
            var += top ? v[i] * (1 - v[i]) : 0;
            long key = Double.doubleToRawLongBits(v[i]);
            int at = r0[(int) (key >>> Selection.ROOT_SHIFT)];
            if (at < 0) {
                at = atMost(g0, key);
            }
            if ((at & 1) == 1) {
                int q = find(b0, key);
                if (q >= 0) {
                    collect(s, c, q, v[i], t[i]);
                }
            } else {
                int g = at >>> 1;
                count[g]++;
                sum[g] += v[i];
                hits[g] += t[i] ? 1 : 0;
            }
        }
        s.variance[c] += var;
    }

    /** {@link #gapRoots}, built on first use (two threads may both build it: the same table). */
    private int[][] gapRoots() {
        int[][] t = gapRoots;
        if (t == null) {
            int roots = 1 << Selection.ROOT_BITS;
            t = new int[gapBounds.length][roots];
            for (int c = 0; c < t.length; c++) {
                for (int r = 0; r < roots; r++) {
                    long first = (long) r << Selection.ROOT_SHIFT;
                    int lo = atMost(gapBounds[c], first);
                    int hi = atMost(gapBounds[c], first + (1L << Selection.ROOT_SHIFT) - 1);
                    t[c][r] = lo == hi ? lo : -1;
                }
            }
            gapRoots = t;
        }
        return t;
    }

    /** Per column, the bounds the gaps are counted between (null when this pass sums no gaps). */
    long[][] gapBounds() {
        return gapBounds;
    }

    private static void collect(State s, int c, int q, double v, boolean t) {
        int n = s.found[c][q];
        if (n == s.values[c][q].length) {
            s.values[c][q] = Arrays.copyOf(s.values[c][q], 2 * n);
            s.targets[c][q] = Arrays.copyOf(s.targets[c][q], 2 * n);
        }
        s.values[c][q][n] = v;
        s.targets[c][q][n] = t;
        s.found[c][q] = n + 1;
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
        int count = atMost(bounds, key);
        return (count & 1) == 1 ? count >>> 1 : -1;
    }

    /** The number of {@code bounds} at most {@code key}, without branches on the data. */
    static int atMost(long[] bounds, long key) {
        int base = 0;
        for (int half = bounds.length >>> 1; half > 0; half >>>= 1) {
            base += bounds[base + half - 1] <= key ? half : 0;
        }
        return base + (bounds[base] <= key ? 1 : 0);
    }
}
