package org.calibkit.calibration.stats;

/**
 * A two-sided confidence interval for a binomial proportion {@code successes / trials}
 * (see {@link Proportions}).
 *
 * @param successes number of successes, in [0, trials]
 * @param trials    number of trials, &gt; 0
 * @param level     coverage, e.g. 0.95
 * @param method    how the interval was computed
 * @param lower     lower end, in [0, estimate]
 * @param upper     upper end, in [estimate, 1]
 */
public record ProportionInterval(long successes, long trials, double level, Method method,
                                 double lower, double upper) {

    /** How a binomial interval is computed. */
    public enum Method {
        /**
         * Clopper and Pearson (1934): exact, inverts two one-sided binomial tests; never covers
         * less than the level (usually more).
         */
        CLOPPER_PEARSON,
        /** Wilson (1927) score interval: close to the level on average, narrower than Clopper–Pearson. */
        WILSON
    }

    /** The observed proportion {@code successes / trials}. */
    public double estimate() {
        return (double) successes / trials;
    }

    /** Whether x lies in [lower, upper]. */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }
}
