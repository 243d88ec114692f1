package org.calibkit.report.shift;

import java.util.List;
import java.util.Objects;

import org.calibkit.core.Checks;

/**
 * What a run of {@link Sweeps} measured, as plain data: for every point of every sweep the
 * metrics of the model's own probabilities and of the calibrated ones.
 *
 * @param calibration the calibration map's description (e.g. {@code temperature T=1.320})
 * @param bins        ECE bins
 * @param seed        the shifts' seed
 * @param points      in sweep order, then point order
 */
public record SweepResult(String calibration, int bins, long seed, List<PointResult> points) {
    /**
     * The metrics of one set of predictions.
     *
     * @param accuracy       share of top-label predictions that are right
     * @param meanConfidence mean top-label probability
     * @param ece            expected calibration error, equal-width bins
     * @param nll            mean negative log-likelihood of the true class (nats)
     * @param brier          Brier score summed over classes
     */
    public record Metrics(double accuracy, double meanConfidence, double ece, double nll, double brier) {
    }

    /**
     * One point.
     *
     * @param sweep      the sweep's name ({@code rotation}, {@code mnist-c/fog})
     * @param unit       the intensity's unit
     * @param point      the point's name ({@code rotation/45}, {@code mnist-c/fog/3})
     * @param intensity  angle, pixels or severity
     * @param n          images
     * @param before     the model's own probabilities
     * @param after      after the calibration map
     */
    public record PointResult(String sweep, String unit, String point, double intensity, int n, Metrics before,
                              Metrics after) {
        public PointResult {
            Checks.nonNull("sweep, point, before, after", sweep, point, before, after);
        }
    }

    public SweepResult {
        Objects.requireNonNull(calibration, "calibration");
        points = List.copyOf(points);
    }

    /** The points of sweep {@code name}, in order. */
    public List<PointResult> sweep(String name) {
        return points.stream().filter(p -> p.sweep().equals(name)).toList();
    }

    /** The point named {@code point}. @throws IllegalArgumentException when there is none */
    public PointResult point(String point) {
        return points.stream().filter(p -> p.point().equals(point)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sweep point '" + point + "'"));
    }
}
