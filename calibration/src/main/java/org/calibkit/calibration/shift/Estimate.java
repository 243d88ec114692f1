package org.calibkit.calibration.shift;

import java.util.Objects;

/**
 * An accuracy estimate for a set of inputs without labels.
 *
 * @param estimator the estimator's name, e.g. {@code ATC-NE}
 * @param n         inputs it saw
 * @param accuracy  the estimated share of right top-label predictions
 * @param lower     lower end of its interval, NaN when the estimator has none
 * @param upper     upper end of its interval, NaN when the estimator has none
 */
public record Estimate(String estimator, long n, double accuracy, double lower, double upper) {
    public Estimate {
        Objects.requireNonNull(estimator, "estimator");
    }

    /** An estimate without an interval. */
    public static Estimate point(String estimator, long n, double accuracy) {
        return new Estimate(estimator, n, accuracy, Double.NaN, Double.NaN);
    }

    /** Whether {@link #lower} and {@link #upper} are set. */
    public boolean hasInterval() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }
}
