package org.calibkit.report.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.core.ImageSet;
import org.calibkit.report.probes.ProbeOutcome;

/**
 * The images an audit runs a model on: the test split, the validation split calibration is
 * fitted on (without one nothing is calibrated, unless a stored map is applied), and the probes
 * (generated or loaded by {@link org.calibkit.report.probes.Probes#generate}, skipped ones included).
 *
 * @param test       the test split
 * @param validation the validation split, if any
 * @param probes     the probes, in the order they are reported
 */
public record ModelData(ImageSet test, Optional<ImageSet> validation, List<ProbeOutcome> probes) {
    public ModelData {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(validation, "validation");
        probes = List.copyOf(probes);
    }

    /** The test split alone. */
    public static ModelData of(ImageSet test) {
        return new ModelData(test, Optional.empty(), List.of());
    }

    /** The same with a validation split ({@code null}: none). */
    public ModelData withValidation(ImageSet v) {
        return new ModelData(test, Optional.ofNullable(v), probes);
    }

    /** The same with these probes. */
    public ModelData withProbes(List<ProbeOutcome> p) {
        return new ModelData(test, validation, p);
    }
}
