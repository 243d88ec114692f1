package org.calibkit.spark;

import java.util.function.Function;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.calibrators.LinearMap;
import org.calibkit.calibration.calibrators.MatrixScaling;
import org.calibkit.calibration.calibrators.VectorScaling;

/**
 * Vector and matrix scaling (Guo, Pleiss, Sun and Weinberger 2017; the ODIR penalty of Kull et al.
 * 2019) fitted by passes over distributed data: each Newton iteration is one pass
 * ({@code pass.apply(theta)}) summing {@link LinearScalingMoments} (NLL, gradient and Hessian)
 * over partitions, then a step on the driver. The objective is calibration's
 * ({@link VectorScaling}, {@link MatrixScaling}): the mean NLL of {@code softmax(W z + b)} plus
 * {@code lambda / (K (K - 1))} times the squared off-diagonal entries of W and {@code mu / K}
 * times the squared biases, both taken on the representative of (W, b) that softmax cannot tell
 * apart from it with the smallest penalty. It is convex and flat along those representatives
 * (b plus a constant; for a full W, a vector added to every row), so the Hessian is singular and
 * the step is the minimum-norm Newton step (the pseudo-inverse, from its eigen-decomposition),
 * which never moves along the flat directions; a backtracking line search keeps each step
 * downhill. It stops when the largest gradient entry is at most the tolerance.
 *
 * <p>The optimum is the one calibration's L-BFGS fit reaches, to the tolerance of either fit;
 * the two differ in the path (Newton needs a handful of passes, L-BFGS hundreds of gradient
 * evaluations, which on a cluster would each be a pass).
 */
public final class DistributedLinearScaling {
    /** Default tolerance on the largest gradient entry. */
    public static final double DEFAULT_TOLERANCE = 1e-9;
    /** Default Newton iteration budget. */
    public static final int DEFAULT_ITERATIONS = 100;

    private DistributedLinearScaling() {
    }

    /**
     * The fitted map.
     *
     * @param k            classes
     * @param diagonal     vector scaling (a diagonal W)
     * @param weights      W, k x k row-major (zeros off the diagonal for vector scaling)
     * @param bias         b; mean zero when the intercept penalty is zero (softmax cannot tell)
     * @param nllBefore    mean NLL at the identity
     * @param nllAfter     mean NLL at the fitted parameters (without the penalty)
     * @param passes       passes over the data, the first (at the identity) included
     * @param converged    the largest gradient entry met the tolerance
     * @param gradientNorm the largest gradient entry of the penalised objective at the end
     */
    public record Fit(int k, boolean diagonal, double[] weights, double[] bias, double nllBefore, double nllAfter,
                      int passes, boolean converged, double gradientNorm) {
        /** {@code W z + b} for one row of logits. */
        public double[] calibratedLogits(double[] z) {
            double[] u = new double[k];
            for (int r = 0; r < k; r++) {
                double v = bias[r];
                for (int c = 0; c < k; c++) {
                    v += weights[r * k + c] * z[c];
                }
                u[r] = v;
            }
            return u;
        }
    }

    /** The penalised objective at one point: value, gradient, Hessian. */
    private record Point(double[] theta, LinearScalingMoments m, double f, double[] g, double[] h) {
        double gradientNorm() {
            double x = 0;
            for (double v : g) {
                x = Math.max(x, Math.abs(v));
            }
            return x;
        }
    }

    /**
     * Fits on the rows of a prediction log (probabilities are read as their logarithms, as
     * {@link OutputKind#toLogits} does on one machine).
     *
     * @param diagonal vector scaling when true, matrix scaling otherwise
     * @param lambda   off-diagonal penalty (ignored for vector scaling), &gt;= 0
     * @param mu       intercept penalty, &gt;= 0
     */
    public static Fit fit(PredictionLog log, boolean diagonal, double lambda, double mu) {
        int k = log.numClasses();
        OutputKind kind = log.schema().kind();
        return fit(theta -> {
            LinearScalingMoments all = new LinearScalingMoments(k, diagonal, theta);
            log.fold(new MomentsFold(k, diagonal, theta, kind), LinearScalingMoments.class).forEach(all::merge);
            return all;
        }, k, diagonal, lambda, mu, DEFAULT_TOLERANCE, DEFAULT_ITERATIONS);
    }

    /** The per-partition sums at one parameter point (serializable: shipped to the executors). */
    private record MomentsFold(int k, boolean diagonal, double[] theta, OutputKind kind)
            implements PredictionLog.Fold<LinearScalingMoments> {
        @Override
        public LinearScalingMoments empty() {
            return new LinearScalingMoments(k, diagonal, theta);
        }

        @Override
        public void add(LinearScalingMoments state, long id, double[] outputs, int label) {
            state.add(kind.toLogits(outputs, 1, k).raw(), label);
        }
    }

