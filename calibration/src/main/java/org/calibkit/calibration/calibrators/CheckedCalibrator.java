package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;

/**
 * What every calibrator shares: its method name and the boundary checks of {@link #fit} (logits
 * present, one label in [0, K) per row), so a calibrator only writes its fit of checked data.
 *
 * @param <M> the map the calibrator fits
 */
abstract class CheckedCalibrator<M extends CalibrationMap> implements Calibrator {
    private final String method;

    CheckedCalibrator(String method) {
        this.method = method;
    }

    @Override
    public final String method() {
        return method;
    }

    @Override
    public final M fit(Logits logits, int[] labels) {
        Checks.labelled("logits", logits, labels);
        return fitChecked(logits, labels);
    }

    /** The fit of {@code logits} and {@code labels}, already checked to match. */
    abstract M fitChecked(Logits logits, int[] labels);
}
