package org.calibkit.core.sources;

import org.calibkit.calibration.Logits;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;

/**
 * A model source with a pixel-range guard (the ONNX, SavedModel, Keras and Tribuo sources): an
 * empty image set is refused, {@link #logits} checks the range, {@link #withoutRangeCheck} skips
 * it and shares the model.
 */
abstract class RangeGuardedSource implements LogitSource {
    /** Logits of non-empty {@code images}, the pixel range checked when {@code checkRange}. */
    abstract Logits logits(ImageSet images, boolean checkRange);

    @Override
    public final Logits logits(ImageSet images) {
        return logits(nonEmpty(images), true);
    }

    /** This model without the pixel-range guard (for the audit's deliberately unscaled probe); shares the model. */
    @Override
    public final LogitSource withoutRangeCheck() {
        return withLogits(images -> logits(nonEmpty(images), false));
    }

    private static ImageSet nonEmpty(ImageSet given) {
        if (given.size() == 0) {
            throw new CalibkitException("images " + given.origin().dataset() + "/" + given.origin().split()
                    + " are empty; nothing to predict");
        }
        return given;
    }
}
