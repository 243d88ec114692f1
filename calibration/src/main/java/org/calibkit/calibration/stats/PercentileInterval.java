package org.calibkit.calibration.stats;

import org.calibkit.calibration.Quantiles;
import java.util.Arrays;
import java.util.Objects;

/**
 * Percentile bootstrap interval (Efron and Tibshirani 1993, ch. 13) from given replicates: the
 * {@code (1-level)/2} and {@code (1+level)/2} quantiles of the replicates, with numpy's default
 * linear interpolation. For a metric biased upward (ECE and its relatives), the replicates are
 * centred above the estimate and the interval can lie entirely above it; {@link BcaInterval}
 * corrects for that.
 *
 * @param estimate   the metric on the original data
 * @param lower      lower end
 * @param upper      upper end
 * @param level      coverage, e.g. 0.95
 * @param resamples  number of replicates
 */
public record PercentileInterval(double estimate, double lower, double upper, double level, int resamples) {

    /**
     * @throws IllegalArgumentException for no replicates, a NaN replicate (naming it) or a level
     *                                  outside (0, 1)
     */
    public static PercentileInterval of(double estimate, double[] replicates, double level) {
        Args.level("level", level);
        double[] sorted = sortedReplicates(replicates);
        double a = (1 - level) / 2;
        return new PercentileInterval(estimate, Quantiles.linear(sorted, a), Quantiles.linear(sorted, 1 - a), level, sorted.length);
    }

    /** Whether x lies in [lower, upper]. */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }

    static double[] sortedReplicates(double[] replicates) {
        Objects.requireNonNull(replicates, "replicates");
        if (replicates.length == 0) {
            throw new IllegalArgumentException("Expected at least one bootstrap replicate, but got 0");
        }
        for (int r = 0; r < replicates.length; r++) {
            if (Double.isNaN(replicates[r])) {
                throw new IllegalArgumentException("Expected replicates without NaN, but replicate " + r + " is NaN");
            }
        }
        double[] s = replicates.clone();
        Arrays.sort(s);
        return s;
    }

}
