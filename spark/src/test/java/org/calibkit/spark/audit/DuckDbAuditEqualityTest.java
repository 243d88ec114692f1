package org.calibkit.spark.audit;

import static org.calibkit.spark.audit.SparkAuditEqualityTest.close;
import static org.calibkit.spark.audit.SparkAuditEqualityTest.sameBins;
import static org.calibkit.spark.audit.SparkAuditEqualityTest.sameSums;
import static org.calibkit.spark.audit.SparkAuditEqualityTest.sameTests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.functions;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.VectorScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SyntheticLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streamed audit through DuckDB on one machine equals the Spark audit of the same Parquet
 * files (which SparkAuditEqualityTest checks against the single-machine audit): the same folds
 * over the same validated rows, the bootstrap buckets keyed by the same ids. The reference is the
 * Spark engine, run in the same test; the point is the equality of the two engines. Fixed-point
 * sums and counts are equal exactly, double sums to 1e-12 relative (their grouping differs), the
 * fitted temperature to 1e-12.
 */
class DuckDbAuditEqualityTest {
    static final int K = 6;
    @TempDir
    static Path dir;
    static String testPath;
    static String validationPath;
    static String textIds;

    @BeforeAll
    static void write() {
        testPath = dir.resolve("test").toString();
        validationPath = dir.resolve("validation").toString();
        new SyntheticLog(3000, K, 20261207L).write(TestSpark.get(), testPath, 3, true);
        new SyntheticLog(2000, K, 20261208L).write(TestSpark.get(), validationPath, 2, true);
        // the same rows with text ids ("prédiction-€0", ...: two- and three-byte UTF-8): their bootstrap keys are hashes of the bytes
        textIds = dir.resolve("text-ids").toString();
        TestSpark.get().read().parquet(testPath)
                .withColumn("id", functions.concat(functions.lit("prédiction-€"), functions.col("id").cast("string")))
                .coalesce(2).write().parquet(textIds);
    }

    static AuditOptions options() {
        return SparkAuditEqualityTest.options();
    }

    static AuditResult spark(String test, AuditOptions o) {
        SparkPredictionLog t = SparkPredictionLog.read(TestSpark.get(), test, PredictionLogSchema.defaults());
        SparkPredictionLog v = SparkPredictionLog.read(TestSpark.get(), validationPath, PredictionLogSchema.defaults());
        return SparkAudit.run(t, Optional.of(v), SparkAudit.Options.of(o));
    }

    static AuditResult duckDb(String test, AuditOptions o) {
        DuckDbPredictionLog t = DuckDbPredictionLog.read(test, PredictionLogSchema.defaults());
        DuckDbPredictionLog v = DuckDbPredictionLog.read(validationPath, PredictionLogSchema.defaults());
        return SparkAudit.run(t, Optional.of(v), SparkAudit.Options.of(o));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theStreamedAuditThroughDuckDbEqualsTheSparkAudit(boolean text) {
        String path = text ? textIds : testPath;
        AuditResult s = spark(path, options());
        AuditResult d = duckDb(path, options());
        AuditResult.TestSection a = s.test();
        AuditResult.TestSection b = d.test();
        assertEquals(a.n(), b.n());
        assertEquals(a.temperature(), b.temperature(), 1e-12 * a.temperature(), "T");
        sameSums(a.uncalibrated(), b.uncalibrated(), 1e-12);
        sameSums(a.calibrated(), b.calibrated(), 1e-12);
        sameBins(a.binsBefore(), b.binsBefore(), true);
        sameBins(a.binsAfter(), b.binsAfter(), false);
        for (String key : OrderStatistics.KEYS) {
            close(a.uncalibrated().get(key), b.uncalibrated().get(key), 1e-12, key);
            close(a.calibrated().get(key), b.calibrated().get(key), 1e-12, "calibrated " + key);
        }
        sameTests(s.statistics().testsUncalibrated(), d.statistics().testsUncalibrated(), 1e-12);
        sameTests(s.statistics().testsCalibrated(), d.statistics().testsCalibrated(), 1e-12);
        // conformal sets: the same scores, thresholds and sums (a row's u is keyed by its id on both engines)
        assertEquals(3, d.statistics().conformal().size());
        for (int i = 0; i < 3; i++) {
            AuditResult.ConformalResult x = s.statistics().conformal().get(i);
            AuditResult.ConformalResult y = d.statistics().conformal().get(i);
            assertEquals(x.predictor(), y.predictor(), x.score());
            SparkAuditEqualityTest.sameEvaluation(x.test(), y.test(), x.score());
        }
        sameIntervals(a, b);
        assertEquals(s.verdicts().stream().map(AuditResult.Verdict::check).toList(),
                d.verdicts().stream().map(AuditResult.Verdict::check).toList());
        assertTrue(d.model().details().get(SparkAudit.NOT_COMPUTED).startsWith("Not computed in DuckDB's streamed audit: "),
                d.model().details().get(SparkAudit.NOT_COMPUTED));
    }

    @Test
    void vectorScalingFittedThroughDuckDbEqualsTheSparkFit() {
        AuditOptions o = options().withCalibration(CalibrationChoice.fit(new VectorScaling(0, 0, 1e-10, 20000, false)));
        AuditResult s = spark(testPath, o);
        AuditResult d = duckDb(testPath, o);
        assertEquals("vector", d.test().method());
        assertEquals(s.test().parameters().keySet(), d.test().parameters().keySet());
        // both run the same Newton passes over sums whose grouping differs: the optimum agrees far below 1e-9
        sameSums(s.test().calibrated(), d.test().calibrated(), 1e-9);
    }

    /**
     * The bootstrap intervals: bucket keys and weights depend on (seed, id) only, so both engines
     * draw the same replicates; before calibration NLL and Brier are double sums (1e-12), the rest
     * fixed-point exact; the calibrated side moves with T, which the two fits give to the last bits only
     * (their double sums are grouped differently): 1e-12.
     */
    static void sameIntervals(AuditResult.TestSection a, AuditResult.TestSection b) {
        assertEquals(a.intervals().keySet(), b.intervals().keySet());
        for (String key : a.intervals().keySet()) {
            Bootstrap.Paired x = a.intervals().get(key);
            Bootstrap.Paired y = b.intervals().get(key);
            double tol = key.equals("nll") || key.equals("brier") ? 1e-12 : 0;
            close(x.before().lower(), y.before().lower(), tol, key + " lower");
            close(x.before().upper(), y.before().upper(), tol, key + " upper");
            for (Bootstrap.Interval[] iv : new Bootstrap.Interval[][] {{x.after(), y.after()}, {x.difference(), y.difference()}}) {
                close(iv[0].lower(), iv[1].lower(), 1e-12, key + " lower, calibrated");
                close(iv[0].upper(), iv[1].upper(), 1e-12, key + " upper, calibrated");
            }
        }
    }
}
