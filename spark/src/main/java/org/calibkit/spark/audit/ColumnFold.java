package org.calibkit.spark.audit;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.TopLabel;

/**
 * A fold over the order statistics' columns: each chunk of rows ({@link ChunkFold}) is turned into
 * probabilities before and (when a map is given) after calibration exactly as {@link AuditFold}'s
 * predictions hold them, and handed on as columns: per side the top-label confidence (target: the
 * prediction is right) and each class's probability (target: the row is of that class),
 * {@code sides x (K + 1)} columns in that order.
 *
 * @param <S> the partition's state: a {@link ChunkFold.Buffer} plus what the subclass keeps
 */
abstract class ColumnFold<S extends ChunkFold.Buffer> extends ChunkFold<S> {
    private static final long serialVersionUID = 1L;

    final RowMap map;

    ColumnFold(int k, OutputKind kind, RowMap map) {
        super(k, kind);
        this.map = map;
    }

    /** Sides: 2 when a map calibrates, else 1. */
    final int sides() {
        return map.calibrates() ? 2 : 1;
    }

    /** The number of columns. */
    final int columns() {
        return sides() * (k + 1);
    }

    /** Takes a chunk: {@code values[c][i]} and {@code targets[c][i]} for its {@code rows} rows. */
    abstract void columns(S state, double[][] values, boolean[][] targets, int rows);

    @Override
    final void chunk(S s, Logits z, int[] y, long[] ids) {
        // the probabilities of Predictions.of(z, y) and of map.predictions(z, y), without their NLL
        Probabilities before = z.softmax();
        Probabilities after = map.calibrates() ? map.probabilities(z) : null;
        double[][] v = new double[columns()][y.length];
        boolean[][] t = new boolean[columns()][y.length];
        columns(k, before, after, y, v, t);
        columns(s, v, t, y.length);
    }

    /**
     * The columns of a chunk from its probabilities before and (null: nothing calibrated) after
     * calibration: {@code v[c][i]}, {@code t[c][i]} as {@link ColumnFold} orders them. Also what
     * {@link AuditFold} hands the first selection pass, from the predictions it has.
     */
    static void columns(int k, Probabilities before, Probabilities after, int[] y, double[][] v, boolean[][] t) {
        side(k, before, y, 0, v, t);
        if (after != null) {
            side(k, after, y, k + 1, v, t);
        }
    }

    /** The curve of each column: its side for the top-label columns (0, K + 1), -1 for the classes'. */
    static int[] curveOf(int k, int sides) {
        int[] curveOf = new int[sides * (k + 1)];
        for (int c = 0; c < curveOf.length; c++) {
            curveOf[c] = c % (k + 1) == 0 ? c / (k + 1) : -1;
        }
        return curveOf;
    }

    private static void side(int k, Probabilities p, int[] y, int base, double[][] v, boolean[][] t) {
        TopLabel top = TopLabel.of(p, y);   // as Predictions makes it
        double[] q = p.raw();
        for (int i = 0; i < y.length; i++) {
            v[base][i] = top.confidence(i) + 0.0;   // + 0.0: -0.0 becomes 0.0 (one key per value)
            t[base][i] = top.isCorrect(i);
            for (int j = 0; j < k; j++) {
                v[base + 1 + j][i] = q[i * k + j] + 0.0;
                t[base + 1 + j][i] = y[i] == j;
            }
        }
    }
}
