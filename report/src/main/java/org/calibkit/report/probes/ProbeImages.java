package org.calibkit.report.probes;


import org.calibkit.core.Checks;
import org.calibkit.core.ImageSet;

/**
 * The images of one probe, ready for the model.
 *
 * @param name             the probe's name
 * @param kind             its kind for this model
 * @param images           in the model's input shape, with the model's class names, on the
 *                         {@link ImageSet} 0..255 convention, except for {@code unscaled}, whose
 *                         pixels are deliberately on the wrong scale; the origin's dataset is the
 *                         probe's name and its split {@code probe}
 * @param labelled         whether the labels mean the model's classes (the shift probes:
 *                         {@code usps} and {@code mnist} for a digit model, {@code rotated-*},
 *                         {@code shifted-*}, {@code inverted}, and {@code unscaled}); when false
 *                         every label is 0 and means nothing, so accuracy and calibration metrics
 *                         must not be computed from them
 * @param bypassRangeCheck true only for {@code unscaled}: the audit hands these images to the
 *                         model without its input-range guard, on purpose
 * @param description      one plain sentence for the report, naming any shape conversion
 */
public record ProbeImages(String name, ProbeKind kind, ImageSet images, boolean labelled, boolean bypassRangeCheck,
                          String description) {
    public ProbeImages {
        Checks.nonNull("name, kind, images, description", name, kind, images, description);
    }
}
