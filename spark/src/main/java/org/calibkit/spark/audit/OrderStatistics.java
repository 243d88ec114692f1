package org.calibkit.spark.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.metrics.EqualMassBins;
import org.calibkit.calibration.stats.CalibrationTests;
import org.calibkit.calibration.stats.CumulativeCalibrationTest;
import org.calibkit.calibration.stats.HosmerLemeshowTest;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.spark.PredictionLog;

/**
 * The audit's metrics that need an order, exactly, without sorting the log: every row gives,
 * before and after calibration, its top-label confidence and each class's probability
 * ({@code 2 (K + 1)} columns, {@link ColumnFold}), and
 * <ol>
 * <li>{@link Selection}'s passes find the values at the sorted positions the edges need
 *     ({@link EqualMassBins#ranks}, and the Hosmer-Lemeshow cuts) and the extremes of each side's
 *     cumulative calibration curve (Kolmogorov-Smirnov, Kuiper);</li>
 * <li>the equal-mass bins (equal-mass ECE, debiased ECE; ACE per class), the Hosmer-Lemeshow
 *     groups and the curve's variance term are summed by the last selection pass (the rows outside
 *     every collected interval per gap between them, the collected rows one by one:
 *     {@link #noEdgeSplitsAGap}) or, when an edge would split a gap, by one more pass, merged on
 *     the driver in partition order.</li>
 * </ol>
 * The edges and groups are those of the single-machine functions exactly (the same order
 * statistics); only the order of the value sums differs (rounding). No bootstrap replicate of
 * these metrics is computed: a replicate's edges would need each row's weight in every
 * replicate at every sorted position.
 */
final class OrderStatistics {
    private OrderStatistics() {
    }

    /**
     * One side's order-based results.
     *
     * @param top     the top-label confidences' equal-mass bins
     * @param classes each class's equal-mass bins, in class order
     * @param hosmerLemeshow     the Hosmer-Lemeshow test of the top-label confidence
     * @param kolmogorovSmirnov  the Kolmogorov-Smirnov test on its cumulative curve
     * @param kuiper             the Kuiper test
     */
    record Side(EqualMassBins.Accumulator top, List<EqualMassBins.Accumulator> classes,
                HosmerLemeshowTest hosmerLemeshow, CumulativeCalibrationTest kolmogorovSmirnov,
                CumulativeCalibrationTest kuiper) {
        double get(String key) {
            return switch (key) {
                case "ece_equal_mass" -> top.ece();
                case "debiased_ece" -> top.debiasedEce();
                case "ace" -> EqualMassBins.ace(classes);
                default -> Double.NaN;
            };
        }
    }

    /** The metric keys of {@code Metrics.ALL} computed here. */
    static final List<String> KEYS = List.of("ece_equal_mass", "ace", "debiased_ece");

    /** The last pass: per column its equal-mass bins, per side the Hosmer-Lemeshow groups and the sum of p (1 - p). */
    private static final class Sums extends ColumnFold<Sums.State> {
        private static final long serialVersionUID = 1L;
        private final double[][] edges;
        private final double[][] groupEdges;

        Sums(int k, OutputKind kind, RowMap map, double[][] edges, double[][] groupEdges) {
            super(k, kind, map);
            this.edges = edges;
            this.groupEdges = groupEdges;
        }

        /** A partition's sums (public: Spark's Kryo encoder takes public classes only). */
        public static final class State extends ChunkFold.Buffer {
            private static final long serialVersionUID = 1L;
            EqualMassBins.Accumulator[] bins;
            EqualMassBins.Accumulator[] groups;
            double[] variance;
        }

        @Override
        State fresh() {
            State s = new State();
            s.bins = new EqualMassBins.Accumulator[edges.length];
            for (int c = 0; c < edges.length; c++) {
                s.bins[c] = new EqualMassBins.Accumulator(edges[c]);
            }
            s.groups = new EqualMassBins.Accumulator[groupEdges.length];
            for (int side = 0; side < groupEdges.length; side++) {
                s.groups[side] = new EqualMassBins.Accumulator(groupEdges[side]);
            }
            s.variance = new double[groupEdges.length];
            return s;
        }

        @Override
        void columns(State s, double[][] values, boolean[][] targets, int rows) {
            for (int c = 0; c < values.length; c++) {
                double[] v = values[c];
                boolean[] t = targets[c];
                EqualMassBins.Accumulator bins = s.bins[c];
                for (int i = 0; i < rows; i++) {
                    bins.add(v[i], t[i]);
                }
                if (c % (k + 1) == 0) {
                    int side = c / (k + 1);
                    for (int i = 0; i < rows; i++) {
                        s.groups[side].add(v[i], t[i]);
                        s.variance[side] += v[i] * (1 - v[i]);
                    }
                }
            }
        }
    }

