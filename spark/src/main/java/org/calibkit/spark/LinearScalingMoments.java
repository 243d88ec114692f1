package org.calibkit.spark;

import java.io.Serializable;

/**
 * Mergeable per-partition sums for vector and matrix scaling (Guo et al. 2017) at one parameter
 * point: over rows, the NLL of {@code softmax(W z + b)}, its gradient and its Hessian in the
 * parameters. Vector scaling has a diagonal W: parameters {@code (w_0..w_{K-1}, b_0..b_{K-1})};
 * matrix scaling a full one: {@code (W row-major, b)}.
 *
 * <p>With {@code u = W z + b}, {@code p = softmax(u)} and the one-hot label e: the row's NLL is
 * {@code logsumexp(u) - u_y}, its gradient in u is {@code p - e} and its Hessian in u is
 * {@code diag(p) - p p^T}; u_r depends on row r of W and on b_r only, through the coefficients
 * {@code z_c} and 1, so the parameters' gradient and Hessian are these sums times those
 * coefficients (the chain rule, exact: the NLL of an affine softmax is a smooth convex function).
 */
public final class LinearScalingMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    final int k;
    final boolean diagonal;
    private final double[] theta;
    long n;
    double sumNll;
    final double[] grad;
    final double[] hess; // p x p row-major

    /** Empty sums at {@code theta} (see the class comment for its layout). */
    public LinearScalingMoments(int k, boolean diagonal, double[] theta) {
        if (theta.length != parameters(k, diagonal)) {
            throw new IllegalArgumentException("Expected " + parameters(k, diagonal) + " parameters for " + k
                    + " classes, but got " + theta.length);
        }
        this.k = k;
        this.diagonal = diagonal;
        this.theta = theta.clone();
        int p = theta.length;
        grad = new double[p];
        hess = new double[p * p];
    }

    /** How many parameters: 2K for a diagonal W, K(K + 1) for a full one. */
    public static int parameters(int k, boolean diagonal) {
        return diagonal ? 2 * k : k * (k + 1);
    }

    /** Index of W's entry (r, c) in the parameter vector (c == r for a diagonal W). */
    static int w(int k, boolean diagonal, int r, int c) {
        return diagonal ? r : r * k + c;
    }

    /** Index of b_r in the parameter vector. */
    static int b(int k, boolean diagonal, int r) {
        return diagonal ? k + r : k * k + r;
    }

    /** {@code W z + b} at the parameters {@code theta}. */
    static double[] scores(int k, boolean diagonal, double[] theta, double[] z) {
        double[] u = new double[k];
        for (int r = 0; r < k; r++) {
            double v = theta[b(k, diagonal, r)];
            if (diagonal) {
                v += theta[r] * z[r];
            } else {
                for (int c = 0; c < k; c++) {
                    v += theta[r * k + c] * z[c];
                }
            }
            u[r] = v;
        }
        return u;
    }

    /** Adds one row of K logits with its label. */
    public LinearScalingMoments add(double[] z, int label) {
        double[] u = scores(k, diagonal, theta, z);
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : u) {
            mx = Math.max(mx, v);
        }
        double s = 0;
        double[] p = new double[k];
        for (int r = 0; r < k; r++) {
            p[r] = Math.exp(u[r] - mx);
            s += p[r];
        }
        sumNll += mx + Math.log(s) - u[label];
        for (int r = 0; r < k; r++) {
            p[r] /= s;
        }
        // per output r: the parameters it depends on and their coefficients (z_c for W, 1 for b)
        int per = diagonal ? 2 : k + 1;
        int[] idx = new int[k * per];
        double[] coef = new double[k * per];
        for (int r = 0; r < k; r++) {
            int o = r * per;
            if (diagonal) {
                idx[o] = r;
                coef[o] = z[r];
            } else {
                for (int c = 0; c < k; c++) {
                    idx[o + c] = r * k + c;
                    coef[o + c] = z[c];
                }
            }
            idx[o + per - 1] = b(k, diagonal, r);
            coef[o + per - 1] = 1;
        }
        int np = grad.length;
        for (int r = 0; r < k; r++) {
            double g = p[r] - (r == label ? 1 : 0);
            for (int a = r * per; a < (r + 1) * per; a++) {
                grad[idx[a]] += g * coef[a];
            }
            for (int t = 0; t < k; t++) {
                double h = (r == t ? p[r] : 0) - p[r] * p[t];
                for (int a = r * per; a < (r + 1) * per; a++) {
                    double ha = h * coef[a];
                    int row = idx[a] * np;
                    for (int c = t * per; c < (t + 1) * per; c++) {
                        hess[row + idx[c]] += ha * coef[c];
                    }
                }
            }
        }
        n++;
        return this;
    }

    /** Adds the other sums (same parameters) into these; returns this. */
    public LinearScalingMoments merge(LinearScalingMoments o) {
        if (o.k != k || o.diagonal != diagonal || !java.util.Arrays.equals(o.theta, theta)) {
            throw new IllegalArgumentException("Cannot merge linear-scaling moments taken at other parameters");
        }
        n += o.n;
        sumNll += o.sumNll;
        for (int i = 0; i < grad.length; i++) {
            grad[i] += o.grad[i];
        }
        for (int i = 0; i < hess.length; i++) {
            hess[i] += o.hess[i];
        }
        return this;
    }

    /** Rows added. */
    public long n() {
        return n;
    }

    /** Mean NLL of the rows at these parameters. */
    public double nll() {
        return sumNll / n;
    }
}
