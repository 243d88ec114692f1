package org.calibkit.calibration.stats;

import org.calibkit.calibration.Quantiles;
import java.util.Objects;

/**
 * Bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987, JASA 82:171; Efron and
 * Tibshirani 1993, sect. 14.3), from the estimate, its bootstrap replicates and its jackknife
 * (leave-one-out) values; the resampling itself is the caller's.
 *
 * <pre>
 *   z0 = Phi^-1( (#{replicates &lt; estimate} + #{replicates = estimate} / 2) / B )
 *   a  = sum (m - J_i)^3 / (6 (sum (m - J_i)^2)^(3/2)),   m = mean of the jackknife values J_i
 *   a1 = Phi( z0 + (z0 + z_lo) / (1 - a (z0 + z_lo)) ),   z_lo = Phi^-1((1 - level) / 2)
 *   a2 = Phi( z0 + (z0 + z_hi) / (1 - a (z0 + z_hi)) ),   z_hi = Phi^-1((1 + level) / 2)
 * </pre>
 * and the interval is the a1 and a2 quantiles of the replicates (linear interpolation, as
 * {@link PercentileInterval}) — the same as {@code scipy.stats.bootstrap(method='BCa')}. z0
 * measures how far the replicates sit above or below the estimate: for an upward-biased metric
 * z0 &lt; 0 and the interval moves down, towards and around the estimate. With z0 = a = 0 it
 * is the percentile interval. Normal quantiles come from Commons Math's {@code NormalDistribution}.
 *
 * <p>When every replicate lies on one side of the estimate, z0 is infinite and BCa is undefined:
 * lower and upper are NaN (scipy warns and returns NaN as well). When the jackknife values are
 * all equal, a = 0.
 *
 * @param estimate         the metric on the original data
 * @param lower            lower end (NaN when undefined)
 * @param upper            upper end (NaN when undefined)
 * @param level            coverage, e.g. 0.95
 * @param biasCorrection   z0
 * @param acceleration     a
 * @param lowerQuantile    a1, the quantile of the replicates taken as lower end
 * @param upperQuantile    a2
 * @param resamples        number of replicates
 */
public record BcaInterval(double estimate, double lower, double upper, double level, double biasCorrection,
                          double acceleration, double lowerQuantile, double upperQuantile, int resamples) {

    /**
     * @param estimate         the metric on the original data
     * @param replicates       the metric on each bootstrap resample
     * @param jackknifeValues  the metric with each row left out in turn (at least 2)
     * @param level            coverage in (0, 1)
     * @throws IllegalArgumentException for empty arrays, NaN values (naming the entry), a
     *                                  non-finite estimate or a level outside (0, 1)
     */
    public static BcaInterval of(double estimate, double[] replicates, double[] jackknifeValues, double level) {
        Args.level("level", level);
        if (!Double.isFinite(estimate)) {
            throw new IllegalArgumentException("Expected a finite estimate, but got " + estimate);
        }
        double[] sorted = PercentileInterval.sortedReplicates(replicates);
        Objects.requireNonNull(jackknifeValues, "jackknifeValues");
        if (jackknifeValues.length < 2) {
            throw new IllegalArgumentException("Expected at least 2 jackknife values, but got " + jackknifeValues.length);
        }
        for (int i = 0; i < jackknifeValues.length; i++) {
            if (!Double.isFinite(jackknifeValues[i])) {
                throw new IllegalArgumentException("Expected finite jackknife values, but value " + i + " is "
                        + jackknifeValues[i]);
            }
        }
        int b = sorted.length;
        long below = 0;
        long equal = 0;
        for (double v : sorted) {
            if (v < estimate) {
                below++;
            } else if (v == estimate) {
                equal++;
            }
        }
        double z0 = Proportions.STANDARD_NORMAL.inverseCumulativeProbability((below + equal / 2.0) / b);
        double a = acceleration(jackknifeValues);
        double zLo = Proportions.normalQuantile((1 - level) / 2);
        double zHi = -zLo;
        if (Double.isInfinite(z0)) {
            return new BcaInterval(estimate, Double.NaN, Double.NaN, level, z0, a, Double.NaN, Double.NaN, b);
        }
        double a1 = Proportions.STANDARD_NORMAL.cumulativeProbability(z0 + (z0 + zLo) / (1 - a * (z0 + zLo)));
        double a2 = Proportions.STANDARD_NORMAL.cumulativeProbability(z0 + (z0 + zHi) / (1 - a * (z0 + zHi)));
        return new BcaInterval(estimate, Quantiles.linear(sorted, a1), Quantiles.linear(sorted, a2),
                level, z0, a, a1, a2, b);
    }

    /** Whether x lies in [lower, upper] (false when the interval is undefined). */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }

    /** Acceleration from jackknife values: {@code sum d^3 / (6 (sum d^2)^1.5)}, d = mean - J_i; 0 when all equal. */
    static double acceleration(double[] jack) {
        double mean = 0;
        for (double v : jack) {
            mean += v;
        }
        mean /= jack.length;
        double s2 = 0;
        double s3 = 0;
        for (double v : jack) {
            double d = mean - v;
            s2 += d * d;
            s3 += d * d * d;
        }
        return s2 == 0 ? 0.0 : s3 / (6 * Math.pow(s2, 1.5));
    }
}
