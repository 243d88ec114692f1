package org.calibkit.calibration.stats;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Confidence intervals for a binomial proportion from counts, as pure functions.
 *
 * <p><b>Clopper–Pearson</b> (Clopper and Pearson 1934, Biometrika 26:404): with x successes in n
 * trials and {@code a = 1 - level}, the lower end is the {@code a/2} quantile of Beta(x, n - x + 1)
 * and the upper end the {@code 1 - a/2} quantile of Beta(x + 1, n - x) — what
 * {@code scipy.stats.binomtest(x, n).proportion_ci(method='exact')} returns. For x = 0 the lower
 * end is exactly 0, for x = n the upper end exactly 1 (the Beta distribution with a zero
 * parameter is degenerate there; Commons Math's {@code IntervalUtils.getClopperPearsonInterval}
 * throws instead, MATH-1401).
 *
 * <p><b>Wilson</b> (Wilson 1927, JASA 22:209): the score interval
 * {@code (x + z²/2) / (n + z²) ± z / (n + z²) · sqrt(x (n - x) / n + z²/4)}, with z the
 * {@code 1 - a/2} normal quantile.
 */
public final class Proportions {
    /** Absolute accuracy asked of Commons Math's Beta quantile search. */
    private static final double BETA_ACCURACY = 1e-15;
    /** N(0, 1); immutable (no generator: it is never sampled), so shared. */
    static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Proportions() {
    }

    /**
     * An interval by the given method.
     *
     * @throws IllegalArgumentException for trials &lt;= 0, successes outside [0, trials] or a level
     *                                  outside (0, 1)
     */
    public static ProportionInterval interval(long successes, long trials, double level,
                                              ProportionInterval.Method method) {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        return switch (method) {
            case CLOPPER_PEARSON -> clopperPearson(successes, trials, level);
            case WILSON -> wilson(successes, trials, level);
        };
    }

    /** Clopper–Pearson interval (see the class comment). */
    public static ProportionInterval clopperPearson(long successes, long trials, double level) {
        check(successes, trials, level);
        double a = 1 - level;
        double lower = successes == 0 ? 0.0
                : betaQuantile(successes, trials - successes + 1, a / 2);
        double upper = successes == trials ? 1.0
                : betaQuantile(successes + 1, trials - successes, 1 - a / 2);
        return new ProportionInterval(successes, trials, level, ProportionInterval.Method.CLOPPER_PEARSON,
                lower, upper);
    }

    /** Wilson score interval (see the class comment). */
    public static ProportionInterval wilson(long successes, long trials, double level) {
        check(successes, trials, level);
        double z = normalQuantile(1 - (1 - level) / 2);
        double n = trials;
        double x = successes;
        double z2 = z * z;
        double centre = (x + z2 / 2) / (n + z2);
        double half = z / (n + z2) * Math.sqrt(x * (n - x) / n + z2 / 4);
        double lower = successes == 0 ? 0.0 : Math.max(0.0, centre - half);
        double upper = successes == trials ? 1.0 : Math.min(1.0, centre + half);
        return new ProportionInterval(successes, trials, level, ProportionInterval.Method.WILSON, lower, upper);
    }

    /** Quantile q of Beta(a, b) for a, b &gt; 0. */
    static double betaQuantile(double a, double b, double q) {
        // no random generator is needed for a quantile (null skips seeding a Well19937c per call)
        return new BetaDistribution(null, a, b, BETA_ACCURACY).inverseCumulativeProbability(q);
    }

    /** Standard normal quantile (Commons Math's {@code NormalDistribution}), for q in (0, 1). */
    static double normalQuantile(double q) {
        return STANDARD_NORMAL.inverseCumulativeProbability(q);
    }

    private static void check(long successes, long trials, double level) {
        if (trials <= 0) {
            throw new IllegalArgumentException("Expected trials to be larger than 0, but got " + trials);
        }
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException("Expected successes in [0, " + trials + "], but got " + successes);
        }
        Args.level("level", level);
    }
}
