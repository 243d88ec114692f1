package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SyntheticLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Selection}'s passes against a plain sort on the driver, written out here: every
 * column's values are computed on one machine (calibration's {@link Predictions}, before and
 * after a temperature), sorted, read at the ranks, and the cumulative curve sum(target - value)
 * is walked run by run of equal values. A small collect limit forces the intervals to be split
 * over several passes, down to single keys; logits rounded to halves give long runs of equal
 * probabilities (ties across interval boundaries and intervals of one value). A budget for
 * collecting everything ({@code collectAll}, rows in all) ends the passes early, once the pending
 * intervals hold no more rows than it (0: never).
 */
class SelectionTest {
    static final int K = 4;
    @TempDir
    static Path dir;

    @ParameterizedTest
    @CsvSource({"false, 16, false, 0", "false, 32768, false, 0", "true, 16, false, 0", "true, 200, false, 0",
            "false, 16, true, 0", "true, 200, true, 0", "false, 32768, true, 0",
            "false, 16, true, 3000", "true, 16, false, 3000"})
    void ranksAndCurveExtremesEqualThoseOfASort(boolean ties, int collect, boolean fused, long collectAll) {
        int n = 6000;
        SyntheticLog log = new SyntheticLog(n, K, ties ? 7L : 8L);
        if (ties) {
            for (int i = 0; i < log.logits.length; i++) {
                log.logits[i] = Math.round(log.logits[i] * 2) / 2.0;
            }
        }
        String path = dir.resolve("log-" + ties + "-" + collect + "-" + fused + "-" + collectAll).toString();
        log.write(TestSpark.get(), path, 3, true);
        SparkPredictionLog spark = SparkPredictionLog.read(TestSpark.get(), path, PredictionLogSchema.defaults());
        double t = 1.7;
        RowMap map = RowMap.of(TemperatureMap.of(K, t), K);
        int columns = 2 * (K + 1);
        Logits z = Logits.of(log.logits, n, K);
        Predictions[] sides = {Predictions.of(z, log.labels), Predictions.of(z.divide(t), log.labels)};
        long[] wanted = {0, 1, 17, n / 3, n / 2, n - 2, n - 1};
        long[][] ranks = new long[columns][];
        int[] curveOf = new int[columns];
        double[][] values = new double[columns][n];
        boolean[][] targets = new boolean[columns][n];
        for (int c = 0; c < columns; c++) {
            ranks[c] = wanted.clone();
            curveOf[c] = c % (K + 1) == 0 ? c / (K + 1) : -1;
            Predictions p = sides[c / (K + 1)];
            int j = c % (K + 1) - 1;
            for (int i = 0; i < n; i++) {
                values[c][i] = j < 0 ? p.topLabel().confidence(i) : p.probabilities().get(i, j);
                targets[c][i] = j < 0 ? p.topLabel().isCorrect(i) : log.labels[i] == j;
            }
        }
        SelectFold.State first = null;
        if (fused) {   // the first pass folded elsewhere (as AuditFold does alongside its sums), handed in
            SelectFold root = new SelectFold(K, spark.schema().kind(), map, Selection.rootQueries(curveOf));
            java.util.List<SelectFold.State> parts = spark.fold(root, SelectFold.State.class);
            first = parts.get(0);
            for (int p = 1; p < parts.size(); p++) {
                first.merge(parts.get(p));
            }
        }
        List<String> lines = new ArrayList<>();
        Selection.Result r = Selection.run(spark, K, map, ranks, curveOf, n, collect, collectAll, first, false, lines::add);
        for (int c = 0; c < columns; c++) {
            double[] sorted = values[c].clone();
            Arrays.sort(sorted);
            for (int i = 0; i < wanted.length; i++) {
                assertEquals(sorted[(int) wanted[i]], r.valuesAtRanks()[c][i], 0.0, "column " + c + " rank " + wanted[i]);
            }
            if (curveOf[c] >= 0) {
                double[] extremes = curve(values[c], targets[c]);
                assertEquals(extremes[0], r.curveMax()[curveOf[c]], 1e-10, "curve max, column " + c);
                assertEquals(extremes[1], r.curveMin()[curveOf[c]], 1e-10, "curve min, column " + c);
            }
        }
        if (collectAll > 0) {
            // about 2,600 rows pend after the first pass, within the budget of 3,000: the second pass collects
            // every interval, those above the collect limit of 16 too, and is the last (with no budget the
            // same limit takes three passes or more, as asserted below)
            String lastPass = lines.get(lines.size() - 1);
            assertTrue(r.passes() == 2 && lastPass.matches(".*: (\\d+) intervals of [\\d,]+ rows \\(\\1 collected.*"),
                    lines.toString());
        } else if (collect == 16) {
            assertTrue(r.passes() >= 3, "a small collect limit splits over several passes: " + r.passes());
        } else if (collect == 32768) {
            // 6000 rows are collected at once, unless the first pass counted them before their number was known
            assertEquals(fused ? 2 : 1, r.passes());
        }
    }

    /** {max, min} of sum(target - value) after each run of equal values, from 0, in sorted order. */
    static double[] curve(double[] v, boolean[] t) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .toArray(Integer[]::new);
        double s = 0;
        double max = 0;
        double min = 0;
        int i = 0;
        while (i < order.length) {
            double x = v[order[i]];
            while (i < order.length && v[order[i]] == x) {
                s += (t[order[i]] ? 1 : 0) - x;
                i++;
            }
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        return new double[] {max, min};
    }
}
