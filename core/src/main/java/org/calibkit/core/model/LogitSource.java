package org.calibkit.core.model;

import java.util.List;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.core.ImageSet;

/**
 * Anything that turns images into logits: the raw, pre-softmax (or pre-sigmoid) class scores,
 * n rows by K classes, computed for a whole batch, in the calibration module's types.
 * Implementations apply their own input preprocessing; callers always hand over images on the
 * {@link ImageSet} pixel convention.
 */
public interface LogitSource {
    /** Class names, in the column order of {@link #logits}. */
    List<String> classNames();

    /** The model's own output transform. */
    Head head();

    /**
     * Logits, n x K, taken before any softmax or sigmoid (never probabilities turned back).
     *
     * @throws org.calibkit.core.CalibkitException when the images do not fit the model (shape,
     *         pixel range) or the set is empty, naming the numbers
     */
    Logits logits(ImageSet images);

    /** The model's own probabilities: {@link #head()} applied to {@link #logits}. */
    default Probabilities probabilities(ImageSet images) {
        return head().apply(logits(images));
    }

    /**
     * The preprocessing this source applies to 0..255 images before the model sees them, when it
     * is known (the audit uses it for the input-range check and the {@code unscaled} probe).
     */
    default java.util.Optional<Preprocessing> inputPreprocessing() {
        return java.util.Optional.empty();
    }

    /**
     * This source with its pixel-range guard switched off, for deliberate experiments only: the
     * audit's {@code unscaled} probe hands a model wrongly scaled pixels on purpose. Sources
     * without a guard return themselves.
     */
    default LogitSource withoutRangeCheck() {
        return this;
    }

    /**
     * A view of this source whose logits come from {@code logits} (say, the same model called
     * without its range guard); class names, head and preprocessing stay this source's.
     */
    default LogitSource withLogits(java.util.function.Function<ImageSet, Logits> logits) {
        LogitSource self = this;
        return new LogitSource() {
            @Override public List<String> classNames() { return self.classNames(); }
            @Override public Head head() { return self.head(); }
            @Override public Logits logits(ImageSet images) { return logits.apply(images); }
            @Override public java.util.Optional<Preprocessing> inputPreprocessing() { return self.inputPreprocessing(); }
        };
    }
}
