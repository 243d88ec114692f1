package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Logits;

/**
 * What vector, matrix and Dirichlet scaling share: an L-BFGS fit of a linear map on logits or
 * log-probabilities ({@link LinearFit}); the subclasses only choose the input, the shape of W and
 * the default penalties.
 */
public abstract sealed class LinearCalibrator extends CheckedCalibrator<LinearMap>
        permits VectorScaling, MatrixScaling, DirichletCalibration {
    private final LinearFit fit;

    LinearCalibrator(String method, LinearFit fit) {
        super(method);
        this.fit = fit;
    }

    /** The off-diagonal L2 penalty. */
    public double lambda() { return fit.lambda(); }

    /** The intercept L2 penalty. */
    public double mu() { return fit.mu(); }

    @Override
    LinearMap fitChecked(Logits logits, int[] labels) {
        return fit.fit(logits, labels);
    }
}
