package org.calibkit.calibration.stats;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import java.util.SplittableRandom;
import org.apache.commons.math3.util.KthSelector;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.RowChunks;

/**
 * Split conformal classification (Vovk, Gammerman and Shafer 2005; Papadopoulos et al. 2002;
 * the tutorial of Angelopoulos and Bates 2023) as pure functions.
 *
 * <p><b>Fit.</b> On n labelled calibration rows, compute each row's score {@code s_i} of its true
 * label (see {@link ConformalScore}) and take as threshold q the
 * {@code ceil((n+1)(1-alpha))}-th smallest score, i.e. the empirical quantile at level
 * {@code ceil((n+1)(1-alpha))/n} with no interpolation ("higher"). When that rank exceeds n, q is
 * +infinity.
 *
 * <p><b>Predict.</b> The set of a new row is {@code {y : s(x, y, u) <= q}}; for APS and RAPS
 * the score grows with the rank of y, so the set is the top classes in rank order. If
 * calibration and test rows are exchangeable, the set contains the true label with probability
 * at least {@code 1 - alpha}, and at most {@code 1 - alpha + 1/(n+1)} when scores have no ties
 * (randomised APS/RAPS, LAC with continuous probabilities). The guarantee is marginal: over the
 * draw of calibration and test data, not per class or per set size, and a single test set may
 * fall below {@code 1 - alpha}.
 *
 * <p><b>Empty sets.</b> Because the set is exactly the labels with score at most q, LAC, and
 * randomised APS/RAPS, can return an empty set (a row on which every label looks unlikely); the
 * coverage guarantee holds with them. Angelopoulos et al.'s code offers to force the top class
 * in ("allow_zero_sets=False"), which only raises coverage; it is not done here.
 *
 * <p><b>Randomisation.</b> One u per row, uniform in [0, 1), drawn in row order from
 * {@code new SplittableRandom(seed)}; calibration and prediction take separate seeds. The same
 * arithmetic gives the score of a calibration row and the set of a test row, so a label is in
 * the set exactly when its score, computed as in calibration, is at most q.
 */
public final class Conformal {
    /** Guard against (n+1)(1-alpha) landing a rounding error above an integer. */
    private static final double RANK_EPSILON = 1e-9;

    private Conformal() {
    }

    /**
     * Fits the threshold on calibration rows.
     *
     * @param alpha miscoverage level in (0, 1), e.g. 0.1 for sets that contain the label 90% of the time
     * @param seed  seed of the per-row u of randomised scores (ignored otherwise)
     * @throws IllegalArgumentException for bad labels (naming the row) or alpha outside (0, 1)
     */
    public static ConformalPredictor fit(ConformalScore score, Probabilities calibration, int[] labels,
                                         double alpha, long seed) {
        Objects.requireNonNull(score, "score");
        Args.level("alpha", alpha);
        // as quantile(s, rank), but the scores are ours: selected in place, no copy
        return fitScores(score, scores(score, calibration, labels, seed), alpha, calibration.k());
    }

    /**
     * Fits the threshold on calibration scores already computed ({@link #scores}): what
     * {@link #fit} does after computing them, for scores gathered elsewhere (a prediction log's
     * partitions). The array is reordered.
     *
     * @param numClasses K, as the predictor's sets need it
     */
    public static ConformalPredictor fitScores(ConformalScore score, double[] scores, double alpha, int numClasses) {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(scores, "scores");
        Args.level("alpha", alpha);
        int n = scores.length;
        int rank = rank(n, alpha);
        Checks.positive("rank", rank);
        double q = rank > n ? Double.POSITIVE_INFINITY : select(scores, rank);
        return new ConformalPredictor(score, alpha, q, rank, n, numClasses);
    }

    /**
     * How unlikely the test coverage is under exchangeability: the probability that calibration
     * and test rows drawn exchangeably give at most {@code covered} of the test rows inside
     * their sets. Given the calibration rows, the coverage of a fresh row is Beta(rank, n + 1 -
     * rank) distributed for scores without ties (Vovk 2012, "Conditional validity of inductive
     * conformal predictors"; Angelopoulos and Bates 2023, section 3.2), so the test count is
     * beta-binomial; with ties coverage is only higher, and the probability an upper bound. This,
     * not the test rows' binomial interval alone, says whether a coverage below 1 - alpha is more
     * than the calibration set's own randomness: with 20,000 calibration rows that alone moves
     * the coverage by about 0.002 (one standard deviation), more than a million test rows'
     * interval is wide. 1 when the threshold is infinite (every set holds every class).
     */
    public static double coveragePValue(ConformalPredictor predictor, ConformalEvaluation test) {
        Objects.requireNonNull(predictor, "predictor");
        Objects.requireNonNull(test, "test");
        if (predictor.rank() > predictor.n()) {
            return 1;
        }
        return betaBinomialCdf(test.covered(), test.n(), predictor.rank(), predictor.n() + 1.0 - predictor.rank());
    }

