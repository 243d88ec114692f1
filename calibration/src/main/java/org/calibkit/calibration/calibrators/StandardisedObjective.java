package org.calibkit.calibration.calibrators;

import java.util.Arrays;

/**
 * The penalised objective in standardised coordinates theta = (W', b') with
 * W = W' diag(1/s), b = b' - W m; the NLL is computed on the standardised inputs, the ODIR
 * penalty on the original W and b, and its gradient is carried over by the chain rule.
 */
final class StandardisedObjective implements Lbfgs.Function {
    private final LinearObjective nll;
    private final int k;
    private final boolean diagonal;
    private final double[] m;
    private final double[] s;
    private final double lambda;
    private final double mu;
    private final double[] w;
    private final double[] b;

    StandardisedObjective(LinearObjective nll, int k, boolean diagonal, double[] m, double[] s, double lambda, double mu) {
        this.nll = nll;
        this.k = k;
        this.diagonal = diagonal;
        this.m = m;
        this.s = s;
        this.lambda = lambda;
        this.mu = mu;
        this.w = new double[k * k];
        this.b = new double[k];
    }

    double[] toTheta(double[] wOrig, double[] bOrig) {
        double[] theta = new double[nll.dimension()];
        int bOff = theta.length - k;
        for (int r = 0; r < k; r++) {
            double wm = 0;
            for (int c = 0; c < k; c++) {
                if (diagonal) {
                    if (c == r) {
                        theta[r] = wOrig[r * k + r] * s[r];
                    }
                } else {
                    theta[r * k + c] = wOrig[r * k + c] * s[c];
                }
                wm += wOrig[r * k + c] * m[c];
            }
            theta[bOff + r] = bOrig[r] + wm;
        }
        return theta;
    }

    void fromTheta(double[] theta, double[] wOut, double[] bOut) {
        int bOff = theta.length - k;
        Arrays.fill(wOut, 0);
        for (int r = 0; r < k; r++) {
            double wm = 0;
            for (int c = 0; c < k; c++) {
                double v = diagonal ? (c == r ? theta[r] / s[r] : 0) : theta[r * k + c] / s[c];
                wOut[r * k + c] = v;
                wm += v * m[c];
            }
            bOut[r] = theta[bOff + r] - wm;
        }
    }

    @Override
    public double valueAndGradient(double[] theta, double[] grad) {
        double f = nll.valueAndGradient(theta, grad);
        if (lambda == 0 && mu == 0) {
            return f;
        }
        fromTheta(theta, w, b);
        centre(w, b);      // the penalty of the best representative of (W, b)
        int bOff = theta.length - k;
        double cl = (!diagonal && k > 1) ? lambda / (k * (k - 1.0)) : 0;
        double cm = mu / k;
        for (int r = 0; r < k; r++) {
            double dB = 2 * cm * b[r];            // d(centred R)/db_r = 2 cm (b_r - mean b)
            f += cm * b[r] * b[r];
            grad[bOff + r] += dB;
            for (int c = 0; c < k; c++) {
                double dW = 0;                     // d(centred R)/dW_rc
                if (r != c && cl > 0) {
                    f += cl * w[r * k + c] * w[r * k + c];
                    dW = 2 * cl * w[r * k + c];
                }
                // dW_rc/dW'_rc = 1/s_c and db_r/dW'_rc = -m_c/s_c
                double dTheta = (dW - dB * m[c]) / s[c];
                if (diagonal) {
                    if (c == r) {
                        grad[r] += dTheta;
                    }
                } else {
                    grad[r * k + c] += dTheta;
                }
            }
        }
        return f;
    }

    /**
     * Moves (W, b) along the directions softmax cannot see (a constant added to b; for a full W,
     * a vector added to every row) to the representative with the smallest penalty: b minus its
     * mean, and each column of W minus the mean of its off-diagonal entries. Penalising this representative
     * makes the objective exactly flat along those directions, instead of nearly flat under a
     * small lambda or mu, which would leave the optimiser crawling at the rounding floor; its
     * minimum value equals that of the original ODIR objective.
     */
    void centre(double[] wv, double[] bv) {
        if (mu > 0) {
            LinearMap.centreBias(bv);
        }
        if (!diagonal && lambda > 0 && k > 1) {
            LinearMap.centreColumns(wv, k);
        }
    }
}
