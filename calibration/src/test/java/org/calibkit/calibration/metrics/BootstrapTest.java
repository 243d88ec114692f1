package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static final Random RND = new Random(21);
    private static final Logits Z = CalibrationMetricsPropertyTest.randomLogits(RND, 600, 4, 2.5);
    private static final int[] Y = CalibrationMetricsPropertyTest.noisyLabels(RND, Z, 0.6);
    private static final Probabilities P = Z.softmax();

    @Test
    void sameSeedSameIntervalWhateverTheThreadCount() {
        Bootstrap b1 = new Bootstrap(42, 200, 0.95, 1);
        Bootstrap b2 = new Bootstrap(42, 200, 0.95, 2);
        assertEquals(b1.ece(P, Y, 15), b2.ece(P, Y, 15));
        assertEquals(b1.ece(P, Y, 15), b1.ece(P, Y, 15));
        assertEquals(b1.interval(P, Y, CalibrationMetrics::brier), b2.interval(P, Y, CalibrationMetrics::brier));
        assertNotEquals(b1.ece(P, Y, 15), b1.withSeed(43).ece(P, Y, 15));
    }

    @Test
    void intervalContainsThePointEstimateAndNarrowsWithLowerLevel() {
        Bootstrap b = new Bootstrap(1, 300, 0.95, 2);
        Bootstrap.Interval ece = b.ece(P, Y, 15);
        assertEquals(CalibrationMetrics.ece(P, Y, 15), ece.estimate(), 0.0);
        assertTrue(ece.contains(ece.estimate()), ece::toString);
        assertTrue(ece.lower() < ece.upper(), ece::toString);
        Bootstrap.Interval narrow = b.withLevel(0.5).ece(P, Y, 15);
        assertTrue(narrow.width() < ece.width(), narrow + " vs " + ece);
        Bootstrap.Interval acc = b.interval(Z, Y, CalibrationMetrics::accuracy);
        assertTrue(acc.contains(CalibrationMetrics.accuracy(Z, Y)), acc::toString);
        // binomial standard error sqrt(a (1 - a) / n): the 95% interval is about 4 of them wide
        double se = Math.sqrt(acc.estimate() * (1 - acc.estimate()) / Y.length);
        assertEquals(3.92 * se, acc.width(), 1.2 * se);
    }

    @Test
    void fastEcePathResamplesTheSameRowsAsTheGenericPath() {
        Bootstrap b = new Bootstrap(5, 100, 0.9, 2);
        Bootstrap.Interval fast = b.ece(P, Y, 10);
        Bootstrap.Interval generic = b.interval(P, Y, (p, y) -> CalibrationMetrics.ece(p, y, 10));
        assertEquals(generic.lower(), fast.lower(), 1e-12);
        assertEquals(generic.upper(), fast.upper(), 1e-12);
        TopLabel t = TopLabel.of(P, Y);
        Bootstrap.Interval top = b.interval(t, tl -> CalibrationMetrics.ece(tl, 10));
        assertEquals(generic.lower(), top.lower(), 1e-12);
        assertEquals(generic.upper(), top.upper(), 1e-12);
    }

    @Test
    void summaryIntervalsEqualOneMetricAtATime() {
        // the summary resamples row multiplicities and reuses sorted columns; the generic path
        // copies the selected rows and recomputes from scratch: both must agree
        Bootstrap b = new Bootstrap(9, 40, 0.95, 2);
        Map<String, Bootstrap.Interval> s = b.summary(Z, Y, 8);
        assertEquals(java.util.List.of("accuracy", "nll", "brier", "ece", "mce", "signed_ece", "ece_equal_mass", "classwise_ece",
                "ace", "debiased_ece", "smooth_ece"), java.util.List.copyOf(s.keySet()));
        check(s.get("accuracy"), b.interval(Z, Y, CalibrationMetrics::accuracy), 1e-12);
        check(s.get("nll"), b.interval(Z, Y, CalibrationMetrics::nll), 1e-12);
        check(s.get("brier"), b.interval(P, Y, CalibrationMetrics::brier), 1e-12);
        check(s.get("ece"), b.interval(P, Y, (p, y) -> CalibrationMetrics.ece(p, y, 8)), 1e-12);
        check(s.get("mce"), b.interval(P, Y, (p, y) -> CalibrationMetrics.mce(p, y, 8)), 1e-12);
        check(s.get("ece_equal_mass"), b.interval(P, Y, (p, y) -> CalibrationMetrics.eceEqualMass(p, y, 8)), 1e-12);
        check(s.get("classwise_ece"), b.interval(P, Y, (p, y) -> CalibrationMetrics.classwiseEce(p, y, 8)), 1e-12);
        check(s.get("ace"), b.interval(P, Y, (p, y) -> CalibrationMetrics.ace(p, y, 8)), 1e-12);
        check(s.get("debiased_ece"), b.interval(P, Y, (p, y) -> CalibrationMetrics.debiasedEce(p, y, 8)), 1e-12);
        check(s.get("smooth_ece"), b.interval(P, Y, CalibrationMetrics::smoothEce), 1e-9);
        for (Bootstrap.Interval iv : s.values()) {
            assertTrue(iv.lower() <= iv.upper(), iv::toString);
        }
    }

    private static void check(Bootstrap.Interval actual, Bootstrap.Interval expected, double tol) {
        assertEquals(expected.estimate(), actual.estimate(), tol);
        assertEquals(expected.lower(), actual.lower(), tol);
        assertEquals(expected.upper(), actual.upper(), tol);
    }

    @Test
    void pairedIntervalsShareTheResamplesAndCancelTheirCommonNoise() {
        Bootstrap b = new Bootstrap(11, 60, 0.95, 2);
        Predictions before = Predictions.of(Z, Y);
        // the same rows, sharpened by T = 0.5: a real change in calibration, same labels
        Predictions after = Predictions.of(Z.divide(0.5), Y);
        Map<String, Bootstrap.Paired> paired = b.paired(before, after, 10);
        Map<String, Bootstrap.Interval> alone = b.summary(before, 10);
        assertEquals(Metrics.keys(), java.util.List.copyOf(paired.keySet()));
        for (String key : Metrics.keys()) {
            Bootstrap.Paired pr = paired.get(key);
            // same seed, same draws: the "before" side equals the unpaired interval exactly
            check(pr.before(), alone.get(key), 0);
            assertEquals(pr.after().estimate() - pr.before().estimate(), pr.difference().estimate(), 1e-15);
        }
        // sharpening an already overconfident model raises NLL far beyond the noise
        assertTrue(Metrics.summary(before, 10).signedEce() > 0);
        assertTrue(paired.get("nll").significant(), paired.get("nll")::toString);
        assertTrue(paired.get("nll").difference().lower() > 0);
        // a model compared with itself: every difference is exactly 0 and nothing is significant
        for (Bootstrap.Paired same : b.paired(before, before, 10).values()) {
            assertEquals(0.0, same.difference().lower(), 0);
            assertEquals(0.0, same.difference().upper(), 0);
            assertTrue(!same.significant());
        }
        assertThrows(IllegalArgumentException.class, () -> b.paired(before, Predictions.of(Z, CalibrationMetricsPropertyTest.noisyLabels(new Random(1), Z, 0.1)), 10));
    }

    @Test
    void aMetricThatIsUndefinedOnAResampleIsReportedNotSortedAway() {
        Bootstrap b = new Bootstrap(3, 20, 0.95, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.interval(P, Y, (p, y) -> p.n() == Y.length && p.get(0, 0) != P.get(0, 0) ? Double.NaN : 0.0));
        assertTrue(e.getMessage().startsWith("The metric returned NaN on bootstrap resample "), e.getMessage());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("Expected level in (0, 1), but got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Bootstrap(1, 100, 1.0, 1)).getMessage());
        assertEquals("Expected resamples to be at least 2, but got 1",
                assertThrows(IllegalArgumentException.class, () -> new Bootstrap(1, 1, 0.9, 1)).getMessage());
    }
}