    /**
     * Computes both sides (after: null when nothing is calibrated) over {@code n} rows, the first
     * selection pass already run ({@link Selection#rootQueries}, by {@link AuditFold} alongside its
     * sums) or, for null, run here.
     *
     * @return {before, after}
     */
    static Side[] compute(PredictionLog log, int k, RowMap map, int bins, long n, SelectFold.State first,
                          java.util.function.Consumer<String> progress) {
        return compute(log, k, map, bins, n, first, Selection.COLLECT, Selection.COLLECT_ALL, progress);
    }

    /**
     * {@link #compute} collecting intervals of at most {@code collect} rows, and every interval
     * once they hold at most {@code collectAll} in all (tests make them small, or 0).
     */
    static Side[] compute(PredictionLog log, int k, RowMap map, int bins, long n, SelectFold.State first, int collect,
                          long collectAll, java.util.function.Consumer<String> progress) {
        int sides = map.calibrates() ? 2 : 1;
        int columns = sides * (k + 1);
        long[] eqm = EqualMassBins.ranks(n, bins);
        long[] hl = cuts(n);
        long[][] ranks = new long[columns][];
        int[] curveOf = ColumnFold.curveOf(k, sides);
        for (int c = 0; c < columns; c++) {
            TreeSet<Long> r = new TreeSet<>();
            for (long x : eqm) {
                r.add(x);
            }
            if (curveOf[c] >= 0) {
                for (long x : hl) {
                    r.add(x);
                }
            }
            ranks[c] = r.stream().mapToLong(Long::longValue).toArray();
        }
        return PredictionLog.runJob(() -> {
            Selection.Result found = Selection.run(log, k, map, ranks, curveOf, n, collect, collectAll, first, true, progress);
            double[][] edges = new double[columns][];
            double[][] groupEdges = new double[sides][];
            for (int c = 0; c < columns; c++) {
                edges[c] = EqualMassBins.edges(n, bins, valuesAt(ranks[c], found.valuesAtRanks()[c], eqm));
            }
            for (int s = 0; s < sides; s++) {
                groupEdges[s] = Arrays.stream(valuesAt(ranks[s * (k + 1)], found.valuesAtRanks()[s * (k + 1)], hl))
                        .distinct().toArray();
            }
            List<Sums.State> pieces;
            if (found.last() != null && noEdgeSplitsAGap(found, edges, groupEdges, k)) {
                pieces = List.of(fromLastPass(found, edges, groupEdges, k));
                progress.accept("audit: equal-mass bins and groups summed by the last selection pass");
            } else {
                Sums fold = new Sums(k, log.schema().kind(), map, edges, groupEdges);
                long t0 = System.nanoTime();
                pieces = log.fold(fold, Sums.State.class);
                progress.accept(String.format(java.util.Locale.ROOT, "audit: summing pass of the equal-mass bins and groups in %.1f s",
                        (System.nanoTime() - t0) / 1e9));
            }
            Side[] out = new Side[2];
            for (int s = 0; s < sides; s++) {
                out[s] = side(pieces, s, k, n, found.curveMax()[s], found.curveMin()[s]);
            }
            return out;
        });
    }

    /**
     * Whether every edge (and group edge) leaves each gap of the last pass whole: all keys a gap
     * holding rows can have lie on one side of it. They do when each edge lies in a collected
     * interval (of any pass) or at a gap's last key, or its gap holds no row: the edges are
     * midpoints between consecutive order statistics, whose intervals are collected, so no row
     * lies strictly between them (only a rank resolved by counting alone, at a single key, or the
     * final edge 1.0 can be elsewhere; a split gap falls back to the summing pass).
     */
    static boolean noEdgeSplitsAGap(Selection.Result found, double[][] edges, double[][] groupEdges, int k) {
        for (int c = 0; c < edges.length; c++) {
            boolean top = c % (k + 1) == 0;
            if (!leavesGapsWhole(found, c, edges[c]) || (top && !leavesGapsWhole(found, c, groupEdges[c / (k + 1)]))) {
                return false;
            }
        }
        return true;
    }

    private static boolean leavesGapsWhole(Selection.Result found, int c, double[] edges) {
        long[] b = found.gapBounds()[c];
        long end01 = Double.doubleToRawLongBits(1.0) + 1;   // one past the largest key of [0, 1]
        for (double e : edges) {
            long key = Double.doubleToRawLongBits(e + 0.0);
            int at = SelectFold.atMost(b, key);
            if ((at & 1) == 1) {
                continue;   // in a collected interval: its rows are binned one by one
            }
            int g = at >>> 1;
            long end = 2 * g < b.length && b[2 * g] != Long.MAX_VALUE ? b[2 * g] : end01;
            if (found.last().gapCount[c][g] > 0 && key < end - 1) {
                return false;
            }
        }
        return true;
    }

