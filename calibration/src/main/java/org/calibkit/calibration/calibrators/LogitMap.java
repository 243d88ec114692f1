package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * A calibration map whose output is itself a row of logits followed by a softmax: temperature,
 * vector, matrix and Dirichlet scaling. Calibrated logits feed everything that needs logits
 * rather than probabilities (exact NLL, the max-logit and energy OOD scores), so callers ask
 * the type, never the method name.
 */
public interface LogitMap extends CalibrationMap {
    /**
     * The calibrated logits for {@code logits}; their softmax is {@link #apply(Logits)}.
     *
     * @throws IllegalArgumentException when {@code logits} does not have {@link #numClasses()} classes
     */
    Logits calibratedLogits(Logits logits);

    /** The softmax of {@link #calibratedLogits}. */
    @Override
    default Probabilities apply(Logits logits) {
        return calibratedLogits(logits).softmax();
    }
}
