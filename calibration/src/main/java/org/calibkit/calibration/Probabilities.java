package org.calibkit.calibration;

import java.util.Arrays;
import java.util.Objects;

/**
 * Class probabilities, n rows by K classes, each in [0, 1]. Either a distribution per row
 * (softmax-style: rows sum to 1) or independent per-class probabilities (one-vs-rest sigmoid
 * heads), see {@link #isNormalized()}. Immutable.
 */
public final class Probabilities {
    /** Tolerance on |sum of a row - 1| for normalised probabilities. */
    public static final double SUM_TOLERANCE = 1e-6;

    private final double[] values;
    private final int n;
    private final int k;
    private final boolean normalized;

    private Probabilities(double[] values, int n, int k, boolean normalized) {
        this.values = values;
        this.n = n;
        this.k = k;
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
        return of(flatten(rows), rows.length, rows[0].length, true);
    }

    /** Independent per-class probabilities (rows need not sum to 1), copied and validated. */
    public static Probabilities independent(double[][] rows) {
        return of(flatten(rows), rows.length, rows[0].length, false);
    }

    /** Row-major values (copied); {@code normalized} says whether rows must sum to 1. */
    public static Probabilities of(double[] rowMajor, int n, int k, boolean normalized) {
        Objects.requireNonNull(rowMajor, "probabilities");
        if (n <= 0) {
            throw new IllegalArgumentException("Expected probabilities to have at least one row, but got " + n);
        }
        if (k < 2) {
            throw new IllegalArgumentException("Expected probabilities to have at least 2 classes, but got " + k);
        }
        if ((long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected " + n + " x " + k + " = " + ((long) n * k)
                    + " probabilities, but got " + rowMajor.length);
        }
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

    private static double[] flatten(double[][] rows) {
        Objects.requireNonNull(rows, "probabilities");
        if (rows.length == 0) {
            throw new IllegalArgumentException("Expected probabilities to have at least one row, but got 0");
        }
        if (rows[0] == null) {
            throw new IllegalArgumentException("probabilities row 0 is null");
        }
        int k = rows[0].length;
        double[] flat = new double[Math.multiplyExact(rows.length, k)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != k) {
                throw new IllegalArgumentException("probabilities rows are ragged: row 0 has " + k
                        + " columns but row " + i + " has " + (rows[i] == null ? "none (null)" : rows[i].length));
            }
            System.arraycopy(rows[i], 0, flat, i * k, k);
        }
        return flat;
    }

    public int n() { return n; }
    public int k() { return k; }
    /** True when each row is a distribution over the K classes. */
    public boolean isNormalized() { return normalized; }

    public double get(int row, int cls) {
        Objects.checkIndex(row, n);
        Objects.checkIndex(cls, k);
        return values[row * k + cls];
    }

    /** A copy of row {@code i}. */
    public double[] row(int i) {
        Objects.checkIndex(i, n);
        return Arrays.copyOfRange(values, i * k, (i + 1) * k);
    }

    /** The probabilities as a fresh n x K array. */
    public double[][] toArray() {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(values, i * k, (i + 1) * k);
        }
        return out;
    }

    /** The backing row-major array (read-only by contract). */
    public double[] raw() { return values; }

    /** Index of the largest probability per row (the first on ties). */
    public int[] argmax() {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (values[off + j] > values[off + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

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
        if (idx.length == 0) {
            throw new IllegalArgumentException("Expected at least one row index, but got none");
        }
        double[] out = new double[Math.multiplyExact(idx.length, k)];
        for (int r = 0; r < idx.length; r++) {
            Objects.checkIndex(idx[r], n);
            System.arraycopy(values, idx[r] * k, out, r * k, k);
        }
        return new Probabilities(out, idx.length, k, normalized);
    }

    @Override
    public String toString() {
        return "Probabilities[" + n + " x " + k + (normalized ? "" : ", independent") + "]";
    }
}
