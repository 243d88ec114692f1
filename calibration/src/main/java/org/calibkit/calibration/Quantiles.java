package org.calibkit.calibration;

import java.util.Objects;

/**
 * The one empirical quantile calibkit uses for intervals and summaries: numpy's default
 * {@code method='linear'} (Hyndman and Fan 1996, definition 7): position {@code q (n - 1)} in the
 * sorted values, interpolated linearly between its two neighbours.
 */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The {@code q} quantile of {@code sorted} (ascending, not checked), e.g.
     * {@code linear([1, 2, 3, 4, 10], 0.975) = 9.4} as {@code numpy.quantile} gives.
     *
     * @throws IllegalArgumentException for no values or q outside [0, 1]
     */
    public static double linear(double[] sorted, double q) {
        Objects.requireNonNull(sorted, "sorted");
        if (sorted.length == 0) {
            throw new IllegalArgumentException("Expected at least one value for a quantile, but got none");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("Expected the quantile level q in [0, 1], but got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
