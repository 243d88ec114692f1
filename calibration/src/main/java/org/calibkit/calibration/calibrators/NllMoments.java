package org.calibkit.calibration.calibrators;

/**
 * The mean negative log-likelihood of {@code softmax(beta * z)} over a data set and its first
 * three derivatives in {@code beta = 1/T}, as one pass over the data gives them: what
 * {@link TemperatureScaling#fit(java.util.function.DoubleFunction, int)} needs at each step. The
 * single-machine fit computes them from an array of logits; a distributed fit sums per-partition
 * moments (calibkit-spark's {@code TemperatureMoments}).
 */
public interface NllMoments {
    /** dNLL/dbeta at the beta of this pass. */
    double grad();

    /** d2NLL/dbeta2 (at least 0: the NLL is convex in beta). */
    double hess();

    /** d3NLL/dbeta3. */
    double third();

    /** The mean NLL at the beta of this pass. */
    double nll();

    /** True when every label is a maximum of its row: the NLL decreases for all beta. */
    boolean separable();

    /** The limit of dNLL/dbeta as beta goes to 0 (uniform probabilities); the same for every pass. */
    double gradientAtZero();
}
