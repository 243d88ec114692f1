package org.calibkit.calibration;

import java.util.Arrays;
import java.util.Objects;

/**
 * The n x K row-major values {@link Logits} and {@link Probabilities} both are: their accessors,
 * plus the flattening and shape checks (with messages naming {@code what} the values are) and the
 * row selection they build themselves with.
 */
public abstract sealed class RowMajor permits Logits, Probabilities {
    final double[] values;
    final int n;
    final int k;

    RowMajor(double[] values, int n, int k) {
        this.values = values;
        this.n = n;
        this.k = k;
    }

    /** Number of rows. */
    public int n() { return n; }

    /** Number of classes (columns). */
    public int k() { return k; }

    /** The value at {@code row}, class {@code cls}. */
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

    /** The values as a fresh n x K array. */
    public double[][] toArray() {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(values, i * k, (i + 1) * k);
        }
        return out;
    }

    /**
     * Class {@code cls} one-vs-rest: its value in each row into {@code column} and whether the row's
     * label is {@code cls} into {@code isClass} (both at least n long, to reuse across classes).
     */
    public void oneVsRest(int cls, int[] labels, double[] column, boolean[] isClass) {
        Objects.checkIndex(cls, k);
        for (int i = 0; i < n; i++) {
            column[i] = values[i * k + cls];
            isClass[i] = labels[i] == cls;
        }
    }

    /** The backing row-major array (read-only by contract; for hot loops in this module and benchmarks). */
    public double[] raw() { return values; }

    /** Index of the largest value per row (the first on ties). */
    public int[] argmax() {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Softmax.argmax(values, i * k, k);
        }
        return out;
    }

    /** Rows {@code idx} in that order, as a new row-major array; at least one index. */
    final double[] selectRows(int[] idx) {
        return select(values, n, k, idx);
    }

    /** Copies rectangular rows into one row-major array; empty, null or ragged rows are named. */
    static double[] flatten(double[][] rows, String what) {
        Objects.requireNonNull(rows, what);
        if (rows.length == 0) {
            throw new IllegalArgumentException("Expected " + what + " to have at least one row, but got 0");
        }
        if (rows[0] == null) {
            throw new IllegalArgumentException(what + " row 0 is null");
        }
        int k = rows[0].length;
        double[] flat = new double[Math.multiplyExact(rows.length, k)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != k) {
                throw new IllegalArgumentException(what + " rows are ragged: row 0 has " + k
                        + " columns but row " + i + " has " + (rows[i] == null ? "none (null)" : rows[i].length));
            }
            System.arraycopy(rows[i], 0, flat, i * k, k);
        }
        return flat;
    }

    /** At least one row, at least 2 classes, and exactly n * k values. */
    static void checkShape(double[] rowMajor, int n, int k, String what) {
        Objects.requireNonNull(rowMajor, what);
        if (n <= 0) {
            throw new IllegalArgumentException("Expected " + what + " to have at least one row, but got " + n);
        }
        if (k < 2) {
            throw new IllegalArgumentException("Expected " + what + " to have at least 2 classes, but got " + k);
        }
        if ((long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected " + n + " x " + k + " = " + ((long) n * k)
                    + " " + what + ", but got " + rowMajor.length);
        }
    }

    /** Rows {@code idx} in that order, as a new row-major array; at least one index. */
    private static double[] select(double[] values, int n, int k, int[] idx) {
        if (idx.length == 0) {
            throw new IllegalArgumentException("Expected at least one row index, but got none");
        }
        double[] out = new double[Math.multiplyExact(idx.length, k)];
        for (int r = 0; r < idx.length; r++) {
            Objects.checkIndex(idx[r], n);
            System.arraycopy(values, idx[r] * k, out, r * k, k);
        }
        return out;
    }
}
