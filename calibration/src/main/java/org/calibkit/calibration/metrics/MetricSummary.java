package org.calibkit.calibration.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every calibration metric of one set of predictions, as plain data (see
 * {@link CalibrationMetrics#summary}). {@link #toMap()} gives snake_case keys in a fixed order
 * for JSON and tables.
 *
 * @param n             number of rows
 * @param accuracy      top-label accuracy
 * @param nll           mean negative log-likelihood (nats)
 * @param brier         Brier score summed over classes, in [0, 2]
 * @param ece           equal-width top-label ECE
 * @param mce           equal-width top-label MCE
 * @param eceEqualMass  equal-mass top-label ECE
 * @param classwiseEce  classwise ECE (Kull et al. 2019)
 * @param ace           adaptive calibration error (Nixon et al. 2019)
 * @param debiasedEce   debiased L2 calibration error (Kumar et al. 2019)
 * @param smoothEce     SmoothECE (Błasiok and Nakkiran 2023)
 */
public record MetricSummary(int n, double accuracy, double nll, double brier, double ece, double mce,
                            double eceEqualMass, double classwiseEce, double ace, double debiasedEce,
                            double smoothEce) {

    /** Keys of {@link #toMap()} in order. */
    public static final String[] KEYS = {"n", "accuracy", "nll", "brier", "ece", "mce", "ece_equal_mass",
        "classwise_ece", "ace", "debiased_ece", "smooth_ece"};

    /** An insertion-ordered map with the snake_case {@link #KEYS} ({@code n} as an Integer, the rest Doubles). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("accuracy", accuracy);
        m.put("nll", nll);
        m.put("brier", brier);
        m.put("ece", ece);
        m.put("mce", mce);
        m.put("ece_equal_mass", eceEqualMass);
        m.put("classwise_ece", classwiseEce);
        m.put("ace", ace);
        m.put("debiased_ece", debiasedEce);
        m.put("smooth_ece", smoothEce);
        return m;
    }
}
