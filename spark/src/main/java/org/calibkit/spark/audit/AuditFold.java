package org.calibkit.spark.audit;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.metrics.Predictions;

/**
 * One pass over the test log's partitions: rows are buffered a chunk at a time, turned into
 * logits exactly as the single-machine audit reads a log ({@link OutputKind#toLogits}), and
 * handed to calibration as {@link Predictions} before calibration and, when a map is given,
 * after ({@link RowMap#predictions}: the map the single-machine audit applies);
 * each row's bootstrap bucket is {@link org.calibkit.spark.PoissonWeights#bucket}(seed, id), the same for both sides
 * (a paired bootstrap; see {@link SplitSums}). Only settings travel to the executors.
 */
final class AuditFold extends ChunkFold<AuditFold.State> {
    private static final long serialVersionUID = 1L;

    private final int bins;
    private final RowMap map;
    private final long seed;
    private final int replicates;

    /**
     * @param map        the calibration map applied (or none)
     * @param replicates Poisson-bootstrap replicates (0: none)
     */
    AuditFold(int k, int bins, OutputKind kind, RowMap map, long seed, int replicates) {
        super(k, kind);
        this.bins = bins;
        this.map = map;
        this.seed = seed;
        this.replicates = replicates;
    }

    /** A partition's buffered rows and sums (public: Spark's Kryo encoder takes public classes only). */
    public static final class State extends ChunkFold.Buffer {
        private static final long serialVersionUID = 1L;
        SplitSums before;
        SplitSums after;   // null when nothing is calibrated
    }

    @Override
    State fresh() {
        State s = new State();
        s.before = new SplitSums(k, bins, seed, replicates);
        s.after = map.calibrates() ? new SplitSums(k, bins, seed, replicates) : null;
        return s;
    }

    @Override
    void chunk(State s, Logits z, int[] y, long[] ids) {
        s.before.add(Predictions.of(z, y), ids);
        if (s.after != null) {
            s.after.add(map.predictions(z, y), ids);
        }
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
