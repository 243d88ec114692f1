package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every value computed from the Parquet log (Spark in several partitionings, DuckDB) equals the
 * single-machine calibration computation on the same in-memory predictions: counts exactly,
 * sums to 1e-12 relative, T to 1e-9 relative. The reference is calibration's own
 * {@code Metrics.ALL} functions and {@code TemperatureScaling}, themselves tested against
 * numpy/scikit-learn in calibration/.
 */
class PredictionLogEqualityTest {
    static final int BINS = 15;
    @TempDir
    static Path dir;
    static SyntheticLog log;
    static String arrayPath;
    static String columnsPath;
    static Predictions reference;
    static double referenceT;

    @BeforeAll
    static void write() {
        SparkSession spark = TestSpark.get();
        log = new SyntheticLog(3000, 6, 20261202L);
        arrayPath = dir.resolve("array").toString();
        columnsPath = dir.resolve("columns").toString();
        log.write(spark, arrayPath, 3, true);
        log.write(spark, columnsPath, 2, false);
        Logits z = Logits.of(log.logits, log.n, log.k);
        reference = Predictions.of(z, log.labels);
        referenceT = new TemperatureScaling().fit(z, log.labels).temperature();
    }

    static void assertSame(SumMetrics m) {
        assertSame(m, true);
    }

    /**
     * With {@code exactSums}, the binned confidence sums bit for bit (calibration's fixed-point
     * accumulators on both sides); without (DuckDB's SQL double sums, see DuckDbSums), to 1e-12 relative.
     */
    static void assertSame(SumMetrics m, boolean exactSums) {
        assertEquals(log.n, m.n());
        ReliabilityBins rb = ReliabilityBins.of(reference.topLabel().confidences(), reference.topLabel().correct(), BINS);
        for (int b = 0; b < BINS; b++) {
            assertEquals(rb.count(b), m.topLabel().count(b), "count of bin " + b);
            assertEquals(rb.correctCount(b), m.topLabel().correctCount(b), "correct of bin " + b);
            assertEquals(rb.confidenceSum(b), m.topLabel().confidenceSum(b), exactSums ? 0.0 : 1e-12 * rb.confidenceSum(b),
                    "confidence sum of bin " + b);
        }
        assertEquals(value("accuracy"), m.accuracy(), 0.0);
        close("nll", m.nll());
        close("brier", m.brier());
        close("ece", m.ece());
        close("mce", m.mce());
        close("signed_ece", m.signedEce());
        close("classwise_ece", m.classwiseEce());
    }

    static double value(String key) {
        return Metrics.byKey(key).compute(reference, BINS);
    }

    static void close(String key, double actual) {
        double expected = value(key);
        assertEquals(expected, actual, 1e-12 * Math.abs(expected), key);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64})
    void sparkEqualsOneMachineInEveryPartitioning(int partitions) {
        SparkPredictionLog s = SparkPredictionLog.read(TestSpark.get(), arrayPath, PredictionLogSchema.defaults())
                .repartition(partitions);
        assertEquals(6, s.numClasses());
        assertSame(s.metrics(BINS));
    }

    @Test
    void sparkColumnsLayoutEqualsOneMachine() {
        PredictionLogSchema schema = PredictionLogSchema.defaults().withOutputColumns(log.columnNames());
        assertSame(SparkPredictionLog.read(TestSpark.get(), columnsPath, schema).metrics(BINS));
    }

    @Test
    void duckDbEqualsOneMachineInBothLayouts() {
        PredictionLogSchema schema = PredictionLogSchema.defaults().withOutputColumns(log.columnNames());
        for (DuckDbPredictionLog.Summation how : DuckDbPredictionLog.Summation.values()) {
            boolean exact = how == DuckDbPredictionLog.Summation.STREAM;
            assertSame(DuckDbPredictionLog.read(arrayPath, PredictionLogSchema.defaults()).metrics(BINS, how), exact);
            assertSame(DuckDbPredictionLog.read(columnsPath, schema).metrics(BINS, how), exact);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7})
    void sparkTemperatureEqualsOneMachine(int partitions) {
        DistributedTemperature.Fit f = SparkPredictionLog.read(TestSpark.get(), arrayPath,
                PredictionLogSchema.defaults()).repartition(partitions).temperature();
        assertEquals(referenceT, f.temperature(), 1e-9 * referenceT);
        assertEquals(true, f.converged());
    }

    @Test
    void duckDbTemperatureEqualsOneMachine() {
        DistributedTemperature.Fit f = DuckDbPredictionLog.read(arrayPath, PredictionLogSchema.defaults()).temperature();
        assertEquals(referenceT, f.temperature(), 1e-9 * referenceT);
        // the synthetic model is overconfident (noise logits of scale 2.5): T must move away from 1
        assertEquals(true, f.nllAfter() < f.nllBefore());
    }
}
