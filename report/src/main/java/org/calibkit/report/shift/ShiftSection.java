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
 * @param ece       the label-free ECE estimate ({@link org.calibkit.calibration.shift.CalibrationEstimate}: the
 *                  calibration map's probabilities taken as the truth) checked against the true ECE on every
 *                  point; null without a validation split
 */
public record ShiftSection(SweepResult sweeps, EstimatorCheck.Result estimates, java.util.Optional<ExampleGrid> examples,
                           EceCheck ece) {
    public ShiftSection {
        Objects.requireNonNull(sweeps, "sweeps");
        Objects.requireNonNull(examples, "examples");
    }

    /** Without the ECE check. */
    public ShiftSection(SweepResult sweeps, EstimatorCheck.Result estimates, java.util.Optional<ExampleGrid> examples) {
        this(sweeps, estimates, examples, null);
    }

    /**
     * The label-free ECE estimate on every shifted set against the true ECE of the model's own
     * probabilities there.
     *
     * @param rows     per set, in sweep order
     * @param mae      mean absolute error (a share of 1)
     * @param worst    the largest absolute error
     * @param worstSet where it was
     * @param sentence what it means, in words
     */
    public record EceCheck(java.util.List<Row> rows, double mae, double worst, String worstSet, String sentence) {
        public EceCheck {
            rows = java.util.List.copyOf(rows);
        }

        /** One set: the estimate (without labels) and the truth (with them). */
        public record Row(String set, double estimate, double truth) {
            public double absoluteError() {
                return Math.abs(estimate - truth);
            }
        }
    }
}
