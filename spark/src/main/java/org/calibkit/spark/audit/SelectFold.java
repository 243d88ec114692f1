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

    SelectFold(int k, OutputKind kind, RowMap map, Query[][] queries) {
        super(k, kind, map);
        this.queries = queries;
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
            for (int i = 0; i < rows; i++) {
                long key = Double.doubleToRawLongBits(v[i]);
                int q = find(qs, key);
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

    /** The query holding {@code key}, or -1. */
    private static int find(Query[] qs, long key) {
        int lo = 0;
        int hi = qs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (qs[mid].lo() > key) {
                hi = mid - 1;
            } else if (qs[mid].hi() <= key) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
