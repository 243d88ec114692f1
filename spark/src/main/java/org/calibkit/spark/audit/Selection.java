package org.calibkit.spark.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.calibkit.spark.PredictionLog;

/**
 * Exact order statistics without a sort: passes over the log that narrow down, per column, the
 * key intervals that hold what is wanted, until each is a single value or few enough rows to
 * collect and sort on the driver (at most {@value #COLLECT} per interval). A value's key is its bit
 * pattern ({@link SelectFold}); the first pass counts every column in 65536 intervals of 2^46 keys,
 * each further pass splits the chosen intervals 4096 ways, so at most five passes end at single keys
 * (typically two or three: an interval of at most {@value #COLLECT} rows is collected). What is
 * wanted:
 * <ul>
 * <li>the values at given sorted positions (ranks) of a column: an interval holding rank r is kept,
 *     with the number of rows below it, so r's value is found exactly;</li>
 * <li>the extremes of the cumulative calibration curve of a top-label column, S(v) = sum over rows
 *     with value at most v of (target - value), after each distinct value (the Kolmogorov-Smirnov
 *     and Kuiper statistics): S at each interval's end is exact from the counts and sums; inside an
 *     interval S stays within [S before it + the sum of its non-hits' -value, S before it + the sum
 *     of its hits' 1 - value], so only intervals whose bound passes the extreme found so far are
 *     split further, and collected ones are walked in sorted order.</li>
 * </ul>
 * Counts are exact, so the ranks' values are the single-machine order statistics exactly; the
 * curve's sums are ordinary double sums in another order than a sort's (rounding only; candidate
 * intervals are kept with a slack of 1e-9 n so rounding never drops one).
 */
final class Selection {
    /** Rows an interval may hold to be collected instead of split. */
    static final int COLLECT = 32768;
    /**
     * Rows a pass may collect in all (every column's intervals together) to collect every pending
     * interval, whatever its size, so that pass is the last: 2^24 rows (a 10-million-row log's
     * second pass then ends the selection), or fewer in a small heap (a 128th of the maximum heap
     * in rows: at 9 bytes a row, doubled while they grow, and the partitions' states besides the
     * merged one, about a fifth of the heap). A pass whose pending intervals hold more splits those
     * above {@value #COLLECT} rows as before, so memory stays bounded however many rows the log has.
     */
    static final long COLLECT_ALL = Math.min(1L << 24, Runtime.getRuntime().maxMemory() / 128);
    private static final int SUB_BITS = 12;
    static final int ROOT_BITS = 16;
    static final int ROOT_SHIFT = 62 - ROOT_BITS;   // 2^16 x 2^46 = 2^62 keys: every double in [0, 1] (at most 0x3FF0...)

    /**
     * The values at the ranks, per column, and the curve's extremes per curve column; when the
     * last pass summed its gaps (else null): its merged state, the bounds its gaps lie between
     * ({@link SelectFold#gapBounds}) and, per column, the rows the earlier passes collected.
     */
    record Result(double[][] valuesAtRanks, double[] curveMax, double[] curveMin, int passes,
                  SelectFold.State last, long[][] gapBounds, List<List<Collected>> earlier) {
    }

    /** The rows of an interval an earlier pass collected: the first {@code found} values and targets. */
    record Collected(long lo, long hi, double[] values, boolean[] targets, int found) {
    }

    /** A key interval still to be narrowed down, and why. */
    private static final class Node {
        final long lo;
        final int shift;
        final int subs;
        final long rows;      // rows in the interval (from the parent's counts; n for the root)
        final long below;     // rows of the column with a smaller key
        final double before;  // the curve just before the interval (curve columns)
        boolean rank;
        boolean curve;

        Node(long lo, int shift, int subs, long rows, long below, double before) {
            this.lo = lo;
            this.shift = shift;
            this.subs = subs;
            this.rows = rows;
            this.below = below;
            this.before = before;
        }
    }

    private Selection() {
    }

    /**
     * The first pass's queries: every column's whole key range in 65536 intervals, counted (never
     * collected: they are known before the number of rows), with sums for the curve columns.
     * Folded alongside other work ({@link AuditFold}) and handed to {@link #run} as its first pass.
     */
    static SelectFold.Query[][] rootQueries(int[] curveOf) {
        SelectFold.Query[][] q = new SelectFold.Query[curveOf.length][];
        for (int c = 0; c < q.length; c++) {
            q[c] = new SelectFold.Query[] {new SelectFold.Query(0, ROOT_SHIFT, 1 << ROOT_BITS, false, curveOf[c] >= 0)};
        }
        return q;
    }

