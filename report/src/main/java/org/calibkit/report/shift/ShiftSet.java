package org.calibkit.report.shift;

import java.util.Objects;

import org.calibkit.calibration.shift.LabelledLogits;

/**
 * A model's outputs on one point of a sweep: the test images shifted (rotated 45 degrees, fog at
 * severity 3), with their labels.
 *
 * @param sweep     the sweep's name ({@code rotation}, {@code mnist-c/fog})
 * @param unit      the intensity's unit ({@code degrees}, {@code pixels}, {@code severity})
 * @param intensity angle, pixels or severity
 * @param outputs   the logits and labels, named after the point ({@code rotation/45})
 */
public record ShiftSet(String sweep, String unit, double intensity, LabelledLogits outputs) {
    public ShiftSet {
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(outputs, "outputs");
    }

    /** The point's name. */
    public String point() {
        return outputs.name();
    }
}
