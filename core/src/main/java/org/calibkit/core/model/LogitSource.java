package org.calibkit.core.model;

import java.util.List;

import org.calibkit.core.ImageSet;

/**
 * Anything that turns images into logits: the raw, pre-softmax (or pre-sigmoid) class scores,
 * n rows by K classes, computed for a whole batch. Implementations apply their own input
 * preprocessing; callers always hand over images on the {@link ImageSet} pixel convention.
 *
 * <p>Plain arrays on purpose: core does not depend on the calibration module, which wraps
 * them in its {@code Logits} type.
 */
public interface LogitSource {
    /** Class names, in the column order of {@link #logits}. */
    List<String> classNames();

    /** The model's own output transform. */
    Head head();

    /** Logits, n x K, taken before any softmax or sigmoid (never probabilities turned back). */
    double[][] logits(ImageSet images);

    /** The model's own probabilities: {@link #head()} applied to each row of {@link #logits}. */
    default double[][] probabilities(ImageSet images) {
        double[][] z = logits(images);
        Head h = head();
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            p[i] = h.transform(z[i]);
        }
        return p;
    }
}
