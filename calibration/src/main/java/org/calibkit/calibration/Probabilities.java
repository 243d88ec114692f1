package org.calibkit.calibration;

/**
 * Class probabilities, n rows by K classes, each in [0, 1]. Either a distribution per row
 * (softmax-style: rows sum to 1) or independent per-class probabilities (one-vs-rest sigmoid
 * heads), see {@link #isNormalized()}. Immutable.
 */
public final class Probabilities extends RowMajor {
    /** Tolerance on |sum of a row - 1| for normalised probabilities. */
    public static final double SUM_TOLERANCE = 1e-6;

    private final boolean normalized;

    private Probabilities(double[] values, int n, int k, boolean normalized) {
        super(values, n, k);
        this.normalized = normalized;
    }

    static Probabilities wrap(double[] rowMajor, int n, int k, boolean normalized) {
        return new Probabilities(rowMajor, n, k, normalized);
    }

    /**
     * Rows that each sum to 1 (within {@link #SUM_TOLERANCE}); copied and validated.
     *
     * @throws IllegalArgumentException for empty or ragged input, values outside [0, 1] or NaN,
     *                                  or a row whose sum is not 1 (naming the row)
     */
    public static Probabilities of(double[][] rows) {
        return of(RowMajor.flatten(rows, "probabilities"), rows.length, rows[0].length, true);
    }

    /** Independent per-class probabilities (rows need not sum to 1), copied and validated. */
    public static Probabilities independent(double[][] rows) {
        return of(RowMajor.flatten(rows, "probabilities"), rows.length, rows[0].length, false);
    }

    /** Row-major values (copied); {@code normalized} says whether rows must sum to 1. */
    public static Probabilities of(double[] rowMajor, int n, int k, boolean normalized) {
        RowMajor.checkShape(rowMajor, n, k, "probabilities");
        double[] copy = rowMajor.clone();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double v = copy[i * k + j];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("Expected probabilities in [0, 1], but got " + v
                            + " at row " + i + ", class " + j);
                }
                sum += v;
            }
            if (normalized && Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("Expected each row of probabilities to sum to 1, but row "
                        + i + " sums to " + sum + " (use independent probabilities for one-vs-rest heads)");
            }
        }
        return new Probabilities(copy, n, k, normalized);
    }

    /** True when each row is a distribution over the K classes. */
    public boolean isNormalized() { return normalized; }

    /** Top-label confidence: the largest probability per row. */
    public double[] maxProbability() {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double m = values[off];
            for (int j = 1; j < k; j++) {
                // values are in [0, 1] (never NaN): a comparison is Math.max here, without its NaN and -0 cases
                double v = values[off + j];
                m = v > m ? v : m;
            }
            out[i] = m;
        }
        return out;
    }

    /** Rows {@code idx} in that order. */
    public Probabilities select(int[] idx) {
        return new Probabilities(selectRows(idx), idx.length, k, normalized);
    }

    @Override
    public String toString() {
        return "Probabilities[" + n + " x " + k + (normalized ? "" : ", independent") + "]";
    }
}
