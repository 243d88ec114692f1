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
        int r = y.length;
        double[][] v = new double[columns()][r];
        boolean[][] t = new boolean[columns()][r];
        side(z.softmax(), y, 0, v, t);   // the probabilities of Predictions.of(z, y), without its NLL
        if (map.calibrates()) {
            side(map.probabilities(z), y, k + 1, v, t);
        }
        columns(s, v, t, r);
    }

    private void side(Probabilities p, int[] y, int base, double[][] v, boolean[][] t) {
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
