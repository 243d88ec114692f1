package org.calibkit.report.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The test-split verdict, reached through the public path (predictions already made, audited by
 * {@link Audit#ofPredictions}) on hand-made predictions whose ECE is known by hand: every row has
 * the same top-label confidence c, so all rows fall in one bin and ECE = |c - accuracy| exactly;
 * the signed ECE is c - accuracy. The logits {@code [ln m, 0, 0, 0]} give c = m / (m + 3):
 * m = 57 gives 0.95, m = 4.5 gives 0.60. Statuses follow the documented default thresholds
 * (warn from 0.03, fail from 0.10; {@link Thresholds}), the sentences are written out here.
 */
class VerdictsTest {
    /** n rows of confidence m / (m + 3) on class 0, the first {@code correct} of them labelled 0, the rest 1. */
    private static Verdict testVerdict(int n, double m, int correct) {
        double[][] z = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            z[i] = new double[] {Math.log(m), 0, 0, 0};
            labels[i] = i < correct ? 0 : 1;
        }
        SavedPredictions p = new SavedPredictions(List.of("a", "b", "c", "d"), OutputKind.LOGITS, Head.SOFTMAX,
                new SavedPredictions.Split(Logits.of(z), labels), Optional.empty(), Map.of());
        AuditResult r = Audit.ofOutputs(ModelOutputs.of(p).withDataName("hand-made"), AuditOptions.defaults().withCalibration("none").withResamples(50).withSeed(3));
        return r.verdicts().stream().filter(v -> v.check().equals("test.ece")).findFirst().orElseThrow();
    }

    @Test
    void overconfidentBeyondTheFailThresholdFails() {
        // confidence 0.95 at accuracy 100/200 = 0.50: ECE 0.45 >= 0.10
        Verdict v = testVerdict(200, 57, 100);
        assertEquals(Status.FAIL, v.status());
        assertEquals(0.45, v.value(), 1e-12);
        assertTrue(v.reason().startsWith("On 200 test images the model is 50% right and overconfident: its mean "
                + "confidence exceeds its accuracy by 45% (ECE 0.4500, 95% interval ["), v.reason());
    }

    @Test
    void aSmallGapWarns() {
        // confidence 0.95 at accuracy 180/200 = 0.90: ECE 0.05, between 0.03 and 0.10
        Verdict v = testVerdict(200, 57, 180);
        assertEquals(Status.WARN, v.status());
        assertEquals(0.05, v.value(), 1e-12);
        assertTrue(v.reason().startsWith("On 200 test images the model is 90% right and overconfident: its mean "
                + "confidence exceeds its accuracy by 5.0% (ECE 0.0500, 95% interval ["), v.reason());
    }

    @Test
    void confidenceEqualToAccuracyPasses() {
        // confidence 0.95 at accuracy 190/200 = 0.95: ECE 0 (up to rounding of the softmax)
        Verdict v = testVerdict(200, 57, 190);
        assertEquals(Status.PASS, v.status());
        assertEquals(0.0, v.value(), 1e-12);
        assertTrue(v.reason().startsWith("On 200 test images the model is 95% right and neither over- nor "
                + "underconfident on average (ECE 0.0000, 95% interval ["), v.reason());
    }

    @Test
    void underconfidenceIsNamedAsSuch() {
        // confidence 0.60 at accuracy 1: ECE 0.40, signed -0.40
        Verdict v = testVerdict(100, 4.5, 100);
        assertEquals(Status.FAIL, v.status());
        assertEquals(0.40, v.value(), 1e-12);
        assertTrue(v.reason().startsWith("On 100 test images the model is 100% right and underconfident: its "
                + "accuracy exceeds its mean confidence by 40% (ECE 0.4000, 95% interval ["), v.reason());
    }
}
