package org.calibkit.report.shift;

import java.util.Objects;

import org.calibkit.calibration.shift.EstimatorCheck;

/**
 * The audit's shift section: every sweep point's metrics before and after the calibration fitted
 * on clean data, and how well each label-free accuracy estimator (fitted on the clean validation
 * split) predicted the true accuracy on those points.
 *
 * @param sweeps    the sweep points' metrics
 * @param estimates the estimators checked against the truth on every point; null without a validation split
 * @param examples  one test image under every corruption and severity, when a model ran corruption sweeps
 */
public record ShiftSection(SweepResult sweeps, EstimatorCheck.Result estimates, java.util.Optional<ExampleGrid> examples) {
    public ShiftSection {
        Objects.requireNonNull(sweeps, "sweeps");
        Objects.requireNonNull(examples, "examples");
    }
}
