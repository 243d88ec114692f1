package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.MatrixScaling;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.VectorScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SyntheticLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark audit of a Parquet log equals the single-machine audit ({@link Audit#ofOutputs}) of
 * the same rows held in memory: the reference is the existing single-machine code path, the
 * point being the equality of the two. Counts exactly, sums to 1e-12 relative, T to 1e-9; the
 * calibrated side with a fitted T to 1e-8 (the two fits agree to 1e-9 in T, and the calibrated
 * metrics move with T), and to 1e-12 with the same stored T on both paths.
 */
class SparkAuditEqualityTest {
    static final int K = 6;
    static final int BINS = 15;
    static final int RESAMPLES = 40;
    @TempDir
    static Path dir;
    static SyntheticLog test;
    static SyntheticLog validation;
    static String testPath;
    static String validationPath;
    static ModelOutputs outputs;

    @BeforeAll
    static void write() {
        test = new SyntheticLog(3000, K, 20261203L);
        validation = new SyntheticLog(2000, K, 20261204L);
        testPath = dir.resolve("test").toString();
        validationPath = dir.resolve("validation").toString();
        test.write(TestSpark.get(), testPath, 3, true);
        validation.write(TestSpark.get(), validationPath, 2, true);
        List<String> classes = IntStream.range(0, K).mapToObj(Integer::toString).toList();
        AuditResult.ModelInfo model = new AuditResult.ModelInfo("predictions", "(in memory)", null, "predictions",
                "softmax", "logits", classes, null, Map.of());
        AuditResult.DataInfo data = new AuditResult.DataInfo("predictions", validation.n, test.n, "(in memory)", null, false);
        outputs = new ModelOutputs(classes, Head.SOFTMAX, OutputKind.LOGITS,
                ModelOutputs.Split.of(Logits.of(test.logits, test.n, K), test.labels),
                Optional.of(ModelOutputs.Split.of(Logits.of(validation.logits, validation.n, K), validation.labels)),
                List.of(), Optional.empty(), model, data, List.of(), Map.of());
    }

    static AuditOptions options() {
        return AuditOptions.defaults().withBins(BINS).withResamples(RESAMPLES).withSeed(11).withProgress(s -> { });
    }

    static AuditResult spark(int partitions, AuditOptions o) {
        SparkPredictionLog t = SparkPredictionLog.read(TestSpark.get(), testPath, PredictionLogSchema.defaults());
        SparkPredictionLog v = SparkPredictionLog.read(TestSpark.get(), validationPath, PredictionLogSchema.defaults());
        return SparkAudit.run(partitions > 0 ? t.repartition(partitions) : t, Optional.of(v.repartition(2)),
                SparkAudit.Options.of(o));
    }

    @Test
    void fittedTemperatureAndEverySumEqualTheSingleMachineAudit() {
        AuditResult one = Audit.ofOutputs(outputs, options());
        AuditResult s = spark(0, options());
        AuditResult.TestSection a = one.test();
        AuditResult.TestSection b = s.test();
        assertEquals(a.n(), b.n());
        assertEquals(a.method(), b.method());
        assertEquals(a.temperature(), b.temperature(), 1e-9 * a.temperature(), "T");
        assertTrue(Math.abs(a.temperature() - 1) > 0.05, "the synthetic model is miscalibrated: T moves, " + a.temperature());
        sameSums(a.uncalibrated(), b.uncalibrated(), 1e-12);
        sameSums(a.calibrated(), b.calibrated(), 1e-8);
        sameBins(a.binsBefore(), b.binsBefore(), true);
        sameBins(a.binsAfter(), b.binsAfter(), false);
        for (int j = 0; j < K; j++) {
            AuditResult.ClassRow x = a.perClass().get(j);
            AuditResult.ClassRow y = b.perClass().get(j);
            assertEquals(x.name(), y.name());
            assertEquals(x.support(), y.support());
            assertEquals(x.frequency(), y.frequency(), 0.0);
            assertEquals(x.recall(), y.recall(), 0.0);
            close(x.meanProbability(), y.meanProbability(), 1e-12, "mean probability of class " + j);
            close(x.ece(), y.ece(), 1e-12, "ECE of class " + j);
            close(x.eceCalibrated(), y.eceCalibrated(), 1e-8, "calibrated ECE of class " + j);
        }
        assertEquals(a.confidenceHistogram().length, b.confidenceHistogram().length);
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        assertEquals(a.parameters().get("converged"), b.parameters().get("converged"));
        // the same checks, in the same order, assembled by the same code
        assertEquals(one.verdicts().stream().map(AuditResult.Verdict::check).toList(),
                s.verdicts().stream().map(AuditResult.Verdict::check).toList());
        assertEquals(one.settings(), s.settings());
        assertEquals(one.data(), s.data());
        // exact order statistics: the equal-mass metrics (no interval) and the tests on the sorted confidences
        for (String key : OrderStatistics.KEYS) {
            close(a.uncalibrated().get(key), b.uncalibrated().get(key), 1e-12, key);
            close(a.calibrated().get(key), b.calibrated().get(key), 1e-8, "calibrated " + key);
            assertNull(b.intervals().get(key), "no bootstrap interval of " + key + " on Spark");
        }
        sameTests(one.statistics().testsUncalibrated(), s.statistics().testsUncalibrated(), 1e-12);
        sameTests(one.statistics().testsCalibrated(), s.statistics().testsCalibrated(), 1e-7);
        // the exact bin intervals are functions of the bins' counts, which are equal
        for (boolean cp : new boolean[] {true, false}) {
            var x = cp ? one.statistics().binsUncalibrated().clopperPearson() : one.statistics().binsUncalibrated().wilson();
            var y = cp ? s.statistics().binsUncalibrated().clopperPearson() : s.statistics().binsUncalibrated().wilson();
            assertTrue(java.util.Arrays.equals(x.lower(), y.lower()) && java.util.Arrays.equals(x.upper(), y.upper()));
        }
        assertTrue(s.statistics().selective().isEmpty());
        sameConformal(one.statistics().conformal(), s.statistics().conformal());
        // what is not computed is absent with a reason, not a made-up number
        assertTrue(Double.isNaN(b.uncalibrated().smoothEce()));
        assertNull(b.intervals().get("smooth_ece"));
        assertNotNull(s.model().details().get(SparkAudit.NOT_COMPUTED));
    }

    /**
     * Vector and matrix scaling fitted on Spark (distributed Newton passes) give the calibrated side
     * of the single-machine audit, whose L-BFGS fit is run to a gradient of 1e-10 here so that both
     * sit at the optimum far below the asserted tolerance (see LinearScalingTest).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void vectorAndMatrixScalingGiveTheSingleMachineCalibratedSide(boolean vector) {
        CalibrationChoice c = CalibrationChoice.fit(vector ? new VectorScaling(0, 0, 1e-10, 20000, false)
                : new MatrixScaling(MatrixScaling.DEFAULT_LAMBDA, MatrixScaling.DEFAULT_MU, 1e-10, 20000, false));
        AuditOptions o = options().withCalibration(c);
        AuditResult one = Audit.ofOutputs(outputs, o);
        AuditResult s = spark(0, o);
        assertEquals(vector ? "vector" : "matrix", s.test().method());
        assertEquals(one.test().method(), s.test().method());
        assertEquals(one.test().parameters().keySet(), s.test().parameters().keySet());
        sameSums(one.test().uncalibrated(), s.test().uncalibrated(), 1e-12);
        sameSums(one.test().calibrated(), s.test().calibrated(), 1e-7);
        sameBins(one.test().binsAfter(), s.test().binsAfter(), false);
        for (String key : OrderStatistics.KEYS) {
            close(one.test().calibrated().get(key), s.test().calibrated().get(key), 1e-7, "calibrated " + key);
        }
        assertTrue(one.test().calibrated().ece() < one.test().uncalibrated().ece(), "the fit calibrates");
    }

    @Test
    void aStoredTemperatureGivesTheCalibratedSideToRounding() {
        TemperatureMap t = TemperatureMap.of(K, 1.7);
        AuditOptions o = options().withStoredMap(t).withCalibration(new CalibrationChoice.Stored());
        AuditResult one = Audit.ofOutputs(outputs, o);
        AuditResult s = spark(0, o);
        assertEquals("temperature T=1.700 (stored)", s.test().calibration());
        assertEquals(one.test().calibration(), s.test().calibration());
        sameSums(one.test().calibrated(), s.test().calibrated(), 1e-12);
        sameBins(one.test().binsAfter(), s.test().binsAfter(), true);
        assertEquals(one.test().confidenceHistogram().length, s.test().confidenceHistogram().length);
        for (int b = 0; b < s.test().confidenceHistogram().length; b++) {
            assertEquals(one.test().confidenceHistogram()[b], s.test().confidenceHistogram()[b], 0.0, "histogram bin " + b);
        }
    }

    /**
     * The conformal sets: LAC (no randomness) equals the single-machine audit's exactly; the
     * randomised APS and RAPS equal calibration's functions run here on the same rows with each
     * row's u drawn from its id (the synthetic ids are 0..n-1, integer ids are their own keys):
     * PoissonWeights.uniform(seed, id) on the validation rows, seed + 1 on the test rows.
     */
    static void sameConformal(List<AuditResult.ConformalResult> single, List<AuditResult.ConformalResult> streamed) {
        assertEquals(single.stream().map(AuditResult.ConformalResult::score).toList(),
                streamed.stream().map(AuditResult.ConformalResult::score).toList());
        long seed = options().seed();
        double alpha = options().alpha();
        Probabilities cal = Logits.of(validation.logits, validation.n, K).softmax();
        Probabilities tst = Logits.of(test.logits, test.n, K).softmax();
        for (int i = 0; i < single.size(); i++) {
            AuditResult.ConformalResult a = single.get(i);
            AuditResult.ConformalResult b = streamed.get(i);
            assertTrue(b.probes().isEmpty());
            if (!a.predictor().score().randomized()) {
                assertEquals(a.predictor(), b.predictor(), a.score());
                sameEvaluation(a.test(), b.test(), a.score());
                continue;
            }
            ConformalScore score = a.predictor().score();
            double[] u = new double[validation.n];
            for (int r = 0; r < u.length; r++) {
                u[r] = org.calibkit.spark.PoissonWeights.uniform(seed, r);
            }
            ConformalPredictor cp = Conformal.fitScores(score, Conformal.scores(score, cal, validation.labels, u), alpha, K);
            assertEquals(cp, b.predictor(), a.score());
            double[] ut = new double[test.n];
            for (int r = 0; r < ut.length; r++) {
                ut[r] = org.calibkit.spark.PoissonWeights.uniform(seed + 1, r);
            }
            sameEvaluation(ConformalEvaluation.of(cp.predict(tst, ut), test.labels, options().level()), b.test(), a.score());
            assertTrue(b.description().contains("keyed by its id"), b.description());
            // another randomisation than the in-memory audit's, the same guarantee: coverage near 1 - alpha
            assertEquals(a.test().coverage(), b.test().coverage(), 0.03, a.score());
        }
    }

    static void sameEvaluation(ConformalEvaluation a, ConformalEvaluation b, String what) {
        assertEquals(a.n(), b.n(), what);
        assertEquals(a.covered(), b.covered(), what);
        assertEquals(a.coverage(), b.coverage(), 0.0, what);
        assertEquals(a.coverageInterval(), b.coverageInterval(), what);
        assertEquals(a.meanSize(), b.meanSize(), 0.0, what);
        assertTrue(java.util.Arrays.equals(a.sizeHistogram(), b.sizeHistogram()), what + " sizes");
        assertTrue(java.util.Arrays.equals(a.classCount(), b.classCount()), what + " classes");
        assertTrue(java.util.Arrays.equals(a.classCoverage(), b.classCoverage()), what + " class coverage");
        assertTrue(java.util.Arrays.equals(a.sizeCoverage(), b.sizeCoverage()), what + " size coverage");
    }

    @Test
    void partitioningChangesNothingBootstrapIncluded() {
        // a stored T (the fit's passes are covered above, and in PredictionLogEqualityTest per partitioning)
        AuditOptions o = options().withStoredMap(TemperatureMap.of(K, 1.3)).withCalibration(new CalibrationChoice.Stored());
        AuditResult ref = spark(1, o);
        for (int p : new int[] {2, 7, 64}) {
            AuditResult s = spark(p, o);
            assertEquals(ref.test().temperature(), s.test().temperature(), 1e-12 * ref.test().temperature());
            for (String key : OrderStatistics.KEYS) { // the order statistics: the same edges whatever the partitioning
                close(ref.test().uncalibrated().get(key), s.test().uncalibrated().get(key), 1e-12, key + ", " + p);
                close(ref.test().calibrated().get(key), s.test().calibrated().get(key), 1e-12, key + " after, " + p);
            }
            sameTests(ref.statistics().testsUncalibrated(), s.statistics().testsUncalibrated(), 1e-12);
            for (int i = 0; i < ref.statistics().conformal().size(); i++) {   // u keyed by id: no dependence on partitions
                AuditResult.ConformalResult x = ref.statistics().conformal().get(i);
                assertEquals(x.predictor(), s.statistics().conformal().get(i).predictor(), x.score() + ", " + p);
                sameEvaluation(x.test(), s.statistics().conformal().get(i).test(), x.score() + ", " + p);
            }
            assertEquals(3, s.statistics().conformal().size());
            for (String key : ref.test().intervals().keySet()) {
                Bootstrap.Paired x = ref.test().intervals().get(key);
                Bootstrap.Paired y = s.test().intervals().get(key);
                // nll and brier are double sums (rounding differs with the grouping); the rest are fixed-point exact
                double tol = key.equals("nll") || key.equals("brier") ? 1e-12 : 0;
                for (Bootstrap.Interval[] iv : new Bootstrap.Interval[][] {{x.before(), y.before()},
                        {x.after(), y.after()}, {x.difference(), y.difference()}}) {
                    close(iv[0].estimate(), iv[1].estimate(), tol, key + " estimate, " + p + " partitions");
                    close(iv[0].lower(), iv[1].lower(), tol, key + " lower, " + p + " partitions");
                    close(iv[0].upper(), iv[1].upper(), tol, key + " upper, " + p + " partitions");
                }
            }
        }
    }

    @Test
    void aLogOfProbabilitiesIsReadAsTheSingleMachineAuditReadsIt() {
        // the softmax of the synthetic logits, written as probabilities; the reference reads them as
        // one machine does: OutputKind.PROBABILITIES.toLogits (their logarithms), temperature fitted on those
        int n = 1000;
        double[] p = Logits.of(java.util.Arrays.copyOf(test.logits, n * K), n, K).softmax().raw();
        int[] y = java.util.Arrays.copyOf(test.labels, n);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Double[] v = new Double[K];
            for (int j = 0; j < K; j++) {
                v[j] = p[i * K + j];
            }
            rows.add(RowFactory.create((long) i, y[i], v));
        }
        String path = dir.resolve("probabilities").toString();
        TestSpark.get().createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false),
                DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), false))))
                .coalesce(2).write().parquet(path);
        PredictionLogSchema schema = PredictionLogSchema.defaults().withKind(OutputKind.PROBABILITIES);
        SparkPredictionLog log = SparkPredictionLog.read(TestSpark.get(), path, schema);
        Logits z = OutputKind.PROBABILITIES.toLogits(p, n, K);
        List<String> classes = IntStream.range(0, K).mapToObj(Integer::toString).toList();
        ModelOutputs in = new ModelOutputs(classes, Head.SOFTMAX, OutputKind.PROBABILITIES, ModelOutputs.Split.of(z, y),
                Optional.of(ModelOutputs.Split.of(z, y)), List.of(), Optional.empty(), outputs.model(), outputs.data(),
                List.of(), Map.of());
        AuditResult one = Audit.ofOutputs(in, options());
        AuditResult s = SparkAudit.run(log, Optional.of(log), SparkAudit.Options.of(options()));
        assertEquals(one.test().temperature(), s.test().temperature(), 1e-9 * one.test().temperature(), "T");
        sameSums(one.test().uncalibrated(), s.test().uncalibrated(), 1e-12);
        sameBins(one.test().binsBefore(), s.test().binsBefore(), true);
        assertEquals("probabilities", s.model().outputKind());
    }

    /** The same tests in the same order: names, degrees of freedom and n exactly, statistics and p-values to tol. */
    static void sameTests(List<CalibrationTest> a, List<CalibrationTest> b, double tol) {
        assertEquals(a.stream().map(CalibrationTest::name).toList(), b.stream().map(CalibrationTest::name).toList());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).n(), b.get(i).n());
            close(a.get(i).statistic(), b.get(i).statistic(), tol, a.get(i).name());
            assertEquals(a.get(i).pValue(), b.get(i).pValue(), tol * Math.max(1e-300, a.get(i).pValue()) + 1e-15,
                    a.get(i).name() + " p-value");
        }
    }

    static void sameSums(MetricSummary a, MetricSummary b, double tol) {
        assertEquals(a.n(), b.n());
        for (String key : SplitSums.SumValues.KEYS) {
            close(a.get(key), b.get(key), key.equals("accuracy") ? 0 : tol, key);
        }
        assertEquals(Metrics.keys(), List.copyOf(b.values().keySet()));
    }

    static void sameBins(ReliabilityBins a, ReliabilityBins b, boolean exact) {
        assertEquals(a.numBins(), b.numBins());
        for (int i = 0; i < a.numBins(); i++) {
            assertEquals(a.count(i), b.count(i), "count of bin " + i);
            assertEquals(a.correctCount(i), b.correctCount(i), "correct of bin " + i);
            close(a.confidenceSum(i), b.confidenceSum(i), exact ? 0 : 1e-8, "confidence sum of bin " + i);
        }
    }

    static void close(double expected, double actual, double relative, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what);
            return;
        }
        assertEquals(expected, actual, relative * Math.abs(expected), what);
    }
}
