package org.calibkit.calibration.ood;

import java.util.Objects;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Softmax;

/**
 * Out-of-distribution scores from logits, one per row. Convention for every score here: a
 * <b>higher score means "more in-distribution"</b>, which is what {@link OodMetrics} expects.
 * All use log-sum-exp, so saturated logits give finite scores.
 */
public final class OodScores {
    private OodScores() {
    }

    /** Maximum softmax probability (Hendrycks and Gimpel 2017): {@code exp(max_j z_j - logsumexp(z))}. */
    public static double[] maxSoftmax(Logits logits) {
        return perRow(logits, Softmax::maxProbability);
    }

    /** Maximum logit (Hendrycks et al. 2022, "Scaling out-of-distribution detection"). */
    public static double[] maxLogit(Logits logits) {
        return perRow(logits, Softmax::max);
    }

    /**
     * Negative free energy (Liu et al. 2020, "Energy-based out-of-distribution detection"):
     * {@code T * logsumexp(z / T)}, i.e. minus their energy E(x; T); higher = more in-distribution.
     *
     * @param temperature T &gt; 0 (they use T = 1)
     */
    public static double[] energy(Logits logits, double temperature) {
        Objects.requireNonNull(logits, "logits");
        Checks.positive("temperature", temperature);
        double[] scaled = new double[logits.k()];
        return perRow(logits, (z, off, k) -> {
            for (int j = 0; j < k; j++) {
                scaled[j] = z[off + j] / temperature;
            }
            return temperature * Softmax.logSumExp(scaled, 0, k);
        });
    }

    /** {@link #energy(Logits, double)} at T = 1: {@code logsumexp(z)}. */
    public static double[] energy(Logits logits) {
        return energy(logits, 1.0);
    }

    /**
     * Negative Shannon entropy of the softmax, {@code sum_j p_j log p_j} (nats), in [-log K, 0];
     * higher = more peaked = more in-distribution. Computed as {@code sum_j p_j (z_j - lse)}, so
     * a class with p = 0 contributes 0, never NaN.
     */
    public static double[] negativeEntropy(Logits logits) {
        return perRow(logits, (z, off, k) -> {
            double lse = Softmax.logSumExp(z, off, k);
            double s = 0;
            for (int j = 0; j < k; j++) {
                double logp = z[off + j] - lse;
                double p = Math.exp(logp);
                if (p > 0) {
                    s += p * logp;
                }
            }
            return s;
        });
    }

    /** One score per row, {@code f(z, offset of the row, k)}. */
    private static double[] perRow(Logits logits, RowScore f) {
        Objects.requireNonNull(logits, "logits");
        double[] z = logits.raw();
        int k = logits.k();
        double[] out = new double[logits.n()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.of(z, i * k, k);
        }
        return out;
    }

    private interface RowScore {
        double of(double[] z, int offset, int k);
    }
}
