package org.calibkit.spark.audit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.spark.PoissonWeights;
import org.calibkit.spark.PredictionLog;

/**
 * Split conformal prediction sets of a prediction log, with the single-machine audit's scores
 * ({@link AuditStatistics#conformalScores()}: LAC, randomised APS, randomised RAPS) and its
 * functions ({@link Conformal}):
 * <ol>
 * <li>fit: one pass over the validation log computes each row's score of its label from the
 *     model's own probabilities (as on one machine), gathered on the driver (8 bytes a row and
 *     score, at most {@value #MAX_CALIBRATION_ROWS} rows), where the threshold is the same
 *     order statistic as on one machine ({@link Conformal#fitScores});</li>
 * <li>evaluate: the pass over the test log ({@link AuditFold}) builds each row's set and sums
 *     what {@link ConformalEvaluation} reports (coverage overall, per class and per set size;
 *     set sizes), merged across partitions.</li>
 * </ol>
 * LAC has no randomness: its threshold and sets equal the single-machine audit's. A randomised
 * score's u of a row is {@link PoissonWeights#uniform}(seed, row id) (seed + 1 for test rows), not
 * the single-machine draw in row order, so the sets do not depend on partitioning or row order;
 * they are the single-machine function's sets for those u, and the coverage guarantee is the
 * same (u independent of the scores), but the numbers differ from the in-memory audit's by the
 * randomisation.
 */
final class StreamedConformal {
    /** Validation rows whose scores are gathered on the driver at most (3 scores: 100 MB). */
    static final long MAX_CALIBRATION_ROWS = 1L << 22;

    private StreamedConformal() {
    }

    /** What the executors need of the fitted predictors: score ids and thresholds (records are not serializable). */
    record Fitted(String[] ids, double alpha, double[] thresholds, int[] ranks, int n, int k) implements Serializable {
        ConformalPredictor predictor(int i) {
            return new ConformalPredictor(AuditStatistics.conformalScores().get(ids[i]), alpha, thresholds[i], ranks[i], n, k);
        }

        int size() {
            return ids.length;
        }
    }

    /**
     * The predictors fitted on the validation log, or null when it holds more than
     * {@link #MAX_CALIBRATION_ROWS} rows (the report says why).
     */
    static Fitted fit(PredictionLog validation, int k, double alpha, long seed, java.util.function.Consumer<String> progress) {
        return fit(validation, k, alpha, seed, MAX_CALIBRATION_ROWS, progress);
    }

    /** {@link #fit} gathering at most {@code maxRows} validation rows' scores (tests make it small). */
    static Fitted fit(PredictionLog validation, int k, double alpha, long seed, long maxRows,
                      java.util.function.Consumer<String> progress) {
        long n = validation.count();
        if (n > maxRows) {
            progress.accept(String.format(java.util.Locale.ROOT, "audit: no conformal sets: the validation log holds %,d rows, "
                    + "more than the %,d whose scores are gathered on the driver", n, maxRows));
            return null;
        }
        List<String> ids = new ArrayList<>(AuditStatistics.conformalScores().keySet());
        ScoresFold fold = new ScoresFold(k, validation.schema().kind(), ids.toArray(String[]::new), seed);
        List<ScoresFold.State> parts = validation.fold(fold, ScoresFold.State.class);
        int rows = parts.stream().mapToInt(p -> p.n).sum();
        double[] thresholds = new double[ids.size()];
        int[] ranks = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            double[] all = new double[rows];
            int at = 0;
            for (ScoresFold.State p : parts) {
                System.arraycopy(p.scores[i], 0, all, at, p.n);
                at += p.n;
            }
            ConformalPredictor cp = Conformal.fitScores(AuditStatistics.conformalScores().get(ids.get(i)), all, alpha, k);
            thresholds[i] = cp.threshold();
            ranks[i] = cp.rank();
        }
        progress.accept(String.format(java.util.Locale.ROOT, "audit: conformal sets (%s) fitted on the %,d validation rows",
                String.join(", ", ids), rows));
        return new Fitted(ids.toArray(String[]::new), alpha, thresholds, ranks, rows, k);
    }

    /** Each row's u for a seed, keyed by the rows' ids. */
    static double[] uniforms(long seed, long[] ids) {
        double[] u = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            u[i] = PoissonWeights.uniform(seed, ids[i]);
        }
        return u;
    }

    /** The validation pass: each row's score of its label under each conformal score. */
    static final class ScoresFold extends ChunkFold<ScoresFold.State> {
        private static final long serialVersionUID = 1L;
        private final String[] ids;
        private final long seed;

        ScoresFold(int k, OutputKind kind, String[] ids, long seed) {
            super(k, kind);
            this.ids = ids;
            this.seed = seed;
        }

        /** A partition's scores (public: Spark's Kryo encoder takes public classes only). */
        public static final class State extends ChunkFold.Buffer {
            private static final long serialVersionUID = 1L;
            double[][] scores;
            int n;
        }

        @Override
        State fresh() {
            State s = new State();
            s.scores = new double[ids.length][16];
            return s;
        }

        @Override
        void chunk(State s, Logits z, int[] y, long[] rowIds) {
            Probabilities p = z.softmax();   // the model's own probabilities, as the single-machine audit fits on
            Map<String, ConformalScore> scores = AuditStatistics.conformalScores();
            int m = y.length;
            if (s.n + m > s.scores[0].length) {
                int capacity = Math.max(s.n + m, 2 * s.scores[0].length);
                for (int i = 0; i < ids.length; i++) {
                    s.scores[i] = Arrays.copyOf(s.scores[i], capacity);
                }
            }
            double[] u = uniforms(seed, rowIds);   // one draw per row, shared by the randomised scores
            for (int i = 0; i < ids.length; i++) {
                ConformalScore score = scores.get(ids[i]);
                double[] v = Conformal.scores(score, p, y, score.randomized() ? u : null);
                System.arraycopy(v, 0, s.scores[i], s.n, m);
            }
            s.n += m;
        }
    }

    /** Adds a chunk of test rows' sets to each score's sums. */
    static void add(Fitted fitted, ConformalEvaluation.Counts[] sums, Probabilities p, int[] y, long[] rowIds, long seed) {
        double[] u = null;
        for (int i = 0; i < fitted.size(); i++) {
            ConformalPredictor cp = fitted.predictor(i);
            if (cp.score().randomized() && u == null) {
                u = uniforms(seed + 1, rowIds);
            }
            sums[i].add(cp.predict(p, cp.score().randomized() ? u : null), y);
        }
    }

    /** The report's conformal results (no probes: a log holds no images). */
    static List<AuditResult.ConformalResult> results(Fitted fitted, ConformalEvaluation.Counts[] sums, double level) {
        List<AuditResult.ConformalResult> out = new ArrayList<>();
        for (int i = 0; i < fitted.size(); i++) {
            ConformalPredictor cp = fitted.predictor(i);
            String description = AuditStatistics.describeConformal(fitted.ids()[i])
                    + (cp.score().randomized() ? ", u of a row keyed by its id" : "");
            out.add(new AuditResult.ConformalResult(fitted.ids()[i], description, cp, sums[i].evaluation(level), List.of()));
        }
        return out;
    }

    /** Fresh sums, one per fitted score. */
    static ConformalEvaluation.Counts[] fresh(Fitted fitted) {
        ConformalEvaluation.Counts[] s = new ConformalEvaluation.Counts[fitted.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new ConformalEvaluation.Counts(fitted.k());
        }
        return s;
    }
}
