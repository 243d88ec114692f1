package org.calibkit.calibration.calibrators;

import java.util.Objects;
import java.util.stream.IntStream;
import org.calibkit.calibration.Checks;
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
    private static final int CHUNK_ROWS = 1024;

    private final String method;
    private final LinearMap.Input input;
    private final boolean diagonal;
    private final double lambda;
    private final double mu;
    private final double tolerance;
    private final int maxIterations;
    private final boolean strict;

    LinearFit(String method, LinearMap.Input input, boolean diagonal, double lambda, double mu,
              double tolerance, int maxIterations, boolean strict) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Expected lambda to be a finite number >= 0, but got " + lambda);
        }
        if (!(mu >= 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("Expected mu to be a finite number >= 0, but got " + mu);
        }
        Checks.positive("tolerance", tolerance);
        Checks.positive("maxIterations", maxIterations);
        this.method = method;
        this.input = input;
        this.diagonal = diagonal;
        this.lambda = lambda;
        this.mu = mu;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.strict = strict;
    }

    double lambda() { return lambda; }
    double mu() { return mu; }
    double tolerance() { return tolerance; }
    int maxIterations() { return maxIterations; }
    boolean strict() { return strict; }

    LinearMap fit(Logits logits, int[] labels) {
        Objects.requireNonNull(logits, "logits");
        Checks.labels("labels", labels, logits.n(), logits.k());
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
        Objective nllPart = new Objective(x, labels, n, k, diagonal);
        Standardised obj = new Standardised(nllPart, k, diagonal, m, sd, lambda, mu);
        double[] identityW = new double[k * k];
        for (int j = 0; j < k; j++) {
            identityW[j * k + j] = 1;
        }
        double[] start = obj.toTheta(identityW, new double[k]);
        double nllBefore = nllPart.nll(start);
        Lbfgs.Result r = new Lbfgs(10, maxIterations, tolerance).minimize(obj, start);
        if (!r.converged && strict) {
            throw new IllegalStateException(method + " calibration did not converge: after " + r.iterations
                    + " L-BFGS iterations the largest gradient entry is " + r.gradientNorm + " > tolerance "
                    + tolerance + " (objective " + r.value + "; raise maxIterations, the tolerance or the"
                    + " regularisation)");
        }
        double[] w = new double[k * k];
        double[] b = new double[k];
        obj.fromTheta(r.x, w, b);
        obj.centre(w, b);
        if (mu == 0) {
            // softmax is unchanged by adding a constant to b: report the mean-zero representative
            double mean = 0;
            for (double v : b) {
                mean += v / k;
            }
            for (int j = 0; j < k; j++) {
                b[j] -= mean;
            }
        }
        return new LinearMap(method, input, k, w, b, lambda, mu, nllBefore, nllPart.nll(obj.toTheta(w, b)),
                r.iterations, r.converged, r.gradientNorm);
    }

    /**
     * The penalised objective in standardised coordinates theta = (W', b') with
     * W = W' diag(1/s), b = b' - W m; the NLL is computed on the standardised inputs, the ODIR
     * penalty on the original W and b, and its gradient is carried over by the chain rule.
     */
    static final class Standardised implements Lbfgs.Function {
        private final Objective nll;
        private final int k;
        private final boolean diagonal;
        private final double[] m;
        private final double[] s;
        private final double lambda;
        private final double mu;
        private final double[] w;
        private final double[] b;

        Standardised(Objective nll, int k, boolean diagonal, double[] m, double[] s, double lambda, double mu) {
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
            java.util.Arrays.fill(wOut, 0);
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
                double mean = 0;
                for (double v : bv) {
                    mean += v / k;
                }
                for (int r = 0; r < k; r++) {
                    bv[r] -= mean;
                }
            }
            if (!diagonal && lambda > 0 && k > 1) {
                for (int c = 0; c < k; c++) {
                    double mean = 0;
                    for (int r = 0; r < k; r++) {
                        if (r != c) {
                            mean += wv[r * k + c] / (k - 1);
                        }
                    }
                    for (int r = 0; r < k; r++) {
                        wv[r * k + c] -= mean;   // the whole column, diagonal included: softmax unchanged
                    }
                }
            }
        }
    }

    /** Mean NLL of softmax(W x + b) and its gradient. Parameters: W (k*k, or its k diagonal entries), then b. */
    static final class Objective implements Lbfgs.Function {
        private final double[] x;
        private final int[] y;
        private final int n;
        private final int k;
        private final boolean diagonal;
        private final int chunks;
        private final double[][] chunkGrad;
        private final double[] chunkNll;

        Objective(double[] x, int[] y, int n, int k, boolean diagonal) {
            this.x = x;
            this.y = y;
            this.n = n;
            this.k = k;
            this.diagonal = diagonal;
            this.chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
            this.chunkGrad = new double[chunks][dimension()];
            this.chunkNll = new double[chunks];
        }

        int dimension() {
            return (diagonal ? k : k * k) + k;
        }

        double[] identity() {
            double[] p = new double[dimension()];
            for (int j = 0; j < k; j++) {
                p[diagonal ? j : j * k + j] = 1;
            }
            return p;
        }

        void unpack(double[] p, double[] w, double[] b) {
            if (diagonal) {
                for (int j = 0; j < k; j++) {
                    w[j * k + j] = p[j];
                }
            } else {
                System.arraycopy(p, 0, w, 0, k * k);
            }
            System.arraycopy(p, dimension() - k, b, 0, k);
        }

        /** Unpenalised mean NLL at p. */
        double nll(double[] p) {
            double[] g = new double[dimension()];
            sumChunks(p, g);
            double s = 0;
            for (double v : chunkNll) {
                s += v;
            }
            return s / n;
        }

        @Override
        public double valueAndGradient(double[] p, double[] grad) {
            sumChunks(p, grad);
            double s = 0;
            for (double v : chunkNll) {
                s += v;
            }
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= n;
            }
            return s / n;
        }

        /** Sum over rows of the NLL (into chunkNll) and its gradient (into grad), chunk-parallel. */
        private void sumChunks(double[] p, double[] grad) {
            if (chunks == 1) {
                chunk(0, p);
            } else {
                IntStream.range(0, chunks).parallel().forEach(c -> chunk(c, p));
            }
            java.util.Arrays.fill(grad, 0);
            for (int c = 0; c < chunks; c++) {
                double[] cg = chunkGrad[c];
                for (int i = 0; i < grad.length; i++) {
                    grad[i] += cg[i];
                }
            }
        }

        private void chunk(int c, double[] p) {
            int from = c * CHUNK_ROWS;
            int to = Math.min(n, from + CHUNK_ROWS);
            double[] g = chunkGrad[c];
            java.util.Arrays.fill(g, 0);
            double[] s = new double[k];
            int bOff = dimension() - k;
            double nll = 0;
            for (int i = from; i < to; i++) {
                int off = i * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < k; r++) {
                    double v = p[bOff + r];
                    if (diagonal) {
                        v += p[r] * x[off + r];
                    } else {
                        int wr = r * k;
                        for (int q = 0; q < k; q++) {
                            v += p[wr + q] * x[off + q];
                        }
                    }
                    s[r] = v;
                    if (v > max) {
                        max = v;
                    }
                }
                double sum = 0;
                for (int r = 0; r < k; r++) {
                    s[r] = Math.exp(s[r] - max);   // overwritten with unnormalised probabilities
                    sum += s[r];
                }
                int yi = y[i];
                // NLL = log(sum) + max - score_y = log(sum) - log(s_y) (s_y holds exp(score_y - max))
                double scoreYminusMax = Math.log(s[yi]);
                nll += Math.log(sum) - (Double.isInfinite(scoreYminusMax) ? sYFallback(p, i, max) : scoreYminusMax);
                double inv = 1.0 / sum;
                for (int r = 0; r < k; r++) {
                    double e = s[r] * inv - (r == yi ? 1 : 0);   // dNLL/dscore_r
                    if (e == 0) {
                        continue;
                    }
                    if (diagonal) {
                        g[r] += e * x[off + r];
                    } else {
                        int wr = r * k;
                        for (int q = 0; q < k; q++) {
                            g[wr + q] += e * x[off + q];
                        }
                    }
                    g[bOff + r] += e;
                }
            }
            chunkNll[c] = nll;
        }

        /** score_y - max recomputed directly when exp underflowed (keeps the NLL finite and exact). */
        private double sYFallback(double[] p, int i, double max) {
            int off = i * k;
            int r = y[i];
            int bOff = dimension() - k;
            double v = p[bOff + r];
            if (diagonal) {
                v += p[r] * x[off + r];
            } else {
                for (int q = 0; q < k; q++) {
                    v += p[r * k + q] * x[off + q];
                }
            }
            return v - max;
        }
    }
}