    /**
     * Fits from passes: {@code pass.apply(theta)} returns the moments summed over all rows at theta.
     *
     * @throws PredictionLogException when there are no rows
     */
    public static Fit fit(Function<double[], LinearScalingMoments> pass, int k, boolean diagonal, double lambda,
                          double mu, double tolerance, int maxIterations) {
        if (!(lambda >= 0) || !(mu >= 0) || Double.isInfinite(lambda) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("Expected finite penalties >= 0, but got lambda " + lambda + ", mu " + mu);
        }
        double[] theta = new double[LinearScalingMoments.parameters(k, diagonal)];
        for (int r = 0; r < k; r++) {
            theta[LinearScalingMoments.w(k, diagonal, r, r)] = 1;
        }
        Point x = evaluate(pass, theta, k, diagonal, lambda, mu);
        if (x.m().n() == 0) {
            throw new PredictionLogException("the prediction log holds no rows");
        }
        double nllBefore = x.m().nll();
        int passes = 1;
        boolean converged = x.gradientNorm() <= tolerance;
        for (int it = 0; it < maxIterations && !converged; it++) {
            double[] step = newtonStep(x.h(), x.g());
            double slope = 0;
            for (int i = 0; i < step.length; i++) {
                slope += x.g()[i] * step[i];
            }
            Point next = null;
            for (double t = 1; t >= 1e-10; t /= 2) {
                double[] trial = x.theta().clone();
                for (int i = 0; i < trial.length; i++) {
                    trial[i] += t * step[i];
                }
                Point y = evaluate(pass, trial, k, diagonal, lambda, mu);
                passes++;
                // Armijo; near the optimum the values agree to rounding, and a smaller gradient decides
                boolean armijo = y.f() <= x.f() + 1e-4 * t * slope;
                boolean flat = y.f() <= x.f() + 1e-13 * Math.abs(x.f()) && y.gradientNorm() < x.gradientNorm();
                if (armijo || flat) {
                    next = y;
                    break;
                }
            }
            if (next == null) {
                break; // no downhill step left: not converged, said by the flag
            }
            x = next;
            converged = x.gradientNorm() <= tolerance;
        }
        double[] th = x.theta();
        double[] w = new double[k * k];
        double[] b = new double[k];
        for (int r = 0; r < k; r++) {
            b[r] = th[LinearScalingMoments.b(k, diagonal, r)];
            for (int c = 0; c < k; c++) {
                if (!diagonal || c == r) {
                    w[r * k + c] = th[LinearScalingMoments.w(k, diagonal, r, c)];
                }
            }
        }
        // the representative calibration reports: b with mean zero (softmax cannot tell; with mu > 0 it is
        // also the one the penalty is taken on), and with lambda > 0 the columns of W shifted likewise
        centre(w, b, k, diagonal, lambda);
        return new Fit(k, diagonal, w, b, nllBefore, x.m().nll(), passes, converged, x.gradientNorm());
    }

    private static void centre(double[] w, double[] b, int k, boolean diagonal, double lambda) {
        LinearMap.centreBias(b);
        if (!diagonal && lambda > 0 && k > 1) {
            LinearMap.centreColumns(w, k);
        }
    }

    private static double offDiagonalMean(double[] w, int k, int c) {
        double m = 0;
        for (int r = 0; r < k; r++) {
            if (r != c) {
                m += w[r * k + c] / (k - 1);
            }
        }
        return m;
    }

    /** The mean NLL plus the penalty at theta, with its gradient and Hessian (one pass). */
    private static Point evaluate(Function<double[], LinearScalingMoments> pass, double[] theta, int k, boolean diagonal,
                                  double lambda, double mu) {
        LinearScalingMoments m = pass.apply(theta);
        int p = theta.length;
        double n = Math.max(1, m.n());
        double f = m.sumNll / n;
        double[] g = new double[p];
        double[] h = new double[p * p];
        for (int i = 0; i < p; i++) {
            g[i] = m.grad[i] / n;
        }
        for (int i = 0; i < p * p; i++) {
            h[i] = m.hess[i] / n;
        }
        if (mu > 0) { // mu / K * sum (b_r - mean b)^2
            double cm = mu / k;
            double mean = 0;
            for (int r = 0; r < k; r++) {
                mean += theta[LinearScalingMoments.b(k, diagonal, r)] / k;
            }
            for (int r = 0; r < k; r++) {
                int i = LinearScalingMoments.b(k, diagonal, r);
                double d = theta[i] - mean;
                f += cm * d * d;
                g[i] += 2 * cm * d;
                for (int s = 0; s < k; s++) {
                    h[i * p + LinearScalingMoments.b(k, diagonal, s)] += 2 * cm * ((r == s ? 1 : 0) - 1.0 / k);
                }
            }
        }
        if (!diagonal && lambda > 0 && k > 1) { // lambda / (K (K - 1)) * sum over r != c of (W_rc - column mean)^2
            double cl = lambda / (k * (k - 1.0));
            for (int c = 0; c < k; c++) {
                double mean = offDiagonalMean(theta, k, c);
                for (int r = 0; r < k; r++) {
                    if (r == c) {
                        continue;
                    }
                    int i = r * k + c;
                    double d = theta[i] - mean;
                    f += cl * d * d;
                    g[i] += 2 * cl * d;
                    for (int s = 0; s < k; s++) {
                        if (s != c) {
                            h[i * p + s * k + c] += 2 * cl * ((r == s ? 1 : 0) - 1.0 / (k - 1));
                        }
                    }
                }
            }
        }
        return new Point(theta, m, f, g, h);
    }

    /** The minimum-norm solution of {@code H step = -g}: eigenvalues below 1e-12 of the largest count as zero. */
    private static double[] newtonStep(double[] h, double[] g) {
        int p = g.length;
        double[][] a = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                a[i][j] = (h[i * p + j] + h[j * p + i]) / 2; // exact sums are symmetric; rounding is not
            }
        }
        EigenDecomposition e = new EigenDecomposition(MatrixUtils.createRealMatrix(a));
        double[] ev = e.getRealEigenvalues();
        double top = 0;
        for (double v : ev) {
            top = Math.max(top, Math.abs(v));
        }
        RealMatrix vm = e.getV();
        double[] step = new double[p];
        for (int j = 0; j < p; j++) {
            if (!(ev[j] > 1e-12 * top)) {
                continue;
            }
            double proj = 0;
            for (int i = 0; i < p; i++) {
                proj += vm.getEntry(i, j) * g[i];
            }
            double coef = -proj / ev[j];
            for (int i = 0; i < p; i++) {
                step[i] += coef * vm.getEntry(i, j);
            }
        }
        return step;
    }
}
