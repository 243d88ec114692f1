package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.Arrays;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.TopLabel;
import org.calibkit.spark.SparkPredictionLog;

/**
 * A fold over the order statistics' columns: rows are buffered a chunk at a time, turned into
 * probabilities before and (when a map is given) after calibration exactly as {@link AuditFold}'s
 * predictions hold them, and handed on as columns: per side the top-label confidence (target: the prediction is
 * right) and each class's probability (target: the row is of that class), {@code sides x (K + 1)}
 * columns in that order.
 *
 * @param <S> the partition's state: a {@link Buffer} plus what the subclass keeps
 */
abstract class ColumnFold<S extends ColumnFold.Buffer> implements SparkPredictionLog.Fold<S> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 2048;

    final int k;
    final OutputKind kind;
    final RowMap map;

    ColumnFold(int k, OutputKind kind, RowMap map) {
        this.k = k;
        this.kind = kind;
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

    /** A partition's buffered rows (public: Spark's Kryo encoder takes public classes only). */
    public static class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] outputs = new double[0];
        int[] labels = new int[0];
        int rows;
    }

    /** A fresh state with its buffer allocated. */
    abstract S fresh();

    /** Takes a chunk: {@code values[c][i]} and {@code targets[c][i]} for its {@code rows} rows. */
    abstract void columns(S state, double[][] values, boolean[][] targets, int rows);

    @Override
    public final S empty() {
        S s = fresh();
        s.outputs = new double[CHUNK * k];
        s.labels = new int[CHUNK];
        return s;
    }

    @Override
    public final void add(S s, long id, double[] outputs, int label) {
        System.arraycopy(outputs, 0, s.outputs, s.rows * k, k);
        s.labels[s.rows++] = label;
        if (s.rows == CHUNK) {
            flush(s);
        }
    }

    @Override
    public final S finish(S s) {
        flush(s);
        s.outputs = new double[0];   // ship the state, not the buffer
        s.labels = new int[0];
        return s;
    }

    private void flush(S s) {
        int r = s.rows;
        if (r == 0) {
            return;
        }
        int[] y = Arrays.copyOf(s.labels, r);
        Logits z = kind.toLogits(Arrays.copyOf(s.outputs, r * k), r, k);
        double[][] v = new double[columns()][r];
        boolean[][] t = new boolean[columns()][r];
        side(z.softmax(), y, 0, v, t);   // the probabilities of Predictions.of(z, y), without its NLL
        if (map.calibrates()) {
            side(map.probabilities(z), y, k + 1, v, t);
        }
        columns(s, v, t, r);
        s.rows = 0;
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
