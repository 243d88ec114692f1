package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SyntheticLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The order-based metrics of both sides (equal-mass ECE, debiased ECE, ACE) from the selection,
 * against calibration's single-machine functions on the same predictions computed on the driver
 * (a sort of each column): summed by the last selection pass's gaps (one pass, or several with a
 * small collect limit, where earlier passes collected the intervals of some edges) or, when ties
 * put an edge on a key that counting alone resolved, by the summing pass. Both paths run here
 * (the progress line says which); only the order of the value sums differs from the reference:
 * 1e-12 relative.
 */
class OrderStatisticsTest {
    static final int K = 4;
    static final int BINS = 15;
    @TempDir
    static Path dir;

    @ParameterizedTest
    @CsvSource({"false, 32768, 8388608", "false, 200, 0", "true, 200, 0", "true, 16, 0", "false, 16, 0",
            "false, 16, 3000", "true, 16, 3000"})
    void orderMetricsEqualTheSingleMachineOnes(boolean ties, int collect, long collectAll) {
        int n = 6000;
        SyntheticLog log = new SyntheticLog(n, K, ties ? 17L : 18L);
        if (ties) {   // logits rounded to halves: long runs of equal probabilities
            for (int i = 0; i < log.logits.length; i++) {
                log.logits[i] = Math.round(log.logits[i] * 2) / 2.0;
            }
        }
        String path = dir.resolve("log-" + ties + "-" + collect + "-" + collectAll).toString();
        log.write(TestSpark.get(), path, 3, true);
        SparkPredictionLog spark = SparkPredictionLog.read(TestSpark.get(), path, PredictionLogSchema.defaults());
        double t = 1.7;
        RowMap map = RowMap.of(TemperatureMap.of(K, t), K);
        List<String> lines = new ArrayList<>();
        OrderStatistics.Side[] got = OrderStatistics.compute(spark, K, map, BINS, n, null, collect, collectAll, lines::add);
        Logits z = Logits.of(log.logits, n, K);
        Predictions[] sides = {Predictions.of(z, log.labels), Predictions.of(z.divide(t), log.labels)};
        String path1 = lines.stream().filter(l -> l.contains("summ")).findFirst().orElse("?");
        for (int s = 0; s < 2; s++) {
            Predictions p = sides[s];
            close(CalibrationMetrics.eceEqualMass(p.topLabel(), BINS), got[s].get("ece_equal_mass"), "equal-mass ECE, side " + s + ", " + path1);
            close(CalibrationMetrics.debiasedEce(p.topLabel(), BINS), got[s].get("debiased_ece"), "debiased ECE, side " + s + ", " + path1);
            close(CalibrationMetrics.ace(p.probabilities(), log.labels, BINS), got[s].get("ace"), "ACE, side " + s + ", " + path1);
        }
        if (!ties && collect == 32768) {
            assertTrue(path1.contains("summed by the last selection pass"), path1);
        }
        if (ties && collect == 16 && collectAll == 0) {   // edges on keys resolved by counting: the summing pass
            assertTrue(path1.contains("summing pass"), path1);
        }
    }

    static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1e-3, Math.abs(expected)), what);
    }
}
