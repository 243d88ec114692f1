package org.calibkit.report.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.core.ImageSet;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.shift.Sweep;
import org.calibkit.report.shift.SweepOptions;

/**
 * The images an audit runs a model on: the test split, the validation split calibration is
 * fitted on (without one nothing is calibrated, unless a stored map is applied), and the probes
 * (generated or loaded by {@link org.calibkit.report.probes.Probes#generate}, skipped ones included).
 *
 * @param test       the test split
 * @param validation the validation split, if any
 * @param probes     the probes, in the order they are reported
 * @param sweeps     shift sweeps to run on the first test images (none by default)
 */
public record ModelData(ImageSet test, Optional<ImageSet> validation, List<ProbeOutcome> probes, SweepRequest sweeps) {
    /**
     * Shift sweeps on the first {@code images} test images.
     *
     * @param sweeps  the sweeps (empty: none)
     * @param images  how many test images each point shifts (at least 1)
     * @param options bins and the shifts' seed
     */
    public record SweepRequest(List<Sweep> sweeps, int images, SweepOptions options) {
        public SweepRequest {
            sweeps = List.copyOf(sweeps);
            Objects.requireNonNull(options, "options");
            if (images < 1) {
                throw new IllegalArgumentException("Expected at least 1 sweep image, but got " + images);
            }
        }

        /** No sweeps. */
        public static SweepRequest none() {
            return new SweepRequest(List.of(), 1, SweepOptions.defaults());
        }
    }

    public ModelData {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(sweeps, "sweeps");
        probes = List.copyOf(probes);
    }

    /** The test split alone. */
    public static ModelData of(ImageSet test) {
        return new ModelData(test, Optional.empty(), List.of(), SweepRequest.none());
    }

    /** The same with a validation split ({@code null}: none). */
    public ModelData withValidation(ImageSet v) {
        return new ModelData(test, Optional.ofNullable(v), probes, sweeps);
    }

    /** The same with these probes. */
    public ModelData withProbes(List<ProbeOutcome> p) {
        return new ModelData(test, validation, p, sweeps);
    }

    /** The same with these shift sweeps. */
    public ModelData withSweeps(SweepRequest s) {
        return new ModelData(test, validation, probes, s);
    }
}
