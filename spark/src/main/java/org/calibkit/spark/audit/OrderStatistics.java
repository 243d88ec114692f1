package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.metrics.EqualMassBins;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.stats.CalibrationTests;
import org.calibkit.calibration.stats.CumulativeCalibrationTest;
import org.calibkit.calibration.stats.HosmerLemeshowTest;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.spark.SparkPredictionLog;
import scala.Tuple3;

/**
 * The audit's metrics that need an order, exactly, by a distributed sort: every row gives
 * (column, value, target) records, the top-label confidence and each class's probability,
 * before and after calibration ({@code 2 (K + 1)} columns); Spark sorts them by (column, value)
 * with range partitioning, which keeps equal values in one partition, and three passes over the
 * sorted partitions (their shuffle output is reused) give
 * <ol>
 * <li>each partition's count per column, hence each partition's global offset;</li>
 * <li>the values at the sorted positions the edges need ({@link EqualMassBins#ranks}, and the
 *     Hosmer-Lemeshow cuts);</li>
 * <li>the equal-mass bins (equal-mass ECE, debiased ECE; ACE per class), the Hosmer-Lemeshow
 *     groups and each partition's piece of the cumulative calibration curve (its sum and extremes
 *     after every distinct value), merged on the driver in partition order.</li>
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

    /** The records of one row: (column, value, target) per side. */
    private static final class Records implements SparkPredictionLog.Expand<Tuple3<Integer, Double, Boolean>> {
        private static final long serialVersionUID = 1L;
        private final int k;
        private final OutputKind kind;
        private final RowMap map;

        Records(int k, OutputKind kind, RowMap map) {
            this.k = k;
            this.kind = kind;
            this.map = map;
        }

        @Override
        public List<Tuple3<Integer, Double, Boolean>> records(long id, double[] outputs, int label) {
            Logits z = kind.toLogits(outputs, 1, k);
            int[] y = {label};
            List<Tuple3<Integer, Double, Boolean>> out = new ArrayList<>(2 * (k + 1));
            add(out, 0, Predictions.of(z, y), label);
            if (map.calibrates()) {
                add(out, k + 1, map.predictions(z, y), label);
            }
            return out;
        }

        private void add(List<Tuple3<Integer, Double, Boolean>> out, int base, Predictions p, int label) {
            out.add(new Tuple3<>(base, p.topLabel().confidence(0), p.topLabel().isCorrect(0)));
            for (int j = 0; j < k; j++) {
                out.add(new Tuple3<>(base + 1 + j, p.probabilities().get(0, j), label == j));
            }
        }
    }

    /** What pass 3 gives per partition. */
    private static final class Piece implements Serializable {
        private static final long serialVersionUID = 1L;
        EqualMassBins.Accumulator[] bins;
        EqualMassBins.Accumulator[] groups;   // per side: Hosmer-Lemeshow groups of the top column
        double[][] curve;                     // per side: sum, max, min after each distinct value; sum of p (1 - p)
        boolean[] any;                        // per side: the partition holds top-column rows
    }

    /**
     * Computes both sides (after: null when nothing is calibrated) over {@code n} rows.
     *
     * @return {before, after}
     */
    static Side[] compute(SparkPredictionLog log, int k, RowMap map, int bins, long n) {
        int sides = map.calibrates() ? 2 : 1;
        int columns = sides * (k + 1);
        // sorted once and cached (Spark's compressed columnar cache, spilling to disk): the three
        // passes read the cache instead of sorting the shuffle output again each
        Dataset<Tuple3<Integer, Double, Boolean>> sortedRows = log.expand(new Records(k, log.schema().kind(), map),
                Encoders.tuple(Encoders.INT(), Encoders.DOUBLE(), Encoders.BOOLEAN()))
                .orderBy(functions.col("_1"), functions.col("_2")).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Tuple3<Integer, Double, Boolean>> sorted = sortedRows.javaRDD();
        try {
            return passes(sorted, k, sides, columns, bins, n);
        } finally {
            sortedRows.unpersist();
        }
    }

    private static Side[] passes(JavaRDD<Tuple3<Integer, Double, Boolean>> sorted, int k, int sides, int columns,
                                 int bins, long n) {
        return SparkPredictionLog.runJob(() -> {
            // pass 1: rows per column in each partition
            List<long[]> counts = sorted.mapPartitions(it -> {
                long[] c = new long[columns];
                while (it.hasNext()) {
                    c[it.next()._1()]++;
                }
                return Collections.singletonList(c).iterator();
            }).collect();
            long[][] offsets = new long[counts.size()][columns];
            long[] running = new long[columns];
            for (int p = 0; p < counts.size(); p++) {
                offsets[p] = running.clone();
                for (int c = 0; c < columns; c++) {
                    running[c] += counts.get(p)[c];
                }
            }
            // pass 2: the values at the ranks the edges and the Hosmer-Lemeshow cuts need
            long[][] ranks = new long[columns][];
            for (int c = 0; c < columns; c++) {
                TreeSet<Long> r = new TreeSet<>();
                for (long x : EqualMassBins.ranks(n, bins)) {
                    r.add(x);
                }
                if (c % (k + 1) == 0) {
                    for (long x : cuts(n)) {
                        r.add(x);
                    }
                }
                ranks[c] = r.stream().mapToLong(Long::longValue).toArray();
            }
            List<double[]> found = sorted.mapPartitionsWithIndex((p, it) -> {
                long[] pos = offsets[p].clone();
                List<double[]> out = new ArrayList<>();
                while (it.hasNext()) {
                    Tuple3<Integer, Double, Boolean> t = it.next();
                    int c = t._1();
                    int i = Arrays.binarySearch(ranks[c], pos[c]++);
                    if (i >= 0) {
                        out.add(new double[] {c, i, t._2()});
                    }
                }
                return out.iterator();
            }, false).collect();
            double[][] at = new double[columns][];
            for (int c = 0; c < columns; c++) {
                at[c] = new double[ranks[c].length];
            }
            found.forEach(f -> at[(int) f[0]][(int) f[1]] = f[2]);
            double[][] edges = new double[columns][];
            double[][] groupEdges = new double[sides][];
            long[] eqm = EqualMassBins.ranks(n, bins);
            long[] hl = cuts(n);
            for (int c = 0; c < columns; c++) {
                edges[c] = EqualMassBins.edges(n, bins, valuesAt(ranks[c], at[c], eqm));
            }
            for (int s = 0; s < sides; s++) {
                groupEdges[s] = Arrays.stream(valuesAt(ranks[s * (k + 1)], at[s * (k + 1)], hl)).distinct().toArray();
            }
            // pass 3: bins, groups and the pieces of the cumulative curve
            List<Piece> pieces = sorted.mapPartitions(it -> {
                Piece pc = new Piece();
                pc.bins = new EqualMassBins.Accumulator[columns];
                for (int c = 0; c < columns; c++) {
                    pc.bins[c] = new EqualMassBins.Accumulator(edges[c]);
                }
                pc.groups = new EqualMassBins.Accumulator[sides];
                pc.curve = new double[sides][4];
                pc.any = new boolean[sides];
                for (int s = 0; s < sides; s++) {
                    pc.groups[s] = new EqualMassBins.Accumulator(groupEdges[s]);
                    pc.curve[s][1] = Double.NEGATIVE_INFINITY;
                    pc.curve[s][2] = Double.POSITIVE_INFINITY;
                }
                int openSide = -1;        // a run of equal top-label values, not yet added to the curve
                double openValue = Double.NaN;
                double sumP = 0;
                int hits = 0;
                while (it.hasNext()) {
                    Tuple3<Integer, Double, Boolean> t = it.next();
                    int c = t._1();
                    double v = t._2();
                    boolean target = t._3();
                    pc.bins[c].add(v, target);
                    if (openSide >= 0 && (c != openSide * (k + 1) || v != openValue)) {
                        close(pc.curve[openSide], hits, sumP);
                        openSide = -1;
                    }
                    if (c % (k + 1) == 0) {
                        int s = c / (k + 1);
                        pc.groups[s].add(v, target);
                        pc.curve[s][3] += v * (1 - v);
                        pc.any[s] = true;
                        if (openSide < 0) {
                            openSide = s;
                            openValue = v;
                            sumP = 0;
                            hits = 0;
                        }
                        sumP += v;
                        hits += target ? 1 : 0;
                    }
                }
                if (openSide >= 0) {
                    close(pc.curve[openSide], hits, sumP);
                }
                return Collections.singletonList(pc).iterator();
            }).collect();
            Side[] out = new Side[2];
            for (int s = 0; s < sides; s++) {
                out[s] = side(pieces, s, k, n);
            }
            return out;
        });
    }

    /** Adds a run of equal values to a partition's piece of the curve: its sum, then the extremes after it. */
    private static void close(double[] curve, int hits, double sumP) {
        curve[0] += hits - sumP;
        curve[1] = Math.max(curve[1], curve[0]);
        curve[2] = Math.min(curve[2], curve[0]);
    }

    private static Side side(List<Piece> pieces, int s, int k, long n) {
        int base = s * (k + 1);
        EqualMassBins.Accumulator top = null;
        List<EqualMassBins.Accumulator> classes = new ArrayList<>();
        EqualMassBins.Accumulator groups = null;
        double offset = 0;
        double max = 0;   // the curve starts at C = 0
        double min = 0;
        double var = 0;
        for (Piece p : pieces) {
            top = top == null ? p.bins[base] : top.merge(p.bins[base]);
            for (int j = 0; j < k; j++) {
                if (classes.size() == j) {
                    classes.add(p.bins[base + 1 + j]);
                } else {
                    classes.get(j).merge(p.bins[base + 1 + j]);
                }
            }
            groups = groups == null ? p.groups[s] : groups.merge(p.groups[s]);
            if (p.any[s]) {
                max = Math.max(max, offset + p.curve[s][1]);
                min = Math.min(min, offset + p.curve[s][2]);
                offset += p.curve[s][0];
            }
            var += p.curve[s][3];
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
