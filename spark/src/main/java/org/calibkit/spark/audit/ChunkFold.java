package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.Arrays;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.spark.PredictionLog;

/**
 * A fold that takes a partition's rows a chunk at a time: rows are buffered, and each full chunk
 * (and the last, partial one) is turned into logits exactly as the single-machine audit reads a
 * log ({@link OutputKind#toLogits}) and handed to {@link #chunk}. The buffer is dropped before the
 * state is shipped. Only settings travel to the executors.
 *
 * @param <S> the partition's state: a {@link Buffer} plus what the subclass keeps
 */
abstract class ChunkFold<S extends ChunkFold.Buffer> implements PredictionLog.Fold<S> {
    private static final long serialVersionUID = 1L;
    /**
     * Rows a chunk holds by default: the selection passes' columns of a chunk (K + 1 per side)
     * stay in a core's cache (16384 rows made those passes a third slower).
     */
    static final int CHUNK = 2048;

    final int k;
    final OutputKind kind;

    /** Rows per chunk. */
    private final int chunk;

    ChunkFold(int k, OutputKind kind) {
        this(k, kind, CHUNK);
    }

    ChunkFold(int k, OutputKind kind, int chunk) {
        this.k = k;
        this.kind = kind;
        this.chunk = chunk;
    }

    /** A partition's buffered rows (public: Spark's Kryo encoder takes public classes only). */
    public static class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] outputs = new double[0];
        int[] labels = new int[0];
        long[] ids = new long[0];
        int rows;
    }

    /** A fresh state (its buffer is allocated by {@link #empty}). */
    abstract S fresh();

    /** Takes a chunk of rows: their logits, labels and ids. */
    abstract void chunk(S state, Logits z, int[] labels, long[] ids);

    @Override
    public final S empty() {
        S s = fresh();
        s.outputs = new double[chunk * k];
        s.labels = new int[chunk];
        s.ids = new long[chunk];
        return s;
    }

    @Override
    public final void add(S s, long id, double[] outputs, int label) {
        System.arraycopy(outputs, 0, s.outputs, s.rows * k, k);
        s.labels[s.rows] = label;
        s.ids[s.rows++] = id;
        if (s.rows == chunk) {
            flush(s);
        }
    }

    @Override
    public final S finish(S s) {
        flush(s);
        s.outputs = new double[0];   // ship the state, not the buffer
        s.labels = new int[0];
        s.ids = new long[0];
        return s;
    }

    private void flush(S s) {
        int r = s.rows;
        if (r == 0) {
            return;
        }
        chunk(s, kind.toLogits(Arrays.copyOf(s.outputs, r * k), r, k), Arrays.copyOf(s.labels, r), Arrays.copyOf(s.ids, r));
        s.rows = 0;
    }
}
