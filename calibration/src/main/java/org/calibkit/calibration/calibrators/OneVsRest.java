package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/** Helpers shared by the one-vs-rest calibrators (histogram binning, isotonic regression). */
final class OneVsRest {
    private OneVsRest() {
    }

    /**
     * Divides each row by its sum; a row whose calibrated values are all 0 becomes uniform
     * (1/K), the convention of scikit-learn's {@code CalibratedClassifierCV}.
     */
    static Probabilities normalise(double[] v, int n, int k) {
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += v[off + j];
            }
            for (int j = 0; j < k; j++) {
                v[off + j] = s > 0 ? v[off + j] / s : 1.0 / k;
            }
        }
        return Probabilities.of(v, n, k, true);
    }

    /** How one class's fitted one-vs-rest map calibrates that class's softmax probability. */
    interface ClassMap {
        double apply(int cls, double p);
    }

    /** The softmax of {@code logits}, each class's probability through {@code map}, rows then {@link #normalise}d. */
    static Probabilities calibrate(Logits logits, ClassMap map) {
        int n = logits.n();
        int k = logits.k();
        double[] out = logits.softmax().raw().clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = map.apply(j, out[i * k + j]);
            }
        }
        return normalise(out, n, k);
    }
}
