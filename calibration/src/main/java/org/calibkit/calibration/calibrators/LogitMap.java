package org.calibkit.calibration.calibrators;

import java.util.Optional;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * A calibration map whose output is itself a row of logits followed by a softmax: temperature,
 * vector, matrix and Dirichlet scaling. Calibrated logits feed everything that needs logits
 * rather than probabilities (exact NLL, the max-logit and energy OOD scores); callers ask any
 * map through {@link CalibrationMap#outputLogits}, never the method name.
 */
public interface LogitMap extends CalibrationMap {
    /**
     * The calibrated logits for {@code logits}; their softmax is {@link #apply(Logits)}.
     *
     * @throws IllegalArgumentException when {@code logits} does not have {@link #numClasses()} classes
     */
    Logits calibratedLogits(Logits logits);

    /** Always {@link #calibratedLogits}. */
    @Override
    default Optional<Logits> outputLogits(Logits logits) {
        return Optional.of(calibratedLogits(logits));
    }

    /** The softmax of {@link #calibratedLogits}. */
    @Override
    default Probabilities apply(Logits logits) {
        return calibratedLogits(logits).softmax();
    }
}