    /** The summing pass's state built from the selection: the last pass's gap sums and every collected row. */
    private static Sums.State fromLastPass(Selection.Result found, double[][] edges, double[][] groupEdges, int k) {
        Sums.State out = new Sums.State();
        out.bins = new EqualMassBins.Accumulator[edges.length];
        out.groups = new EqualMassBins.Accumulator[groupEdges.length];
        out.variance = new double[groupEdges.length];
        // a column per task: each writes its own bins (and its side's groups, for a top-label column)
        java.util.stream.IntStream.range(0, edges.length).parallel().forEach(c -> {
            out.bins[c] = fill(new EqualMassBins.Accumulator(edges[c]), found, c);
            if (c % (k + 1) == 0) {
                int side = c / (k + 1);
                out.groups[side] = fill(new EqualMassBins.Accumulator(groupEdges[side]), found, c);
                out.variance[side] = found.last().variance[c];
            }
        });
        return out;
    }

    /** Adds a column's gaps (each whole in one bin: its first key says which) and its collected rows. */
    private static EqualMassBins.Accumulator fill(EqualMassBins.Accumulator a, Selection.Result found, int c) {
        SelectFold.State last = found.last();
        long[] b = found.gapBounds()[c];
        for (int g = 0; g < last.gapCount[c].length; g++) {
            if (last.gapCount[c][g] > 0) {
                double first = Double.longBitsToDouble(g == 0 ? 0 : b[2 * g - 1]);
                a.addSums(first, last.gapCount[c][g], last.gapSum[c][g], last.gapHits[c][g]);
            }
        }
        for (int q = 0; q < last.found[c].length; q++) {
            for (int i = 0; i < last.found[c][q]; i++) {
                a.add(last.values[c][q][i], last.targets[c][q][i]);
            }
        }
        for (Selection.Collected x : found.earlier().get(c)) {
            for (int i = 0; i < x.found(); i++) {
                a.add(x.values()[i], x.targets()[i]);
            }
        }
        return a;
    }

    private static Side side(List<Sums.State> pieces, int s, int k, long n, double max, double min) {
        int base = s * (k + 1);
        EqualMassBins.Accumulator top = null;
        List<EqualMassBins.Accumulator> classes = new ArrayList<>();
        EqualMassBins.Accumulator groups = null;
        double var = 0;
        for (Sums.State p : pieces) {
            top = top == null ? p.bins[base] : top.merge(p.bins[base]);
            for (int j = 0; j < k; j++) {
                if (classes.size() == j) {
                    classes.add(p.bins[base + 1 + j]);
                } else {
                    classes.get(j).merge(p.bins[base + 1 + j]);
                }
            }
            groups = groups == null ? p.groups[s] : groups.merge(p.groups[s]);
            var += p.variance[s];
        }
        int rows = (int) n;
        HosmerLemeshowTest hl = CalibrationTests.hosmerLemeshow(groups.counts(), groups.valueSums(), groups.targetSums(),
                HosmerLemeshowTest.Df.HELD_OUT, rows);
        double maxAbs = Math.max(Math.abs(max), Math.abs(min));
        return new Side(top, classes, hl,
                CalibrationTests.cumulative(CumulativeCalibrationTest.Kind.KOLMOGOROV_SMIRNOV, max, min, maxAbs, var, rows),
                CalibrationTests.cumulative(CumulativeCalibrationTest.Kind.KUIPER, max, min, maxAbs, var, rows));
    }

    /**
     * The sorted positions of the Hosmer-Lemeshow thresholds: the last row of each of the
     * {@value AuditStatistics#HL_GROUPS} groups {@code numpy.array_split} cuts n rows into. A group
     * holds the rows with a value above the previous threshold up to its own (a cut inside a run
     * of ties moves to its end, and a group swallowed by ties disappears), as
     * {@link CalibrationTests#hosmerLemeshow(double[], boolean[], int, HosmerLemeshowTest.Df)} forms them.
     */
    private static long[] cuts(long n) {
        int groups = AuditStatistics.HL_GROUPS;
        long base = n / groups;
        long extra = n % groups;
        long cut = 0;
        TreeSet<Long> out = new TreeSet<>();
        for (int g = 0; g < groups; g++) {
            cut += base + (g < extra ? 1 : 0);
            if (cut > 0) {
                out.add(cut - 1);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The values at {@code wanted} (ascending), from the values found at {@code ranks} (ascending, a superset). */
    private static double[] valuesAt(long[] ranks, double[] values, long[] wanted) {
        double[] out = new double[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            out[i] = values[Arrays.binarySearch(ranks, wanted[i])];
        }
        return out;
    }
}
