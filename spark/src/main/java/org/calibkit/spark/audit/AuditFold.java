package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.Arrays;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.SparkPredictionLog;

/**
 * One pass over the test log's partitions: rows are buffered a chunk at a time, turned into
 * logits exactly as the single-machine audit reads a log ({@link OutputKind#toLogits}), and
 * handed to calibration as {@link Predictions} before calibration and, when a map is given,
 * after ({@link RowMap#predictions}: the map the single-machine audit applies);
 * each row's bootstrap bucket is {@link org.calibkit.spark.PoissonWeights#bucket}(seed, id), the same for both sides
 * (a paired bootstrap; see {@link SplitSums}). Only settings travel to the executors.
 */
final class AuditFold implements SparkPredictionLog.Fold<AuditFold.State> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 2048;

    private final int k;
    private final int bins;
    private final OutputKind kind;
    private final RowMap map;
    private final long seed;
    private final int replicates;

    /**
     * @param map        the calibration map applied (or none)
     * @param replicates Poisson-bootstrap replicates (0: none)
     */
    AuditFold(int k, int bins, OutputKind kind, RowMap map, long seed, int replicates) {
        this.k = k;
        this.bins = bins;
        this.kind = kind;
        this.map = map;
        this.seed = seed;
        this.replicates = replicates;
    }

    /** A partition's buffered rows and sums (public: Spark's Kryo encoder takes public classes only). */
    public static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] outputs;
        int[] labels;
        long[] ids;
        int rows;
        SplitSums before;
        SplitSums after;   // null when nothing is calibrated
    }

    @Override
    public State empty() {
        State s = new State();
        s.outputs = new double[CHUNK * k];
        s.labels = new int[CHUNK];
        s.ids = new long[CHUNK];
        s.before = new SplitSums(k, bins, seed, replicates);
        s.after = map.calibrates() ? new SplitSums(k, bins, seed, replicates) : null;
        return s;
    }

    @Override
    public void add(State s, long id, double[] outputs, int label) {
        System.arraycopy(outputs, 0, s.outputs, s.rows * k, k);
        s.labels[s.rows] = label;
        s.ids[s.rows++] = id;
        if (s.rows == CHUNK) {
            flush(s);
        }
    }

    @Override
    public State finish(State s) {
        flush(s);
        s.outputs = new double[0];   // ship the sums, not the buffer
        s.labels = new int[0];
        s.ids = new long[0];
        return s;
    }

    private void flush(State s) {
        int r = s.rows;
        if (r == 0) {
            return;
        }
        int[] y = Arrays.copyOf(s.labels, r);
        Logits z = kind.toLogits(Arrays.copyOf(s.outputs, r * k), r, k);
        long[] ids = Arrays.copyOf(s.ids, r);
        s.before.add(Predictions.of(z, y), ids);
        if (s.after != null) {
            s.after.add(map.predictions(z, y), ids);
        }
        s.rows = 0;
    }

    /** The partitions' states merged in partition order. */
    static State merge(java.util.List<State> states, AuditFold fold) {
        State all = fold.empty();
        for (State s : states) {
            all.before.merge(s.before);
            if (all.after != null) {
                all.after.merge(s.after);
            }
        }
        return all;
    }
}
