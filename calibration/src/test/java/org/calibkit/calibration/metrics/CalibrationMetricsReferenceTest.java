package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/** Metrics against values computed independently of calibkit. */
class CalibrationMetricsReferenceTest {

    // torchmetrics documentation example for multiclass calibration error (n_bins=3):
    // norm='l1' -> 0.2000, norm='l2' -> 0.2082, norm='max' -> 0.2333.
    private static final Probabilities TM_PROBS = Probabilities.of(new double[][] {
        {0.25, 0.20, 0.55}, {0.55, 0.05, 0.40}, {0.10, 0.30, 0.60}, {0.90, 0.05, 0.05}});
    private static final int[] TM_TARGETS = {0, 1, 2, 0};

    @Test
    void torchmetricsDocumentationExample() {
        assertEquals(0.2000, CalibrationMetrics.ece(TM_PROBS, TM_TARGETS, 3), 5e-5);
        assertEquals(0.2082, CalibrationMetrics.eceL2(TM_PROBS, TM_TARGETS, 3), 5e-5);
        assertEquals(0.2333, CalibrationMetrics.mce(TM_PROBS, TM_TARGETS, 3), 5e-5);
    }

    // Data and values printed by src/test/resources/org/calibkit/calibration/metrics/reference_values.py
    // (/usr/bin/python3, numpy 1.24.2, scipy; written from the papers' definitions, not from calibkit):
    // 40 x 4 logits drawn with default_rng(20231123), rounded to 3 decimals; probabilities = softmax.
    static final double[][] LOGITS = {
        {-0.516, -0.842, -3.336, 3.610}, {1.024, -2.332, 2.107, -3.831}, {0.281, -2.420, 1.748, -0.049},
        {-3.807, -2.164, -0.251, -0.413}, {0.646, -1.721, 2.083, 0.294}, {4.011, 0.060, 2.716, -0.692},
        {-3.633, 0.119, 0.285, 0.391}, {1.223, 1.647, -0.710, -2.530}, {1.494, 0.241, 5.214, 1.057},
        {-1.592, 3.759, -0.922, 0.189}, {1.272, 4.381, 0.456, -1.298}, {0.412, -0.675, 1.901, 2.137},
        {-1.139, 4.603, -4.037, -0.171}, {0.072, -5.611, 2.708, -1.866}, {-5.254, -0.544, -0.935, 1.406},
        {0.349, -0.513, 1.695, 2.187}, {-1.489, 2.520, 1.560, 1.773}, {-2.217, 1.181, 1.028, 1.513},
        {-2.640, 2.384, -1.494, 1.469}, {0.153, -1.768, -1.450, 2.759}, {-0.334, -1.487, -0.768, -1.179},
        {1.373, -1.309, 1.387, -0.391}, {-2.188, 2.614, 2.108, 0.572}, {0.576, 0.472, -0.475, 0.676},
        {0.435, -3.248, 3.836, 0.536}, {-1.166, 0.531, 3.284, 2.644}, {3.510, -0.940, -0.342, 2.690},
        {-0.463, 0.342, 0.651, 1.588}, {0.916, -0.914, -3.888, 1.412}, {0.262, -2.670, -0.430, -0.428},
        {-1.109, 3.253, -0.081, 2.403}, {-1.579, 0.957, -3.835, -2.812}, {2.591, 1.507, -1.061, 2.098},
        {-0.585, 2.509, 3.873, 3.208}, {3.175, -1.037, -1.615, -2.173}, {-1.759, -3.382, -1.833, 1.410},
        {-0.823, 1.210, 4.269, -2.340}, {2.049, 1.630, -2.136, 2.880}, {2.804, 0.682, -2.083, -1.238},
        {-0.508, -0.424, -2.109, -2.559}};
    static final int[] LABELS = {3, 2, 0, 2, 2, 0, 3, 1, 3, 0, 1, 3, 1, 2, 0, 3, 1, 3, 3, 0, 0, 2, 3, 3, 3, 2, 0, 2,
        3, 0, 1, 1, 0, 2, 0, 3, 2, 3, 2, 0};

    @Test
    void numpyReferenceOnFixedRandomArray() {
        Logits z = Logits.of(LOGITS);
        Probabilities p = z.softmax();
        assertEquals(0.725, CalibrationMetrics.accuracy(p, LABELS), 1e-15);
        assertEquals(0.725, CalibrationMetrics.accuracy(z, LABELS), 1e-15);
        assertEquals(1.229656791447417, CalibrationMetrics.nll(z, LABELS), 1e-12);
        assertEquals(1.229656791447417, CalibrationMetrics.nll(p, LABELS), 1e-12);
        assertEquals(0.5731897186663026, CalibrationMetrics.brier(p, LABELS), 1e-12);
        assertEquals(0.5731897186663026 / 4, CalibrationMetrics.brierPerClass(p, LABELS), 1e-12);
        assertEquals(0.28705749042663853, CalibrationMetrics.ece(p, LABELS, 5), 1e-12);
        assertEquals(0.28705749042663853, CalibrationMetrics.ece(z, LABELS, 5), 1e-12);
        assertEquals(0.6487176033564841, CalibrationMetrics.mce(p, LABELS, 5), 1e-12);
        assertEquals(0.3192370925317794, CalibrationMetrics.eceL2(p, LABELS, 5), 1e-12);
        assertEquals(0.2624082886712645, CalibrationMetrics.eceEqualMass(p, LABELS, 5), 1e-12);
        assertEquals(0.23653881200707158, CalibrationMetrics.debiasedEce(p, LABELS, 5), 1e-12);
        assertEquals(0.09941269663205007, CalibrationMetrics.ace(p, LABELS, 5), 1e-12);
        assertEquals(0.13915371759798603, CalibrationMetrics.classwiseEce(p, LABELS, 5), 1e-12);
    }

