package org.calibkit.calibration.stats;

/**
 * Hosmer–Lemeshow's test (see {@link CalibrationTests#hosmerLemeshow(double[], boolean[], int, Df)}).
 *
 * @param chiSquare the statistic {@code sum_g (O_g - E_g)^2 / (E_g (1 - E_g / n_g))}
 * @param df        degrees of freedom of the chi-squared reference distribution
 * @param groups    number of groups actually formed (fewer than asked when ties fill a group)
 * @param pValue    upper tail of chi-squared(df) at the statistic
 * @param n         number of predictions
 */
public record HosmerLemeshowTest(double chiSquare, int df, int groups, double pValue, int n)
        implements CalibrationTest {

    /** Degrees of freedom of the reference chi-squared distribution. */
    public enum Df {
        /**
         * {@code df = G}: the probabilities were not fitted on the data being tested (a held-out
         * test set, the usual case here; Hosmer, Lemeshow and Sturdivant 2013, sect. 5.2.2, on
         * external validation).
         */
        HELD_OUT,
        /**
         * {@code df = G - 2}: the probabilities come from a logistic model fitted on these very
         * data (Hosmer and Lemeshow 1980), which uses up two degrees of freedom.
         */
        FITTED
    }

    @Override
    public String name() {
        return "Hosmer-Lemeshow chi2(" + df + ")";
    }

    @Override
    public double statistic() {
        return chiSquare;
    }
}
