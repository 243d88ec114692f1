package org.calibkit.calibration.stats;

import org.calibkit.calibration.Probabilities;

/**
 * A fitted split-conformal classifier: a score and the threshold q on it. The prediction set of
 * a row is every class whose score is at most q (see {@link Conformal}). Immutable.
 *
 * @param score       the non-conformity score
 * @param alpha       the miscoverage level the threshold was fitted for, e.g. 0.1
 * @param threshold   q, the {@code ceil((n+1)(1-alpha))}-th smallest calibration score;
 *                    +infinity when that rank exceeds n (too few calibration rows for alpha:
 *                    every set is then every class)
 * @param rank        {@code ceil((n+1)(1-alpha))}
 * @param n           number of calibration rows
 * @param numClasses  K
 */
public record ConformalPredictor(ConformalScore score, double alpha, double threshold, int rank, int n,
                                 int numClasses) {

    /**
     * Prediction sets for the rows of p; the randomised scores draw one u per row from a
     * {@code SplittableRandom(seed)} in row order.
     *
     * @throws IllegalArgumentException when p does not have {@link #numClasses()} columns
     */
    public PredictionSets predict(Probabilities p, long seed) {
        return Conformal.predict(this, p, seed);
    }

    /**
     * Prediction sets for the rows of p with the given u of each row (in [0, 1); null for a score
     * that is not randomised), as {@link Conformal#scores(ConformalScore, Probabilities, int[], double[])} takes them.
     */
    public PredictionSets predict(Probabilities p, double[] u) {
        return Conformal.predict(this, p, u);
    }

    /** Prediction sets with seed 0 (the seed matters only for randomised scores). */
    public PredictionSets predict(Probabilities p) {
        return predict(p, 0L);
    }
}
