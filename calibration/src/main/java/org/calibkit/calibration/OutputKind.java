package org.calibkit.calibration;

import java.util.Locale;
import java.util.Objects;

/**
 * What the numbers a model hands out are: raw logits, a probability distribution per row
 * (softmax output), log-probabilities (log-softmax output), or independent per-class
 * probabilities (one-vs-rest sigmoid outputs). {@link #detect} tells them apart from the values
 * alone; {@link #toLogits} turns each into {@link Logits} for the {@link #head()} that reproduces
 * the model's own probabilities.
 *
 * <p>Detection rules, in this order, over all rows (a kind must hold for every row):
 * <ol>
 *   <li>every value in [0, 1] and every row sums to 1 within {@link #SUM_TOLERANCE}:
 *       {@link #PROBABILITIES};</li>
 *   <li>every value &le; {@link #SUM_TOLERANCE} and every row's log-sum-exp is 0 within
 *       {@link #SUM_TOLERANCE} (its exponentials sum to 1): {@link #LOG_PROBABILITIES};</li>
 *   <li>every value in [0, 1] (rows not all summing to 1): {@link #INDEPENDENT_PROBABILITIES};</li>
 *   <li>anything else: {@link #LOGITS}.</li>
 * </ol>
 * The tolerance is loose enough for float32 outputs (a float32 softmax row of 1,000 classes sums
 * to 1 within about 1e-5) and tight enough that raw logits essentially never pass by accident.
 * Logits that all happen to lie in [0, 1] cannot be told from independent probabilities by their
 * values: such a model needs the kind stated by the caller. NaN and infinities are refused, with
 * their row and column. Scores that are none of these (a squared loss's outputs: rows summing to
 * about 1 with values outside [0, 1]) are {@link #LOGITS} here; {@link ScoreCheck} says when
 * outputs read as logits look like such scores.
 */
public enum OutputKind {
    /** Unnormalised class scores (the input of a softmax or sigmoid). */
    LOGITS,
    /** One distribution per row: values in [0, 1] summing to 1 (a softmax output). */
    PROBABILITIES,
    /** Logarithms of a distribution per row: values &le; 0 whose exponentials sum to 1 (log-softmax). */
    LOG_PROBABILITIES,
    /** K independent probabilities per row, each in [0, 1], not summing to 1 (sigmoid outputs). */
    INDEPENDENT_PROBABILITIES;

    /** Tolerance on |row sum - 1| (probabilities) and |log-sum-exp| (log-probabilities). */
    public static final double SUM_TOLERANCE = 1e-4;

    /**
     * Floor applied to probabilities before taking logarithms in {@link #toLogits}: probabilities
     * below 1e-12 (including exact zeros from saturated float32 softmax outputs) become 1e-12, so
     * a recovered logit is at most log(1e-12) = -27.6 below the row's largest one and the NLL of
     * a confidently wrong prediction is capped at 27.6 instead of infinity. For independent
     * probabilities p is clipped to [1e-12, 1 - 1e-12] before logit(p) = log(p / (1 - p)).
     */
    public static final double EPS = 1e-12;