    /** P(X <= x) for X beta-binomial with m trials and shapes a, b > 0. */
    static double betaBinomialCdf(long x, long m, double a, double b) {
        if (x < 0) {
            return 0;
        }
        if (x >= m) {
            return 1;
        }
        // the tail away from the mean, summed from its largest term outwards (terms only shrink)
        if (x < m * a / (a + b)) {
            return Math.min(1, tail(x, m, a, b, -1));
        }
        return Math.max(0, 1 - tail(x + 1, m, a, b, +1));
    }

    /** The sum of pmf(j) for j from {@code from} down to 0 (step -1) or up to m (step +1). */
    private static double tail(long from, long m, double a, double b, int step) {
        double logPmf = Gamma.logGamma(m + 1.0) - Gamma.logGamma(from + 1.0) - Gamma.logGamma(m - from + 1.0)
                + Beta.logBeta(from + a, m - from + b) - Beta.logBeta(a, b);
        double sum = 0;
        double term = 1;   // pmf(j) / pmf(from)
        for (long j = from; j >= 0 && j <= m; j += step) {
            sum += term;
            term *= step < 0 ? (double) j / (m - j + 1) * (m - j + b) / (j - 1 + a)   // pmf(j - 1) / pmf(j)
                    : (double) (m - j) / (j + 1) * (j + a) / (m - j - 1 + b);          // pmf(j + 1) / pmf(j)
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.exp(logPmf) * sum;
    }

    /** {@code ceil((n+1)(1-alpha))}, the rank of the calibration score used as threshold. */
    public static int rank(int n, double alpha) {
        Checks.positive("n", n);
        Args.level("alpha", alpha);
        return (int) Math.ceil((n + 1) * (1 - alpha) - RANK_EPSILON);
    }

    /** The rank-th smallest of the scores (1-based), or +infinity when rank exceeds their number. */
    public static double quantile(double[] scores, int rank) {
        Objects.requireNonNull(scores, "scores");
        Checks.positive("rank", rank);
        if (rank > scores.length) {
            return Double.POSITIVE_INFINITY;
        }
        // selection (Commons Math's quickselect, O(n)) instead of a sort: the rank-th smallest
        // value is one number whatever the order of ties, so it equals the sorted copy's
        return select(scores.clone(), rank);
    }

    /** The rank-th smallest (1-based, at most the length) of {@code work}, which it reorders. */
    private static double select(double[] work, int rank) {
        return new KthSelector().select(work, null, rank - 1);
    }

    /**
     * Each row's score of its label.
     *
     * @param seed seed of the per-row u of randomised scores (ignored otherwise)
     */
    public static double[] scores(ConformalScore score, Probabilities p, int[] labels, long seed) {
        return scores(score, p, labels, draws(score, p.n(), seed));
    }

    /**
     * Each row's score of its label, with the given u of each row (one per row, in [0, 1); null
     * for a score that is not randomised): rows whose u is a function of something other than
     * their position, such as a log row's id.
     */
    public static double[] scores(ConformalScore score, Probabilities p, int[] labels, double[] u) {
        Objects.requireNonNull(score, "score");
        uniforms(score, u, p.n());
        Checks.labelled("probabilities", p, labels);
        int n = p.n();
        int k = p.k();
        double[] v = p.raw();
        double[] out = new double[n];
        if (score.kind() == ConformalScore.Kind.LAC) {
            for (int i = 0; i < n; i++) {
                out[i] = 1 - v[i * k + labels[i]];
            }
            return out;
        }
        forEachRanked(v, n, k, u, (i, ui, order) -> {
            double cum = 0;
            for (int r = 0; r < k; r++) {
                int j = order[r];
                double pj = v[i * k + j];
                if (j == labels[i]) {
                    out[i] = cum + ui * pj + penalty(score, r);
                    break;
                }
                cum += pj;
            }
        });
        return out;
    }

    private interface RankedRow {
        void at(int row, double u, int[] order);
    }

    /** The u of each row for a randomised score, drawn in row order from {@code seed}; null otherwise. */
    private static double[] draws(ConformalScore score, int n, long seed) {
        if (!score.randomized()) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] draws = new double[n];
        for (int i = 0; i < n; i++) {
            draws[i] = rng.nextDouble();
        }
        return draws;
    }

