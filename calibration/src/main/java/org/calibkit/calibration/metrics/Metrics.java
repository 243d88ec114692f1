package org.calibkit.calibration.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.calibkit.calibration.Checks;

/**
 * The collection of calibration metrics, each declared once (the pattern of torchmetrics'
 * {@code MetricCollection}). {@link #summary} computes all of them; {@link Bootstrap} resamples
 * the {@link Predictions} and calls the same functions.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Every metric, in report order. */
    public static final List<Metric> ALL = List.of(
        new Metric("accuracy", "Accuracy", "share of top-label predictions that are right", false,
            (p, b) -> CalibrationMetrics.accuracy(p.topLabel())),
        new Metric("nll", "NLL", "mean negative log-likelihood of the true class (nats)", true,
            (p, b) -> mean(p.rowNll())),
        new Metric("brier", "Brier", "squared error of the probability vector, summed over classes", true,
            (p, b) -> CalibrationMetrics.brier(p.probabilities(), p.labels())),
        new Metric("ece", "ECE", "expected calibration error, equal-width bins: mean |confidence - accuracy|", true,
            (p, b) -> CalibrationMetrics.ece(p.topLabel(), b)),
        new Metric("mce", "MCE", "largest |confidence - accuracy| of any equal-width bin", true,
            (p, b) -> CalibrationMetrics.mce(p.topLabel(), b)),
        new Metric("signed_ece", "Signed ECE",
            "mean confidence minus accuracy: positive means overconfident, negative underconfident", true,
            (p, b) -> CalibrationMetrics.signedEce(p.topLabel())),
        new Metric("ece_equal_mass", "ECE (equal mass)", "ECE over bins holding equal numbers of predictions", true,
            (p, b) -> CalibrationMetrics.eceEqualMass(p.topLabel(), b)),
        new Metric("classwise_ece", "Classwise ECE", "ECE of every class's own probability, averaged over classes", true,
            (p, b) -> CalibrationMetrics.classwiseEce(p.probabilities(), p.labels(), b)),
        new Metric("ace", "ACE", "adaptive calibration error: classwise, equal-mass bins", true,
            (p, b) -> CalibrationMetrics.ace(p.probabilities(), p.labels(), b)),
        new Metric("debiased_ece", "Debiased ECE", "L2 calibration error with the sampling bias removed", true,
            (p, b) -> CalibrationMetrics.debiasedEce(p.topLabel(), b)),
        new Metric("smooth_ece", "Smooth ECE", "kernel-smoothed ECE, no bins to choose", true,
            (p, b) -> CalibrationMetrics.smoothEce(p.topLabel())));

    /** The keys of {@link #ALL} in order. */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        ALL.forEach(m -> out.add(m.key()));
        return List.copyOf(out);
    }

    /**
     * The metric with this key.
     *
     * @throws IllegalArgumentException for an unknown key, listing the known ones
     */
    public static Metric byKey(String key) {
        for (Metric m : ALL) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metric '" + key + "'; known: " + keys());
    }

    /** Every metric of {@code p}. */
    public static MetricSummary summary(Predictions p, int bins) {
        Objects.requireNonNull(p, "predictions");
        Checks.positive("bins", bins);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : ALL) {
            values.put(m.key(), m.compute(p, bins));
        }
        return new MetricSummary(p.n(), values);
    }

    /** The values of every metric of {@code p}, in the order of {@link #ALL}. */
    static double[] values(Predictions p, int bins) {
        double[] out = new double[ALL.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = ALL.get(m).compute(p, bins);
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
