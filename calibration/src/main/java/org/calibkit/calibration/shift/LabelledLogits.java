package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;

/**
 * A model's logits on one set of inputs with their true labels, under a name (a shifted set: a
 * corruption at a severity, a rotation angle): what {@link EstimatorCheck} compares estimates against.
 *
 * @param name   e.g. {@code mnist-c/rotate/3} or {@code rotation/45}
 * @param logits n x K
 * @param labels n labels in [0, K)
 */
public record LabelledLogits(String name, Logits logits, int[] labels) {
    /** @throws IllegalArgumentException when the labels do not fit the logits */
    public LabelledLogits {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(logits, "logits");
        Checks.labels("labels of " + name, labels, logits.n(), logits.k());
        labels = labels.clone();
    }

    /** A copy of the labels. */
    @Override
    public int[] labels() {
        return labels.clone();
    }
}