    @Test
    void smoothEceMatchesDirectIntegrationOfTheDefinition() {
        // reference_values.py integrates the reflected-kernel definition on a 200,001-point grid
        // without binning the data and solves smECE(sigma) = sigma with scipy's brentq:
        // smooth_ece 0.19502482956085926, sigma 0.19502482958043282 (calibkit, on its grid: 0.1950213).
        TopLabel t = TopLabel.of(Logits.of(LOGITS), LABELS);
        assertEquals(0.19502482956085926, CalibrationMetrics.smoothEce(t), 2e-5);
        assertEquals(0.19502482958043282, CalibrationMetrics.smoothEceBandwidth(t), 2e-5);
    }

    @Test
    void smoothEceWithANarrowBandwidthMatchesDirectIntegration() {
        // reference_values.py, last case (bandwidth below 1/8, so the narrow-kernel code path):
        // f_i = (37 i mod 1000) / 1000, y_i = [(61 i mod 997) / 997 < f_i], i = 0..399
        // -> smooth_ece 0.03751658609386155, sigma 0.0375165860938237 (40,001-point grid, brentq)
        double[] f = new double[400];
        boolean[] y = new boolean[400];
        for (int i = 0; i < 400; i++) {
            f[i] = ((37 * i) % 1000) / 1000.0;
            y[i] = ((61 * i) % 997) / 997.0 < f[i];
        }
        TopLabel t = TopLabel.of(f, y);
        assertEquals(0.03751658609386155, CalibrationMetrics.smoothEce(t), 2e-5);
        assertEquals(0.0375165860938237, CalibrationMetrics.smoothEceBandwidth(t), 2e-5);
    }

    @Test
    void summaryCarriesTheSameNumbers() {
        Logits z = Logits.of(LOGITS);
        MetricSummary s = CalibrationMetrics.summary(z, LABELS, 5);
        assertEquals(40, s.n());
        assertEquals(1.229656791447417, s.nll(), 1e-12);
        assertEquals(0.5731897186663026, s.brier(), 1e-12);
        assertEquals(0.28705749042663853, s.ece(), 1e-12);
        assertEquals(0.6487176033564841, s.mce(), 1e-12);
        // reference_values.py: conf.mean() - correct.mean() (underconfident on this fixture)
        assertEquals(-0.037130595699429336, s.signedEce(), 1e-12);
        assertTrue(Math.abs(s.signedEce()) <= s.ece());
        assertEquals(0.2624082886712645, s.eceEqualMass(), 1e-12);
        assertEquals(0.13915371759798603, s.classwiseEce(), 1e-12);
        assertEquals(0.09941269663205007, s.ace(), 1e-12);
        assertEquals(0.23653881200707158, s.debiasedEce(), 1e-12);
        assertEquals(0.19502482956085926, s.smoothEce(), 2e-5);
        assertEquals(MetricSummary.KEYS, java.util.List.copyOf(s.toMap().keySet()));
        assertArrayEquals(new String[] {"n", "accuracy", "nll", "brier", "ece", "mce", "signed_ece", "ece_equal_mass",
            "classwise_ece", "ace", "debiased_ece", "smooth_ece"}, s.toMap().keySet().toArray(new String[0]));
        assertEquals(0.725, (Double) s.toMap().get("accuracy"), 1e-15);
    }

    @Test
    void equalMassBinsKeepTiesTogether() {
        // reference_values.py: confidences [.5,.5,.5,.5,.7,.7,.9,.9,1], correct [1,0,0,1,1,0,1,1,1],
        // 3 bins -> edges [0.5, 0.8, 1.0], equal-mass ECE 0.06666666666666668, debiased 0.0
        double[] c = {0.5, 0.5, 0.5, 0.5, 0.7, 0.7, 0.9, 0.9, 1.0};
        boolean[] ok = {true, false, false, true, true, false, true, true, true};
        TopLabel t = TopLabel.of(c, ok);
        assertEquals(0.06666666666666668, CalibrationMetrics.eceEqualMass(t, 3), 1e-15);
        assertEquals(0.0, CalibrationMetrics.debiasedEce(t, 3), 0.0);
        double[] sorted = c.clone();
        assertArrayEquals(new double[] {0.5, 0.8, 1.0}, EqualMass.edges(sorted, null, sorted.length, 3), 0.0);
    }
}
