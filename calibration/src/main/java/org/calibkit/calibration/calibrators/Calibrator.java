package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Logits;

/**
 * A calibration trainer. Implementations hold only hyper-parameters and are immutable;
 * {@link #fit(Logits, int[])} never mutates the trainer and returns a new immutable map.
 */
public interface Calibrator {
    /**
     * Fits a calibration map on held-out logits and their true labels.
     *
     * @param logits n x K logits of a calibration set (never probabilities)
     * @param labels n true labels in [0, K)
     * @throws IllegalArgumentException for labels out of range or of the wrong length
     * @throws IllegalStateException    when the optimiser does not converge (the message says how far it got)
     */
    CalibrationMap fit(Logits logits, int[] labels);

    /** The method name, the id of its {@link CalibrationMethod}, e.g. {@code "temperature"}. */
    String method();
}