    /**
     * Runs the passes, collecting intervals of at most {@code collect} rows ({@link #COLLECT}; tests
     * make it small to exercise the splitting).
     *
     * @param ranks   per column, the ranks (0-based sorted positions, ascending) whose values are wanted
     * @param curveOf per column, the index of its curve (0, 1, ...) or -1 for none
     * @param n       the rows of every column
     * @param first   the merged state of {@link #rootQueries} over every row, run alongside other
     *                work, or null: the first pass is run here. Every column must want ranks.
     * @param gaps    whether a last pass whose queries all collect also sums the rows outside them
     *                per gap ({@link SelectFold#gapColumn}), returned as {@link Result#last}
     */
    static Result run(PredictionLog log, int k, RowMap map, long[][] ranks, int[] curveOf, long n, int collect,
                      SelectFold.State first, boolean gaps, java.util.function.Consumer<String> progress) {
        return run(log, k, map, ranks, curveOf, n, collect, COLLECT_ALL, first, gaps, progress);
    }

    /**
     * {@link #run} that collects every pending interval once they hold at most {@code collectAll}
     * rows in all ({@link #COLLECT_ALL}; 0: never, so tests exercise the splitting).
     */
    static Result run(PredictionLog log, int k, RowMap map, long[][] ranks, int[] curveOf, long n, int collect,
                      long collectAll, SelectFold.State first, boolean gaps, java.util.function.Consumer<String> progress) {
        if (first != null && Arrays.stream(ranks).anyMatch(r -> r.length == 0)) {
            throw new IllegalArgumentException("a first pass run elsewhere needs ranks in every column");
        }
        int cols = ranks.length;
        int curves = (int) Arrays.stream(curveOf).filter(c -> c >= 0).count();
        double[][] at = new double[cols][];
        double[] max = new double[curves];   // the curve starts at 0
        double[] min = new double[curves];
        double slack = 1e-9 * n;
        List<List<Node>> pending = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            at[c] = new double[ranks[c].length];
            Node root = new Node(0, ROOT_SHIFT, 1 << ROOT_BITS, n, 0, 0);
            root.rank = ranks[c].length > 0;
            root.curve = curveOf[c] >= 0;
            pending.add(root.rank || root.curve ? new ArrayList<>(List.of(root)) : new ArrayList<>());
        }
        int passes = 0;
        SelectFold.State last = null;
        long[][] gapBounds = null;
        List<List<Collected>> earlier = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            earlier.add(new ArrayList<>());
        }
        while (pending.stream().anyMatch(l -> !l.isEmpty())) {
            boolean fused = first != null && passes == 0;
            SelectFold.Query[][] queries = new SelectFold.Query[cols][];
            long pendingRows = fused ? 0 : pending.stream().flatMap(List::stream).mapToLong(x -> x.rows).sum();
            if (fused) {
                queries = rootQueries(curveOf);
            } else {
                boolean everything = pendingRows <= collectAll;
                for (int c = 0; c < cols; c++) {
                    queries[c] = pending.get(c).stream().map(x -> new SelectFold.Query(x.lo, x.shift, x.subs,
                            everything || x.rows <= collect, x.curve)).toArray(SelectFold.Query[]::new);
                }
            }
            long t0 = System.nanoTime();
            int intervals = Arrays.stream(queries).mapToInt(q -> q.length).sum();
            long collecting = Arrays.stream(queries).flatMap(Arrays::stream).filter(SelectFold.Query::collect).count();
            long collectedRows = 0;
            for (int c = 0; c < cols && !fused; c++) {
                for (int q = 0; q < queries[c].length; q++) {
                    collectedRows += queries[c][q].collect() ? pending.get(c).get(q).rows : 0;
                }
            }
            SelectFold.State all;
            if (fused) {
                all = first;
            } else {
                boolean allCollect = Arrays.stream(queries).flatMap(Arrays::stream).allMatch(SelectFold.Query::collect);
                long[][] done = null;
                if (gaps && allCollect) {
                    done = new long[cols][];
                    for (int c = 0; c < cols; c++) {
                        done[c] = earlier.get(c).stream().flatMapToLong(x -> java.util.stream.LongStream.of(x.lo(), x.hi()))
                                .sorted().toArray();
                    }
                }
                SelectFold fold = new SelectFold(k, log.schema().kind(), map, queries, done);
                List<SelectFold.State> states = log.fold(fold, SelectFold.State.class);
                all = states.get(0);
                for (int p = 1; p < states.size(); p++) {
                    all.merge(states.get(p));
                }
                if (done != null) {
                    last = all;
                    gapBounds = fold.gapBounds();
                }
            }
            passes++;
            progress.accept(fused ? "audit: selection pass 1: " + intervals + " intervals, counted by the pass over the test log"
                    : String.format(java.util.Locale.ROOT, "audit: selection pass %d: %d intervals of %,d rows (%d collected: %,d rows) in %.1f s",
                    passes, intervals, pendingRows, collecting, collectedRows, (System.nanoTime() - t0) / 1e9));
            // the collected intervals first, a column per task: their sorts are most of the driver's work, and a
            // column's intervals write only its own ranks and curve
            SelectFold.State state = all;
            SelectFold.Query[][] asked = queries;
            java.util.stream.IntStream.range(0, cols).parallel().forEach(c -> {
                List<Node> nodes = pending.get(c);
                for (int q = 0; q < nodes.size(); q++) {
                    if (asked[c][q].collect()) {
                        collected(nodes.get(q), state.values[c][q], state.targets[c][q], state.found[c][q], ranks[c], at[c],
                                curveOf[c], max, min);
                    }
                }
            });
            // children of the histogram answers; curve children are pruned once every answer of the pass is in
            List<List<Node>> next = new ArrayList<>();
            List<List<double[]>> curveCandidates = new ArrayList<>();   // per column: {lo, shift, subs, rows, below, before, pos, neg}
            for (int c = 0; c < cols; c++) {
                Map<Long, Node> children = new LinkedHashMap<>();
                List<double[]> candidates = new ArrayList<>();
                List<Node> nodes = pending.get(c);
                int curve = curveOf[c];
                for (int q = 0; q < nodes.size(); q++) {
                    Node x = nodes.get(q);
                    if (queries[c][q].collect()) {   // read off above
                        if (gaps && last == null) {
                            earlier.get(c).add(new Collected(queries[c][q].lo(), queries[c][q].hi(), all.values[c][q],
                                    all.targets[c][q], all.found[c][q]));
                        }
                        continue;
                    }
                    long[] count = all.count[c][q];
                    long below = x.below;
                    double s = x.before;
                    int childShift = Math.max(0, x.shift - SUB_BITS);
                    int childSubs = (int) ((1L << x.shift) >>> childShift);
                    for (int b = 0; b < count.length; b++) {
                        if (count[b] == 0) {
                            continue;
                        }
                        long lo = x.lo + ((long) b << x.shift);
                        long rowsIn = count[b];
                        if (x.rank) {
                            for (int i = 0; i < ranks[c].length; i++) {
                                long r = ranks[c][i];
                                if (r >= below && r < below + count[b]) {
                                    if (x.shift == 0) {
                                        at[c][i] = Double.longBitsToDouble(lo);
                                    } else {
                                        children.computeIfAbsent(lo, l -> new Node(l, childShift, childSubs,
                                                rowsIn, 0, 0)).rank = true;
                                    }
                                }
                            }
                        }
                        if (x.curve) {
                            long hits = all.hits[c][q][b];
                            double sum = all.sum[c][q][b];
                            double hitSum = all.hitSum[c][q][b];
                            double end = s + (hits - sum);
                            max[curve] = Math.max(max[curve], end);
                            min[curve] = Math.min(min[curve], end);
                            if (x.shift > 0) {
                                candidates.add(new double[] {b, s, hits - hitSum, -(sum - hitSum), q});
                            }
                            s = end;
                        }
                        below += count[b];
                    }
                }
                next.add(new ArrayList<>(children.values()));
                curveCandidates.add(candidates);
            }
            // rank children carry the rows below them; set them now that every count is known
            for (int c = 0; c < cols; c++) {
                List<Node> nodes = pending.get(c);
                List<Node> kids = new ArrayList<>();
                for (Node child : next.get(c)) {
                    kids.add(withContext(child, nodes, queries[c], all, c));
                }
                int curve = curveOf[c];
                for (double[] cand : curveCandidates.get(c)) {
                    boolean up = cand[1] + cand[2] > max[curve] + slack;
                    boolean down = cand[1] + cand[3] < min[curve] - slack;
                    if (!up && !down) {
                        continue;
                    }
                    Node parent = nodes.get((int) cand[4]);
                    int b = (int) cand[0];
                    long lo = parent.lo + ((long) b << parent.shift);
                    Node found = null;
                    for (Node kid : kids) {
                        if (kid.lo == lo) {
                            found = kid;
                        }
                    }
                    if (found == null) {
                        int childShift = Math.max(0, parent.shift - SUB_BITS);
                        found = withContext(new Node(lo, childShift, (int) ((1L << parent.shift) >>> childShift),
                                all.count[c][(int) cand[4]][b], 0, 0), nodes, queries[c], all, c);
                        kids.add(found);
                    }
                    found.curve = true;
                }
                kids.sort((a, b) -> Long.compare(a.lo, b.lo));
                pending.set(c, kids);
            }
        }
        return new Result(at, max, min, passes, last, gapBounds, last == null ? null : earlier);
    }

    /**
     * The child with the rows below it and the curve before it, from its parent's counts and
     * sums (its parent is the pending node whose interval holds it).
     */
    private static Node withContext(Node child, List<Node> parents, SelectFold.Query[] queries,
                                    SelectFold.State all, int c) {
        for (int q = 0; q < parents.size(); q++) {
            Node x = parents.get(q);
            if (child.lo < x.lo || child.lo >= queries[q].hi()) {
                continue;
            }
            int upTo = (int) ((child.lo - x.lo) >>> x.shift);
            long below = x.below;
            double before = x.before;
            long[] count = all.count[c][q];
            for (int b = 0; b < upTo; b++) {
                below += count[b];
                if (all.sum[c][q] != null) {
                    before += all.hits[c][q][b] - all.sum[c][q][b];
                }
            }
            Node out = new Node(child.lo, child.shift, child.subs, child.rows, below, before);
            out.rank = child.rank;
            out.curve = child.curve;
            return out;
        }
        throw new IllegalStateException("no parent interval for key " + child.lo);
    }

    /**
     * A collected interval: its values sorted (hits and the others apart, as primitive keys, then
     * merged), the ranks it holds read off, the curve walked run by run.
     */
    private static void collected(Node x, double[] values, boolean[] targets, int found, long[] ranks, double[] at,
                                  int curve, double[] max, double[] min) {
        if (found != x.rows) {
            throw new IllegalStateException("collected " + found + " rows of an interval of " + x.rows);
        }
        int h = 0;
        for (int i = 0; i < found; i++) {
            h += targets[i] ? 1 : 0;
        }
        double[] hit = new double[h];
        double[] miss = new double[found - h];
        int a = 0;
        int b = 0;
        for (int i = 0; i < found; i++) {
            if (targets[i]) {
                hit[a++] = values[i];
            } else {
                miss[b++] = values[i];
            }
        }
        Arrays.sort(hit);
        Arrays.sort(miss);
        double s = x.before;
        a = 0;
        b = 0;
        int rank = 0;   // index into ranks of the next one to read
        while (rank < ranks.length && ranks[rank] < x.below) {
            rank++;
        }
        long position = x.below;
        while (a < hit.length || b < miss.length) {
            double v = a == hit.length ? miss[b] : b == miss.length ? hit[a] : Math.min(hit[a], miss[b]);
            int hits = 0;
            double sum = 0;
            long run = 0;
            while (a < hit.length && hit[a] == v) {
                hits++;
                sum += v;
                a++;
                run++;
            }
            while (b < miss.length && miss[b] == v) {
                sum += v;
                b++;
                run++;
            }
            position += run;
            while (x.rank && rank < ranks.length && ranks[rank] < position) {
                at[rank++] = v;
            }
            if (x.curve) {
                s += hits - sum;
                max[curve] = Math.max(max[curve], s);
                min[curve] = Math.min(min[curve], s);
            }
        }
    }
}