    /**
     * The kind of a row-major n x k matrix of model outputs, by the rules in the class comment.
     *
     * @throws IllegalArgumentException for a size mismatch, n &lt; 1, k &lt; 2, or a NaN or
     *                                  infinite value (naming its row and column)
     */
    public static OutputKind detect(double[] rowMajor, int n, int k) {
        requireFinite(rowMajor, n, k);
        boolean unit = true;
        boolean sumsToOne = true;
        boolean nonPositive = true;
        boolean lseZero = true;
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double v = rowMajor[off + j];
                if (v < 0 || v > 1) {
                    unit = false;
                }
                if (v > SUM_TOLERANCE) {
                    nonPositive = false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                sumsToOne = false;
            }
            if (nonPositive && lseZero && Math.abs(Softmax.logSumExp(rowMajor, off, k)) > SUM_TOLERANCE) {
                lseZero = false;
            }
        }
        if (unit && sumsToOne) {
            return PROBABILITIES;
        }
        if (nonPositive && lseZero) {
            return LOG_PROBABILITIES;
        }
        if (unit) {
            return INDEPENDENT_PROBABILITIES;
        }
        return LOGITS;
    }

    /**
     * The head under which {@link #toLogits} reproduces these outputs: {@link Head#SIGMOID} for
     * independent probabilities, {@link Head#SOFTMAX} for the others. (Logits of a one-vs-rest
     * model are logits too; only the caller knows that its head is a sigmoid.)
     */
    public Head head() {
        return this == INDEPENDENT_PROBABILITIES ? Head.SIGMOID : Head.SOFTMAX;
    }

    /**
     * Turns outputs of this kind into logits for {@link #head()} (copied):
     * <ul>
     *   <li>{@link #LOGITS}, {@link #LOG_PROBABILITIES}: the values themselves (log-probabilities
     *       are logits whose log-sum-exp is 0);</li>
     *   <li>{@link #PROBABILITIES}: each row divided by its sum (which is 1 within
     *       {@link #SUM_TOLERANCE}), then {@link Logits#fromProbabilities} with {@link #EPS}: the
     *       same softmax distribution, logits known up to a per-row constant;</li>
     *   <li>{@link #INDEPENDENT_PROBABILITIES}: logit(p) with p and 1 - p floored at EPS; the
     *       sigmoid gives p back.</li>
     * </ul>
     *
     * @throws IllegalArgumentException when the values are not of this kind (probabilities outside
     *                                  [0, 1], a row not summing to 1, a positive log-probability,
     *                                  NaN or infinity), naming the row and column or the row sum
     */
    public Logits toLogits(double[] rowMajor, int n, int k) {
        requireFinite(rowMajor, n, k);
        switch (this) {
            case LOGITS:
                return Logits.of(rowMajor, n, k);
            case LOG_PROBABILITIES: {
                for (int i = 0; i < n; i++) {
                    double lse = Softmax.logSumExp(rowMajor, i * k, k);
                    if (Math.abs(lse) > SUM_TOLERANCE) {
                        throw new IllegalArgumentException("Expected log-probabilities whose exponentials sum to 1, but row "
                                + i + " has log-sum-exp " + lse + " (are these logits?)");
                    }
                }
                return Logits.of(rowMajor, n, k);
            }
            case PROBABILITIES: {
                double[] p = new double[rowMajor.length];
                for (int i = 0; i < n; i++) {
                    int off = i * k;
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        double v = rowMajor[off + j];
                        requireUnit(v, i, j);
                        sum += v;
                    }
                    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                        throw new IllegalArgumentException("Expected each row of probabilities to sum to 1 (within "
                                + SUM_TOLERANCE + "), but row " + i + " sums to " + sum
                                + " (independent probabilities of a one-vs-rest model?)");
                    }
                    for (int j = 0; j < k; j++) {
                        p[off + j] = rowMajor[off + j] / sum;
                    }
                }
                return Logits.fromProbabilities(Probabilities.of(p, n, k, false), EPS);
            }
            case INDEPENDENT_PROBABILITIES: {
                double[] z = new double[rowMajor.length];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < k; j++) {
                        double v = rowMajor[i * k + j];
                        requireUnit(v, i, j);
                        z[i * k + j] = v <= 0.5 ? clippedLogit(v) : -clippedLogit(1 - v); // 1 - v is exact here
                    }
                }
                return Logits.of(z, n, k);
            }
            default:
                throw new AssertionError(this);
        }
    }

    /** Lower-case name used in files, JSON and on the command line: {@code log_probabilities}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #id()} or the enum name, case-insensitive, with '-' or '_':
     * {@code logits}, {@code probabilities}, {@code log-probabilities}, {@code independent-probabilities}.
     */
    public static OutputKind parse(String name) {
        Objects.requireNonNull(name, "output kind");
        String n = name.trim().replace('-', '_');
        for (OutputKind k : values()) {
            if (k.name().equalsIgnoreCase(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("output kind must be logits, probabilities, log-probabilities or "
                + "independent-probabilities, but got '" + name + "'");
    }

    /** log(q / (1 - q)) for q in [0, 0.5], q floored at EPS. */
    private static double clippedLogit(double q) {
        double c = Math.max(q, EPS);
        return Math.log(c) - Math.log1p(-c);
    }

    private static void requireUnit(double v, int row, int col) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("Expected probabilities in [0, 1], but got " + v + " at row " + row
                    + ", column " + col);
        }
    }

    private static void requireFinite(double[] rowMajor, int n, int k) {
        Objects.requireNonNull(rowMajor, "outputs");
        if (n < 1) {
            throw new IllegalArgumentException("Expected at least one row of outputs, but got " + n);
        }
        if (k < 2) {
            throw new IllegalArgumentException("Expected at least 2 columns (classes), but got " + k);
        }
        if ((long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected " + n + " x " + k + " = " + ((long) n * k)
                    + " outputs, but got " + rowMajor.length);
        }
        for (int i = 0; i < rowMajor.length; i++) {
            if (!Double.isFinite(rowMajor[i])) {
                throw new IllegalArgumentException("Expected finite outputs, but got " + rowMajor[i] + " at row "
                        + (i / k) + ", column " + (i % k));
            }
        }
    }
}
