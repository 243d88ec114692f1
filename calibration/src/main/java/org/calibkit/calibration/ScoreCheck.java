package org.calibkit.calibration;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether outputs taken as logits look like <em>scores</em> instead: numbers that are neither
 * probabilities, log-probabilities nor plausible logits. {@link OutputKind#detect} cannot tell them
 * apart, so they are read as {@link OutputKind#LOGITS} (a defensible default: temperature or
 * vector scaling then learns their scale); this check says so, so that a report can.
 *
 * <p>Two findings, tried in this order over all rows:
 * <ol>
 *   <li>{@link Pattern#ROWS_SUM_TO_ONE}: the median row sum is within {@value #MEDIAN_SUM_TOLERANCE}
 *       of 1 and at least {@value #ROW_SHARE} of the rows sum to within {@value #ROW_SUM_TOLERANCE}
 *       of 1. Softmax is unchanged by adding a constant to a row, so nothing makes a network's
 *       logits sum to any particular value, and across rows their sums spread over several units;
 *       rows summing to about 1 are the mark of a regression onto one-hot targets (a least-squares
 *       fit with a bias sums to exactly 1, because its targets do). The tolerances allow for an
 *       imperfect fit: an MLP trained with a squared loss on MNIST (the zoo's {@code squared}
 *       model, cli's ZooTest) has its median row sum at 0.97 and 99% of its rows within 0.3 of 1,
 *       while 10% of rows beyond 0.3 still leaves room for hard or unusual images.</li>
 *   <li>{@link Pattern#BOUNDED_NEAR_UNIT}: every value in [{@value #BOUND_LOW}, {@value #BOUND_HIGH}]
 *       without the rows summing to 1. Read as logits, values that never spread further than 2
 *       cap the softmax's largest probability at e<sup>2</sup> / (e<sup>2</sup> + K - 1), 0.45 for
 *       ten classes: a trained classifier's logits are not that flat, while per-class scores on a
 *       [0, 1] scale that overshoot a little (one-vs-rest regression, rounded or clipped
 *       probabilities) are exactly that.</li>
 * </ol>
 * Values all in [0, 1] that sum to 1 are probabilities and never reach this check in the audit
 * ({@link OutputKind#detect} finds them first); a caller that states "logits" for them gets the
 * first finding.
 */
public final class ScoreCheck {
    /** Largest |median row sum - 1| of {@link Pattern#ROWS_SUM_TO_ONE}. */
    public static final double MEDIAN_SUM_TOLERANCE = 0.1;
    /** Largest |row sum - 1| of a row that counts as summing to about 1. */
    public static final double ROW_SUM_TOLERANCE = 0.3;
    /** Smallest share of rows summing to about 1 in {@link Pattern#ROWS_SUM_TO_ONE}. */
    public static final double ROW_SHARE = 0.9;
    /** The bounds of {@link Pattern#BOUNDED_NEAR_UNIT}: [0, 1] widened by 0.5 on each side. */
    public static final double BOUND_LOW = -0.5;
    /** See {@link #BOUND_LOW}. */
    public static final double BOUND_HIGH = 1.5;

    private ScoreCheck() {
    }

    /** Which pattern the scores showed. */
    public enum Pattern {
        /** Rows summing to about 1 while the values are no probabilities. */
        ROWS_SUM_TO_ONE,
        /** Every value within [-0.5, 1.5], rows not summing to 1. */
        BOUNDED_NEAR_UNIT;

        /** Lower-case id for JSON: {@code rows_sum_to_one}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the check found.
     *
     * @param pattern      which pattern
     * @param min          the smallest value
     * @param max          the largest value
     * @param medianRowSum the median of the row sums (numpy's linear quantile at 0.5)
     * @param shareNearOne the share of rows whose sum is within {@link #ROW_SUM_TOLERANCE} of 1
     */
    public record Finding(Pattern pattern, double min, double max, double medianRowSum, double shareNearOne) {
        public Finding {
            Objects.requireNonNull(pattern, "pattern");
        }

        /**
         * One sentence saying what the outputs look like, with the numbers, e.g. "The outputs look
         * like scores, not logits: values in [-0.26, 1.43] whose rows sum to about 1 (median 0.969,
         * 96% of rows within 0.3 of 1), as a network trained with a squared loss on one-hot targets
         * gives."
         */
        public String describe() {
            String range = String.format(Locale.ROOT, "values in [%.3g, %.3g]", min, max);
            if (pattern == Pattern.ROWS_SUM_TO_ONE) {
                return String.format(Locale.ROOT, "The outputs look like scores, not logits: %s whose rows sum to about 1 "
                        + "(median %.3f, %.0f%% of rows within %s of 1), as a network trained with a squared loss on "
                        + "one-hot targets gives.", range, medianRowSum, 100 * shareNearOne, ROW_SUM_TOLERANCE);
            }
            return String.format(Locale.ROOT, "The outputs look like scores, not logits: %s, near [0, 1] without "
                    + "summing to 1 (median row sum %.3f), as per-class scores on a [0, 1] scale are; read as logits "
                    + "their softmax can never be confident.", range, medianRowSum);
        }
    }

    /** {@link #check(double[], int, int)} on a matrix of logits. */
    public static Optional<Finding> check(Logits z) {
        Objects.requireNonNull(z, "logits");
        return check(z.raw(), z.n(), z.k());
    }

    /**
     * The finding on a row-major n x k matrix of outputs taken as logits, by the rules in the
     * class comment; empty when they look like logits.
     *
     * @throws IllegalArgumentException for a size mismatch, n &lt; 1, k &lt; 2, or a value that
     *                                  is not finite (naming its row and column)
     */
    public static Optional<Finding> check(double[] rowMajor, int n, int k) {
        Objects.requireNonNull(rowMajor, "outputs");
        if (n < 1 || k < 2 || (long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected an n x k matrix with n >= 1 and k >= 2, but got n " + n + ", k " + k
                    + " and " + rowMajor.length + " values");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] sums = new double[n];
        int near = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                double v = rowMajor[i * k + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Expected finite outputs, but got " + v + " at row " + i
                            + ", column " + j);
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
                s += v;
            }
            sums[i] = s;
            near += Math.abs(s - 1) <= ROW_SUM_TOLERANCE ? 1 : 0;
        }
        Arrays.sort(sums);
        double median = Quantiles.linear(sums, 0.5);
        double share = (double) near / n;
        if (Math.abs(median - 1) <= MEDIAN_SUM_TOLERANCE && share >= ROW_SHARE) {
            return Optional.of(new Finding(Pattern.ROWS_SUM_TO_ONE, min, max, median, share));
        }
        if (min >= BOUND_LOW && max <= BOUND_HIGH) {
            return Optional.of(new Finding(Pattern.BOUNDED_NEAR_UNIT, min, max, median, share));
        }
        return Optional.empty();
    }
}
