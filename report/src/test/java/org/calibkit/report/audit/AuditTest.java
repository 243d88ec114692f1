package org.calibkit.report.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.ood.OodScores;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTests;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.calibration.stats.ProportionInterval;
import org.calibkit.calibration.stats.Selective;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.MnistSample;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit of a real (small) model on real MNIST: a logistic regression trained on 3,000
 * images, audited on 1,000 test images with a few probes. Reference values are recomputed here
 * from the model's own logits with plain loops (not through the audit's code path).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTest {
    private ModelBundle model;
    private ImageSet validation;
    private ImageSet test;
    private List<ProbeOutcome> probes;
    private AuditResult result;

    @BeforeAll
    void audit() {
        // real MNIST from the test resources (no network, no cache): 400 training images, and the 500
        // test images split into 200 for validation and 300 for test
        ImageSet train = MnistSample.train(400);
        ImageSet sample = MnistSample.test(500);
        validation = sample.slice(0, 200, "validation");
        test = sample.slice(200, 500, "test");
        model = new LogisticTrainer(2, 1, 0.05, 3).train(train, null, s -> { });
        ProbeContext ctx = new ProbeContext(test, "mnist", 200, 5, null, model.preprocessing().scale());
        probes = Probes.generate(Probes.select("blank-black,noise-uniform,unscaled,rotated-90,notmnist"), ctx, s -> { });
        result = Audit.of(model, ModelData.of(test).withValidation(validation).withProbes(probes), AuditOptions.defaults().withResamples(50).withSeed(9));
    }

    @AfterAll
    void close() {
        model.close();
    }

    /** The statistics section is the stats functions called directly on the model's own outputs (seed 9, alpha 0.1). */
    @Test
    void statisticsAreTheStatsFunctionsOnTheSameData() {
        AuditResult.Statistics s = result.statistics();
        assertNotNull(s, "an audit with a validation split computes its statistics section");
        Logits z = model.logits(test);
        int[] y = test.labels();
        Probabilities p = z.softmax();
        Probabilities pc = z.divide(result.test().temperature()).softmax();
        assertEquals(List.of(CalibrationTests.spiegelhalter(p, y), CalibrationTests.hosmerLemeshow(p, y, 10),
                CalibrationTests.kolmogorovSmirnov(p, y), CalibrationTests.kuiper(p, y)), s.testsUncalibrated());
        assertEquals(List.of(CalibrationTests.spiegelhalter(pc, y), CalibrationTests.hosmerLemeshow(pc, y, 10),
                CalibrationTests.kolmogorovSmirnov(pc, y), CalibrationTests.kuiper(pc, y)), s.testsCalibrated());

        ReliabilityBins rb = ReliabilityBins.of(p.maxProbability(), correct(p, y), 15);
        BinIntervals cp = BinIntervals.of(rb, 0.95, ProportionInterval.Method.CLOPPER_PEARSON);
        assertArrayEquals(cp.lower(), s.binsUncalibrated().clopperPearson().lower());
        assertArrayEquals(cp.upper(), s.binsUncalibrated().clopperPearson().upper());
        assertArrayEquals(BinIntervals.of(rb, 0.95, ProportionInterval.Method.WILSON).upper(),
                s.binsUncalibrated().wilson().upper());

        Probabilities pv = model.logits(validation).softmax();
        ConformalScore[] scores = {ConformalScore.lac(), ConformalScore.aps(true), ConformalScore.raps(1, 0.01, true)};
        for (int i = 0; i < scores.length; i++) {
            ConformalPredictor cpred = Conformal.fit(scores[i], pv, validation.labels(), 0.1, 9);
            AuditResult.ConformalResult got = s.conformal().get(i);
            assertEquals(cpred, got.predictor());
            ConformalEvaluation ev = ConformalEvaluation.of(cpred.predict(p, 10), y, 0.95);
            assertEquals(ev.coverage(), got.test().coverage(), 0);
            assertEquals(ev.coverageInterval(), got.test().coverageInterval());
            assertArrayEquals(ev.sizeHistogram(), got.test().sizeHistogram());
            assertArrayEquals(ev.classCoverage(), got.test().classCoverage());
            // the first probe that ran (blank-black) with seed 9 + 2
            ProbeOutcome blank = probes.get(0);
            assertEquals("blank-black", got.probes().get(0).probe());
            Probabilities pb = model.logits(blank.images().images()).softmax();
            assertArrayEquals(cpred.predict(pb, 11).sizeHistogram(), got.probes().get(0).sizeHistogram());
            assertEquals(probes.stream().filter(o -> !o.skipped()).count(), got.probes().size());
        }

        boolean[] ok = correct(p, y);
        AuditResult.SelectiveResult msp = s.selective().get(0);
        assertEquals("msp", msp.score());
        assertEquals(Selective.aurc(p.maxProbability(), ok), msp.aurc(), 0);
        assertEquals(Selective.eaurc(p.maxProbability(), ok), msp.eaurc(), 0);
        AuditResult.SelectiveResult energy = s.selective().get(2);
        assertEquals("energy", energy.score());
        assertEquals(Selective.coverageAtRisk(OodScores.energy(z), ok, 0.01), energy.targets().get(0).point());
        assertEquals(Selective.coverageAtRisk(OodScores.energy(z), ok, 0.005), energy.targets().get(1).point());
        AuditResult.SelectiveResult cal = s.selective().get(3);
        assertEquals("msp_calibrated", cal.score());
        assertEquals(Selective.aurc(pc.maxProbability(), correct(pc, y)), cal.aurc(), 0);
        assertTrue(result.provenance().timings().containsKey("statistics"));
    }

    private static boolean[] correct(Probabilities p, int[] y) {
        int[] a = p.argmax();
        boolean[] ok = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            ok[i] = a[i] == y[i];
        }
        return ok;
    }

    @Test
    void alphaIsCheckedBeforeAnyWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditOptions.defaults().withAlpha(1.0));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void calibrationIsFittedOnTheValidationSplitNeverOnTest() {
        TemperatureMap onValidation = new TemperatureScaling().fit(model.logits(validation), validation.labels());
        assertEquals(onValidation.temperature(), result.test().temperature(), 0);
        TemperatureMap onTest = new TemperatureScaling().fit(model.logits(test), test.labels());
        assertTrue(onTest.temperature() != result.test().temperature());
        assertEquals("temperature", result.test().method());
    }

    @Test
    void testMetricsAreThoseOfTheModelsLogits() {
        Logits z = model.logits(test);
        int[] y = test.labels();
        // accuracy and mean top softmax probability by hand
        int hit = 0;
        double confSum = 0;
        for (int i = 0; i < z.n(); i++) {
            double[] row = z.row(i);
            int best = 0;
            double max = row[0];
            for (int j = 1; j < row.length; j++) {
                if (row[j] > max) {
                    max = row[j];
                    best = j;
                }
            }
            double s = 0;
            for (double v : row) {
                s += Math.exp(v - max);
            }
            confSum += 1 / s;
            hit += best == y[i] ? 1 : 0;
        }
        assertEquals((double) hit / test.size(), result.test().uncalibrated().accuracy(), 1e-12);
        assertEquals(confSum / test.size() - (double) hit / test.size(), result.test().uncalibrated().signedEce(), 1e-12);
        // temperature scaling keeps the argmax, so the accuracy is unchanged
        assertEquals(result.test().uncalibrated().accuracy(), result.test().calibrated().accuracy(), 0);
        assertEquals(test.size(), result.test().n());
        for (var e : result.test().intervals().entrySet()) {
            var p = e.getValue();
            assertTrue(p.before().lower() <= p.before().upper(), e.getKey());
            assertEquals(p.after().estimate() - p.before().estimate(), p.difference().estimate(), 1e-12, e.getKey());
        }
        int support = 0;
        for (AuditResult.ClassRow r : result.test().perClass()) {
            support += r.support();
        }
        assertEquals(test.size(), support);
    }

    @Test
    void blankImagesAreMeasuredAgainstTheModelsOwnOutputs() {
        ProbeResult blank = probe("blank-black");
        assertEquals(200, blank.count());
        // all blank images are identical: every one gets the same softmax, recomputed here
        ImageSet one = probes.stream().filter(p -> p.name().equals("blank-black")).findFirst().orElseThrow()
                .images().images().limit(1);
        double[] row = model.logits(one).row(0);
        double max = java.util.Arrays.stream(row).max().orElseThrow();
        double s = 0;
        for (double v : row) {
            s += Math.exp(v - max);
        }
        assertEquals(1 / s, blank.meanConfidence(), 1e-12);
        assertEquals(1 / s >= 0.9 ? 1.0 : 0.0, blank.overconfidentShare(), 0);
        assertEquals(200, java.util.Arrays.stream(blank.predictedHistogram()).sum());
        assertNotNull(blank.ood());
        assertEquals(List.of("msp", "max_logit", "energy", "entropy"), List.copyOf(blank.ood().uncalibrated().keySet()));
    }

    @Test
    void theUnscaledProbeBypassesTheRangeGuardAndLosesAccuracy() {
        ImageSet unscaled = probes.stream().filter(p -> p.name().equals("unscaled")).findFirst().orElseThrow()
                .images().images();
        assertThrows(CalibkitException.class, () -> model.logits(unscaled));
        ProbeResult p = probe("unscaled");
        assertTrue(p.labelled());
        // 255 times larger inputs push a linear model's softmax towards 0 and 1: the user's symptom
        double testConfidence = result.test().uncalibrated().accuracy() + result.test().uncalibrated().signedEce();
        assertTrue(p.meanConfidence() > testConfidence + 0.05, p.meanConfidence() + " vs test " + testConfidence);
        assertTrue(p.overconfidentShare() > 0.9, "share " + p.overconfidentShare());
        Verdict v = verdict("probe.unscaled.overconfident_share");
        assertTrue(v.reason().contains("predict() only gives 0 and 1"), v.reason());
    }

    @Test
    void oodAurocIsTheRankStatisticOfTestAgainstProbeScores() {
        ProbeResult noise = probe("noise-uniform");
        Logits zt = model.logits(test);
        Logits zp = model.logits(probes.stream().filter(p -> p.name().equals("noise-uniform")).findFirst().orElseThrow()
                .images().images());
        // Mann-Whitney with ties counted 1/2, energy score logsumexp(z) (higher = in-distribution)
        double[] in = new double[zt.n()];
        double[] out = new double[zp.n()];
        for (int i = 0; i < in.length; i++) {
            in[i] = lse(zt.row(i));
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = lse(zp.row(i));
        }
        double wins = 0;
        for (double a : in) {
            for (double b : out) {
                wins += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        assertEquals(wins / in.length / out.length, noise.ood().uncalibrated().get("energy").auroc(), 1e-9);
    }

    @Test
    void verdictsFollowTheirThresholdsAndComeWorstFirst() {
        Thresholds th = Thresholds.defaults();
        assertFalse(result.verdicts().isEmpty());
        for (int i = 1; i < result.verdicts().size(); i++) {
            assertTrue(result.verdicts().get(i - 1).status().compareTo(result.verdicts().get(i).status()) >= 0);
        }
        for (Verdict v : result.verdicts()) {
            assertFalse(v.reason().isBlank(), v.check());
            if (!Double.isNaN(v.warnAt()) && !Double.isNaN(v.failAt())) {
                boolean higherIsWorse = v.failAt() >= v.warnAt();
                Status expected = higherIsWorse
                        ? (v.value() >= v.failAt() ? Status.FAIL : v.value() >= v.warnAt() ? Status.WARN : Status.PASS)
                        : (v.value() <= v.failAt() ? Status.FAIL : v.value() <= v.warnAt() ? Status.WARN : Status.PASS);
                assertEquals(expected, v.status(), v.check());
            }
        }
        assertEquals(th.eceWarn(), verdict("test.ece").warnAt(), 0);
        assertNotNull(verdict("test.calibration_effect"));
        assertNotNull(verdict("probe.rotated-90.ece"));
        assertNotNull(verdict("probe.notmnist.auroc"));
        assertEquals(Status.PASS, verdict("input_range").status());
    }

    @Test
    void galleryShowsTheMostConfidentWrongTestImagesFirst() {
        List<AuditResult.GalleryItem> fromTest = result.gallery().stream().filter(g -> g.source().equals("test")).toList();
        assertTrue(fromTest.size() <= Audit.GALLERY_PER_SECTION && !fromTest.isEmpty());
        for (int i = 1; i < fromTest.size(); i++) {
            assertTrue(fromTest.get(i - 1).confidence() >= fromTest.get(i).confidence());
        }
        for (AuditResult.GalleryItem g : fromTest) {
            assertFalse(g.predicted().equals(g.trueLabel()));
            // the item carries the test image of its row, pixel for pixel, and its true label is that row's
            assertArrayEquals(test.image(g.index()), g.image().get().values());
            assertEquals(test.classNames().get(test.labels()[g.index()]), g.trueLabel());
        }
    }

    @Test
    void sameSeedSameResult() {
        AuditResult again = Audit.of(model, ModelData.of(test).withValidation(validation).withProbes(probes), AuditOptions.defaults().withResamples(50).withSeed(9));
        assertEquals(result.test().intervals(), again.test().intervals());
        assertEquals(result.verdicts(), again.verdicts());
    }

    @Test
    void withoutValidationNothingIsCalibrated() {
        AuditResult r = Audit.of(model, ModelData.of(test), AuditOptions.defaults().withResamples(10));
        assertNull(r.test().calibrated());
        assertEquals("none", r.test().method());
        assertTrue(Double.isNaN(r.test().temperature()));
        Map<String, ?> iv = r.test().intervals();
        assertEquals(org.calibkit.calibration.metrics.Metrics.keys(), List.copyOf(iv.keySet()));
    }

    @Test
    void badSettingsAreRefusedBeforeAnyWork() {
        assertThrows(IllegalArgumentException.class, () -> AuditOptions.defaults().withThreshold(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditOptions.defaults().withCalibration("tempreature"));
        assertTrue(e.getMessage().contains("tempreature"), e.getMessage());
    }

    @Test
    void wronglyScaledTestDataStopsTheAuditWithTheNumbersAndTheFix() {
        float[] px = test.rawPixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] /= 255f;
        }
        ImageSet scaled = new ImageSet(px, test.labels(), 1, 28, 28, test.classNames(), test.origin());
        CalibkitException e = assertThrows(CalibkitException.class, () -> Audit.of(model, ModelData.of(scaled), AuditOptions.defaults().withResamples(10)));
        assertTrue(e.getMessage().contains("look already scaled to [0, 1]") && e.getMessage().contains("max 1")
                && e.getMessage().contains("multiply the pixels by 255"), e.getMessage());
    }

    @Test
    void sigmoidStatisticsAreRowSumQuantilesAndTheNoneShare() {
        // rows: sums 0.3, 0.9, 1.5, 0.6 and maxima 0.2, 0.5, 0.9, 0.6: "none of these" (max <= 0.5) for rows 0 and 1.
        // numpy.percentile([0.3, 0.6, 0.9, 1.5], [5, 25, 50, 75, 95]) -> [0.345, 0.525, 0.75, 1.05, 1.41]
        org.calibkit.calibration.Probabilities p = org.calibkit.calibration.Probabilities.independent(new double[][] {
            {0.1, 0.2}, {0.4, 0.5}, {0.9, 0.6}, {0.6, 0.0}});
        AuditResult.SigmoidStats st = Summaries.sigmoid(p);
        assertEquals(0.825, st.rowSumMean(), 1e-12);
        assertArrayEquals(new double[] {0.345, 0.525, 0.75, 1.05, 1.41}, st.rowSumQuantiles(), 1e-12);
        assertEquals(0.5, st.noneShare(), 0);
    }

    private ProbeResult probe(String name) {
        return result.probes().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private Verdict verdict(String check) {
        return result.verdicts().stream().filter(v -> v.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict " + check + " in " + result.verdicts().stream().map(Verdict::check).toList()));
    }

    private static double lse(double[] row) {
        double m = java.util.Arrays.stream(row).max().orElseThrow();
        double s = 0;
        for (double v : row) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }
}
