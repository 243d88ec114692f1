package org.calibkit.core.model;

/**
 * The output transform a classifier's logits go through.
 *
 * <ul>
 *   <li>{@link #SOFTMAX}: one distribution over the K classes; rows sum to 1.</li>
 *   <li>{@link #SIGMOID}: K independent one-vs-rest probabilities, each in [0, 1], trained with
 *       per-class binary cross-entropy; rows need not sum to 1, and an image of no class can get
 *       a low probability for every class.</li>
 * </ul>
 */
public enum Head {
    SOFTMAX,
    SIGMOID;

    /**
     * Applies this head's transform to one row of logits, computed stably (log-sum-exp for
     * softmax, the sign-split logistic for sigmoid) so saturated logits never give NaN.
     */
    public double[] transform(double[] logits) {
        double[] out = new double[logits.length];
        if (this == SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < logits.length; k++) {
                out[k] = Math.exp(logits[k] - max);
                sum += out[k];
            }
            for (int k = 0; k < logits.length; k++) {
                out[k] /= sum;
            }
        } else {
            for (int k = 0; k < logits.length; k++) {
                double z = logits[k];
                out[k] = z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
            }
        }
        return out;
    }

    /** Parses {@code softmax} / {@code sigmoid} (case-insensitive). */
    public static Head parse(String name) {
        for (Head h : values()) {
            if (h.name().equalsIgnoreCase(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException("head must be softmax or sigmoid, but got '" + name + "'");
    }
}
