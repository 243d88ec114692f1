package org.calibkit.calibration.stats;

/**
 * A test on the cumulative calibration curve, Kolmogorov–Smirnov or Kuiper (see
 * {@link CalibrationTests#kolmogorovSmirnov(double[], boolean[])}).
 *
 * @param kind      which statistic
 * @param statistic the curve's maximum absolute value (KS) or range (Kuiper), divided by its
 *                  standard deviation under calibration, {@code sqrt(sum_i p_i (1 - p_i)) / n}
 * @param pValue    upper tail of the statistic's limit under calibration
 * @param n         number of predictions
 */
public record CumulativeCalibrationTest(Kind kind, double statistic, double pValue, int n)
        implements CalibrationTest {

    /** The two statistics of the cumulative curve. */
    public enum Kind {
        /** Maximum of |C|; its limit is the maximum of |standard Brownian motion| on [0, 1]. */
        KOLMOGOROV_SMIRNOV,
        /** Range max C - min C (with C = 0 before the first point); its limit is the range of Brownian motion. */
        KUIPER
    }

    @Override
    public String name() {
        return kind == Kind.KUIPER ? "Kuiper" : "Kolmogorov-Smirnov";
    }
}
