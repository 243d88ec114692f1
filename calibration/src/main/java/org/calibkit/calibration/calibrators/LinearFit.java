package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Logits;

/**
 * The shared fit of vector scaling, matrix scaling and Dirichlet calibration: minimise
 * <pre>
 *   mean_i [ logsumexp(W x_i + b) - (W x_i + b)_{y_i} ]
 *     + lambda / (K (K - 1)) * sum_{r != c} W_rc^2 + mu / K * sum_r b_r^2
 * </pre>
 * (the ODIR penalty of Kull et al. 2019) with L-BFGS and analytic gradients, starting from the
 * identity W = I, b = 0. With a diagonal W (vector scaling) only the diagonal and b are free.
 */
final class LinearFit {
    private final String method;
    private final LinearMap.Input input;
    private final boolean diagonal;
    private final double lambda;
    private final double mu;
    private final StopRule stop;

    LinearFit(String method, LinearMap.Input input, boolean diagonal, double lambda, double mu,
              double tolerance, int maxIterations, boolean strict) {
        this.lambda = finiteNonNegative("lambda", lambda);
        this.mu = finiteNonNegative("mu", mu);
        this.stop = new StopRule(tolerance, maxIterations, strict);
        this.method = method;
        this.input = input;
        this.diagonal = diagonal;
    }

    private static double finiteNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Expected " + name + " to be a finite number >= 0, but got " + v);
        }
        return v;
    }

    double lambda() { return lambda; }
    double mu() { return mu; }

    /** The fit of logits and labels already checked to match (see {@link CheckedCalibrator}). */
    LinearMap fit(Logits logits, int[] labels) {
        int n = logits.n();
        int k = logits.k();
        double[] x = LinearMap.inputOf(input, logits);
        // Standardise each input column (x' = (x - m) / s): the same optimum in better-conditioned
        // coordinates (log-probabilities are far from zero-mean); the penalty stays on the original W, b.
        double[] m = new double[k];
        double[] sd = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                m[c] += x[i * k + c] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double dv = x[i * k + c] - m[c];
                sd[c] += dv * dv / n;
            }
        }
        for (int c = 0; c < k; c++) {
            sd[c] = Math.sqrt(sd[c]);
            if (!(sd[c] > 1e-12 * (1 + Math.abs(m[c])))) {
                sd[c] = 1;   // constant column: centre only
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                x[i * k + c] = (x[i * k + c] - m[c]) / sd[c];
            }
        }
        LinearObjective nllPart = new LinearObjective(x, labels, n, k, diagonal);
        StandardisedObjective obj = new StandardisedObjective(nllPart, k, diagonal, m, sd, lambda, mu);
        double[] identityW = new double[k * k];
        for (int j = 0; j < k; j++) {
            identityW[j * k + j] = 1;
        }
        double[] start = obj.toTheta(identityW, new double[k]);
        double nllBefore = nllPart.nll(start);
        Lbfgs.Result r = new Lbfgs(10, stop.maxIterations(), stop.tolerance()).minimize(obj, start);
        if (stop.mustThrow(r.converged)) {
            throw new IllegalStateException(method + " calibration did not converge: after " + r.iterations
                    + " L-BFGS iterations the largest gradient entry is " + r.gradientNorm + " > tolerance "
                    + stop.tolerance() + " (objective " + r.value + "; raise maxIterations, the tolerance or the"
                    + " regularisation)");
        }
        double[] w = new double[k * k];
        double[] b = new double[k];
        obj.fromTheta(r.x, w, b);
        obj.centre(w, b);
        if (mu == 0) {
            // softmax is unchanged by adding a constant to b: report the mean-zero representative
            LinearMap.centreBias(b);
        }
        return new LinearMap(method, input, k, w, b, lambda, mu, nllBefore, nllPart.nll(obj.toTheta(w, b)),
                r.iterations, r.converged, r.gradientNorm);
    }
}
