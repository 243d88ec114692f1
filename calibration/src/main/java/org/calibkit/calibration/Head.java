package org.calibkit.calibration;

import java.util.Objects;

/**
 * The output transform a classifier's logits go through.
 *
 * <ul>
 *   <li>{@link #SOFTMAX}: one distribution over the K classes; rows sum to 1.</li>
 *   <li>{@link #SIGMOID}: K independent one-vs-rest probabilities, each in [0, 1], trained with
 *       per-class binary cross-entropy; rows need not sum to 1, and an image of no class can get
 *       a low probability for every class.</li>
 * </ul>
 * Both are computed through {@link Softmax}, so saturated logits never give NaN.
 */
public enum Head {
    SOFTMAX,
    SIGMOID;

    /** This head's probabilities for every row of {@code logits}. */
    public Probabilities apply(Logits logits) {
        Objects.requireNonNull(logits, "logits");
        return this == SOFTMAX ? logits.softmax() : logits.sigmoid();
    }

    /** This head's transform of one row of logits. */
    public double[] transform(double[] logits) {
        if (this == SOFTMAX) {
            return Softmax.softmax(logits);
        }
        double[] out = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            out[k] = Softmax.sigmoid(logits[k]);
        }
        return out;
    }

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
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
