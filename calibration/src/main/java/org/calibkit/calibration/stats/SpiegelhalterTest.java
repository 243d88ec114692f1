package org.calibkit.calibration.stats;

/**
 * Spiegelhalter's Z test (see {@link CalibrationTests#spiegelhalter(double[], boolean[], Alternative)}).
 *
 * @param z           the Z statistic; positive when the Brier score is larger than calibrated
 *                    probabilities would give on average
 * @param pValue      p-value under the chosen alternative
 * @param alternative two-sided, or one-sided "Brier score larger than expected" as MAPIE
 * @param n           number of predictions
 */
public record SpiegelhalterTest(double z, double pValue, Alternative alternative, int n) implements CalibrationTest {

    /** Which deviations count against calibration. */
    public enum Alternative {
        /** Either sign of Z: {@code p = 2 (1 - Phi(|z|))} (Spiegelhalter 1986). */
        TWO_SIDED,
        /** Only Z &gt; 0, a Brier score worse than calibration: {@code p = 1 - Phi(z)} (MAPIE). */
        GREATER
    }

    @Override
    public String name() {
        return "Spiegelhalter Z";
    }

    @Override
    public double statistic() {
        return z;
    }
}
