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
    /**
     * Rows per chunk: enough for each bootstrap bucket to get about 16 rows of a chunk, whose
     * updates {@link SplitSums#add} makes bucket by bucket.
     */
    private static final int CHUNK = 16384;

    private final int bins;
    private final RowMap map;
    private final long seed;
    private final int replicates;
    /** The order statistics' first selection pass, counted alongside the sums ({@link Selection#rootQueries}). */
    private final SelectFold first;
    /** The conformal predictors whose test sets are summed alongside, or null. */
    private final StreamedConformal.Fitted conformal;

    /**
     * @param map        the calibration map applied (or none)
     * @param replicates Poisson-bootstrap replicates (0: none)
     */
    AuditFold(int k, int bins, OutputKind kind, RowMap map, long seed, int replicates) {
        this(k, bins, kind, map, seed, replicates, null);
    }

    /** @param conformal predictors fitted on the validation log whose test sets are summed too, or null */
    AuditFold(int k, int bins, OutputKind kind, RowMap map, long seed, int replicates, StreamedConformal.Fitted conformal) {
        super(k, kind, CHUNK);
        this.conformal = conformal;
        this.bins = bins;
        this.map = map;
        this.seed = seed;
        this.replicates = replicates;
        this.first = new SelectFold(k, kind, map, Selection.rootQueries(ColumnFold.curveOf(k, map.calibrates() ? 2 : 1)));
    }

    /** A partition's buffered rows and sums (public: Spark's Kryo encoder takes public classes only). */
    public static final class State extends ChunkFold.Buffer {
        private static final long serialVersionUID = 1L;
        SplitSums before;
        SplitSums after;   // null when nothing is calibrated
        /** The first selection pass of the order statistics. */
        SelectFold.State first;
        /** Per conformal score, its test sets' sums (null without conformal predictors). */
        org.calibkit.calibration.stats.ConformalEvaluation.Counts[] conformal;
    }

    @Override
    State fresh() {
        State s = new State();
        s.before = new SplitSums(k, bins, seed, replicates);
        s.after = map.calibrates() ? new SplitSums(k, bins, seed, replicates) : null;
        s.first = first.fresh();
        s.conformal = conformal == null ? null : StreamedConformal.fresh(conformal);
        return s;
    }

    @Override
    void chunk(State s, Logits z, int[] y, long[] ids) {
        Predictions before = Predictions.of(z, y);
        s.before.add(before, ids);
        if (conformal != null) {   // sets from the model's own probabilities, as on one machine
            StreamedConformal.add(conformal, s.conformal, before.probabilities(), y, ids, seed);
        }
        Predictions after = null;
        if (s.after != null) {
            after = map.predictions(z, y);
            s.after.add(after, ids);
        }
        // the first selection pass on the same probabilities the later passes compute (ColumnFold)
        int columns = (k + 1) * (after == null ? 1 : 2);
        double[][] v = new double[columns][y.length];
        boolean[][] t = new boolean[columns][y.length];
        ColumnFold.columns(k, before.probabilities(), after == null ? null : after.probabilities(), y, v, t);
        first.columns(s.first, v, t, y.length);
    }

    /** The partitions' states merged in partition order. */
    static State merge(java.util.List<State> states, AuditFold fold) {
        State all = fold.empty();
        for (State s : states) {
            all.before.merge(s.before);
            if (all.after != null) {
                all.after.merge(s.after);
            }
            all.first.merge(s.first);
            for (int i = 0; all.conformal != null && i < all.conformal.length; i++) {
                all.conformal[i].merge(s.conformal[i]);
            }
        }
        return all;
    }
}
