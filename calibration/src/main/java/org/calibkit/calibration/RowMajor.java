package org.calibkit.calibration;

import java.util.Arrays;
import java.util.Objects;

/**
 * The n x K row-major layout shared by {@link Logits} and {@link Probabilities}: flattening and
 * shape checks (with messages naming {@code what} the values are), row access and row selection.
 */
final class RowMajor {
    private RowMajor() {
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

    static double get(double[] values, int n, int k, int row, int cls) {
        Objects.checkIndex(row, n);
        Objects.checkIndex(cls, k);
        return values[row * k + cls];
    }

    static double[] row(double[] values, int n, int k, int i) {
        Objects.checkIndex(i, n);
        return Arrays.copyOfRange(values, i * k, (i + 1) * k);
    }

    static double[][] toArray(double[] values, int n, int k) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(values, i * k, (i + 1) * k);
        }
        return out;
    }

    /** Index of the largest value per row (the first on ties). */
    static int[] argmax(double[] values, int n, int k) {
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

    /** Rows {@code idx} in that order, as a new row-major array; at least one index. */
    static double[] select(double[] values, int n, int k, int[] idx) {
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
