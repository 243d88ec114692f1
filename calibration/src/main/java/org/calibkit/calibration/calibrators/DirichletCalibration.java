package org.calibkit.calibration.calibrators;

/**
 * Dirichlet calibration with ODIR regularisation (Kull et al. 2019, "Beyond temperature scaling: obtaining well-calibrated multi-class probabilities with Dirichlet calibration", NeurIPS): a full K x K matrix W and a bias on the log-probabilities {@code log softmax(z)}, {@code softmax(W log p + b)}, off-diagonal entries of W penalised by lambda and the bias by mu. Defaults lambda = mu = 1e-3 (the paper tunes both by cross-validation).
 *
 * <p>Fit: minimise the mean NLL plus {@code lambda / (K (K - 1)) * sum of squared off-diagonal
 * entries of W + mu / K * sum of squared biases} with L-BFGS from the identity (W = I, b = 0),
 * until the largest gradient entry is at most {@code tolerance} (default 1e-6, 2000 iterations);
 * a fit that stops short throws {@link IllegalStateException} unless {@code strict} is false.
 */
public final class DirichletCalibration extends LinearCalibrator {
    static final String METHOD = "dirichlet";
    /** Default off-diagonal penalty. */
    public static final double DEFAULT_LAMBDA = 1e-3;
    /** Default intercept penalty. */
    public static final double DEFAULT_MU = 1e-3;

    /** With the default hyper-parameters. */
    public DirichletCalibration() {
        this(DEFAULT_LAMBDA, DEFAULT_MU, 1e-6, 2000, true);
    }

    /**
     * @param lambda        off-diagonal L2 penalty, &gt;= 0 (ignored by vector scaling, whose W is diagonal)
     * @param mu            intercept L2 penalty, &gt;= 0
     * @param tolerance     stop when the largest absolute gradient entry is at most this
     * @param maxIterations L-BFGS iteration budget
     * @param strict        throw when the budget runs out before the tolerance is met
     */
    public DirichletCalibration(double lambda, double mu, double tolerance, int maxIterations, boolean strict) {
        super(METHOD, new LinearFit(METHOD, LinearMap.Input.LOG_PROBABILITIES, false, lambda, mu, tolerance, maxIterations, strict));
    }
}
