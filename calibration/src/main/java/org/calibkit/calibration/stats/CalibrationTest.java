package org.calibkit.calibration.stats;

import java.util.Locale;

/**
 * The result of a calibration test: a statistic and its p-value under the null hypothesis that
 * the probabilities are calibrated (see {@link CalibrationTests}).
 */
public sealed interface CalibrationTest
        permits SpiegelhalterTest, HosmerLemeshowTest, CumulativeCalibrationTest {

    /** Name of the test, e.g. "Spiegelhalter Z". */
    String name();

    /** The test statistic. */
    double statistic();

    /** The p-value, in [0, 1]. */
    double pValue();

    /** Number of predictions tested. */
    int n();

    /** True when the p-value is below alpha: the data give evidence of miscalibration at that level. */
    default boolean rejects(double alpha) {
        Args.level("alpha", alpha);
        return pValue() < alpha;
    }

    /**
     * The result in words, e.g. "the test set gives no evidence of miscalibration at 5%
     * (Spiegelhalter Z = 0.53, p = 0.60)". A large p-value is not evidence of calibration: the
     * test may lack the power to see a small miscalibration.
     *
     * @param alpha significance level in (0, 1), e.g. 0.05
     */
    default String sentence(double alpha) {
        String verdict = rejects(alpha) ? "the test set gives evidence of miscalibration at "
                : "the test set gives no evidence of miscalibration at ";
        return verdict + Args.percent(alpha) + " (" + name() + " = "
                + String.format(Locale.ROOT, "%.3g", statistic()) + ", p = " + formatP(pValue()) + ")";
    }

    /** A p-value with two significant digits, or "&lt; 1e-16" below that. */
    static String formatP(double p) {
        if (p < 1e-16) {
            return "< 1e-16";
        }
        return p >= 0.001 ? String.format(Locale.ROOT, "%.2g", p) : String.format(Locale.ROOT, "%.1e", p);
    }
}
