package org.calibkit.core.train;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Softmax;
import org.calibkit.calibration.metrics.CalibrationMetrics;

/**
 * Accuracy and negative log-likelihood from raw logits, as training reports them: pure static
 * functions over calibration's {@link Logits}.
 *
 * <p>NLL follows the head: softmax gives {@code -log softmax(z)_y} (the calibration module's
 * exact log-sum-exp NLL); sigmoid gives the one-vs-rest likelihood the head was trained on,
 * {@code sum_k BCE(z_k, [k == y])}. Both are averaged over images.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** Fraction of rows whose largest logit is at the label (first maximum on ties). */
    public static double accuracy(Logits logits, int[] labels) {
        return CalibrationMetrics.accuracy(logits, labels);
    }

    /** Mean negative log-likelihood of the labels under {@code head} (see the class comment). */
    public static double nll(Logits logits, int[] labels, Head head) {
        if (head == Head.SOFTMAX) {
            return CalibrationMetrics.nll(logits, labels);
        }
        Checks.labels("labels", labels, logits.n(), logits.k());
        double[] z = logits.raw();
        int k = logits.k();
        double total = 0;
        for (int i = 0; i < logits.n(); i++) {
            for (int j = 0; j < k; j++) {
                double v = z[i * k + j];
                // BCE with logits: softplus(z) - y z
                total += Softmax.softplus(v) - (j == labels[i] ? v : 0);
            }
        }
        return total / logits.n();
    }
}
