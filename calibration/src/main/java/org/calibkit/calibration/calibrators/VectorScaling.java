package org.calibkit.calibration.calibrators;

/**
 * Vector scaling (Guo et al. 2017; Kull et al. 2019): a diagonal W and a bias on the logits, calibrated probabilities {@code softmax(w * z + b)}. Defaults: no penalty (mu = 0; the bias is reported with mean zero, which softmax cannot tell apart).
 *
 * <p>Fit: minimise the mean NLL plus {@code lambda / (K (K - 1)) * sum of squared off-diagonal
 * entries of W + mu / K * sum of squared biases} with L-BFGS from the identity (W = I, b = 0),
 * until the largest gradient entry is at most {@code tolerance} (default 1e-6, 2000 iterations);
 * a fit that stops short throws {@link IllegalStateException} unless {@code strict} is false.
 */
public final class VectorScaling extends LinearCalibrator {
    static final String METHOD = "vector";
    /** Default off-diagonal penalty. */
    public static final double DEFAULT_LAMBDA = 0;
    /** Default intercept penalty. */
    public static final double DEFAULT_MU = 0;

    /** With the default hyper-parameters. */
    public VectorScaling() {
        this(DEFAULT_LAMBDA, DEFAULT_MU, 1e-6, 2000, true);
    }

    /**
     * @param lambda        off-diagonal L2 penalty, &gt;= 0 (ignored by vector scaling, whose W is diagonal)
     * @param mu            intercept L2 penalty, &gt;= 0
     * @param tolerance     stop when the largest absolute gradient entry is at most this
     * @param maxIterations L-BFGS iteration budget
     * @param strict        throw when the budget runs out before the tolerance is met
     */
    public VectorScaling(double lambda, double mu, double tolerance, int maxIterations, boolean strict) {
        super(METHOD, new LinearFit(METHOD, LinearMap.Input.LOGITS, true, lambda, mu, tolerance, maxIterations, strict));
    }
}
