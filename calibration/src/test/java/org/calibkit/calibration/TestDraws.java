package org.calibkit.calibration;

import java.util.function.IntToDoubleFunction;

/**
 * Seeded synthetic test data shared by the tests: arrays drawn value by value, and probability
 * rows drawn raw and divided by their sums. The tests pass the draw, so each keeps its own
 * distribution and random stream; values are drawn in index order, as the loops they replace did.
 */
public final class TestDraws {
    private TestDraws() {
    }

    /** Draws row {@code i}'s raw values into {@code row} (and may draw the row's label too). */
    public interface RowDraw {
        void draw(int i, double[] row);
    }

    /** Draws row {@code i}'s values into {@code row} and returns the row's label. */
    public interface LabelledRowDraw {
        int draw(int i, double[] row);
    }

    /** Rows and their labels. */
    public record Labelled(double[][] rows, int[] labels) {
    }

    /** {@code n} rows of {@code k} values and their labels, row i as {@code draw} draws it, in row order. */
    public static Labelled labelledRows(int n, int k, LabelledRowDraw draw) {
        double[][] rows = new double[n][k];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = draw.draw(i, rows[i]);
        }
        return new Labelled(rows, labels);
    }

    /** {@code n} values, value i being {@code draw.applyAsDouble(i)}, drawn in index order. */
    public static double[] values(int n, IntToDoubleFunction draw) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = draw.applyAsDouble(i);
        }
        return v;
    }

    /** {@code n} rows of {@code k}: each drawn raw by {@code draw}, then divided by its sum (summed left to right). */
    public static double[][] normalisedRows(int n, int k, RowDraw draw) {
        double[][] q = new double[n][k];
        for (int i = 0; i < n; i++) {
            draw.draw(i, q[i]);
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += q[i][j];
            }
            for (int j = 0; j < k; j++) {
                q[i][j] /= s;
            }
        }
        return q;
    }
}