    /** Checks given u: one per row in [0, 1) for a randomised score, none otherwise. */
    private static void uniforms(ConformalScore score, double[] u, int n) {
        if (!score.randomized()) {
            if (u != null) {
                throw new IllegalArgumentException("the " + score.kind() + " score is not randomised, but got u");
            }
            return;
        }
        Objects.requireNonNull(u, "u of a randomised score");
        if (u.length != n) {
            throw new IllegalArgumentException("Expected one u per row (" + n + "), but got " + u.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(u[i] >= 0 && u[i] < 1)) {
                throw new IllegalArgumentException("Expected u in [0, 1), but row " + i + " has " + u[i]);
            }
        }
    }

    /**
     * For each row i of the n x k values: its u (1 when {@code u} is null) and its classes ranked
     * by {@link #rank} (the array is reused between rows).
     */
    private static void forEachRanked(double[] v, int n, int k, double[] u, RankedRow row) {
        // the u are given per row (drawn first, in row order, for a seed), so they are the same
        // whatever the chunking; the rows go in chunks, in parallel for large inputs (each row
        // writes only its own score, set and size, so the results do not depend on the threads)
        RowChunks.forEach(n, RowChunks.rowsPerChunk(k), (from, to) -> {
            int[] order = new int[k];
            for (int i = from; i < to; i++) {
                rank(v, i * k, k, order);
                row.at(i, u == null ? 1.0 : u[i], order);
            }
        });
    }

    static PredictionSets predict(ConformalPredictor model, Probabilities p, long seed) {
        Objects.requireNonNull(p, "probabilities");
        return predict(model, p, draws(model.score(), p.n(), seed));
    }

    static PredictionSets predict(ConformalPredictor model, Probabilities p, double[] u) {
        Objects.requireNonNull(p, "probabilities");
        uniforms(model.score(), u, p.n());
        if (p.k() != model.numClasses()) {
            throw new IllegalArgumentException("Expected probabilities with " + model.numClasses()
                    + " classes (as calibrated), but got " + p.k());
        }
        ConformalScore score = model.score();
        double q = model.threshold();
        int n = p.n();
        int k = p.k();
        double[] v = p.raw();
        boolean[] member = new boolean[n * k];
        int[] sizes = new int[n];
        if (score.kind() == ConformalScore.Kind.LAC) {
            for (int i = 0; i < n * k; i++) {
                if (1 - v[i] <= q) {
                    member[i] = true;
                    sizes[i / k]++;
                }
            }
            return new PredictionSets(member, sizes, k);
        }
        forEachRanked(v, n, k, u, (i, ui, order) -> {
            double cum = 0;
            int size = 0;
            for (int r = 0; r < k; r++) {
                int j = order[r];
                double pj = v[i * k + j];
                if (cum + ui * pj + penalty(score, r) > q) {
                    break;   // scores grow with rank: no later class can enter
                }
                member[i * k + j] = true;
                size++;
                cum += pj;
            }
            sizes[i] = size;
        });
        return new PredictionSets(member, sizes, k);
    }

    /** RAPS penalty of the class at 0-based rank r: {@code lambda max(0, (r + 1) - kReg)}. */
    private static double penalty(ConformalScore score, int r) {
        if (score.kind() != ConformalScore.Kind.RAPS) {
            return 0;
        }
        int over = r + 1 - score.kReg();
        return over > 0 ? score.lambda() * over : 0;
    }

    /** Fills order with the classes of one row by decreasing probability, lower index first on ties. */
    private static void rank(double[] v, int off, int k, int[] order) {
        if (k <= 64) {
            // insertion sort: stable, so equal probabilities keep increasing class order
            for (int j = 0; j < k; j++) {
                double pj = v[off + j];
                int r = j;
                while (r > 0 && v[off + order[r - 1]] < pj) {
                    order[r] = order[r - 1];
                    r--;
                }
                order[r] = j;
            }
            return;
        }
        Integer[] boxed = new Integer[k];
        for (int j = 0; j < k; j++) {
            boxed[j] = j;
        }
        Arrays.sort(boxed, (a, b) -> {
            int c = Double.compare(v[off + b], v[off + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int j = 0; j < k; j++) {
            order[j] = boxed[j];
        }
    }
}
