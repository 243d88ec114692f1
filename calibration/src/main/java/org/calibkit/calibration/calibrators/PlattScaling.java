package org.calibkit.calibration.calibrators;

import java.util.Objects;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Softmax;

/**
 * Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines and comparisons
 * to regularized likelihood methods"), with the target smoothing and the Newton method with
 * backtracking of Lin, Lin and Weng 2007 ("A note on Platt's probabilistic outputs for support
 * vector machines", Machine Learning 68): P(positive | f) = 1 / (1 + exp(A f + B)), fitted by
 * minimising the cross-entropy against the smoothed targets (N+ + 1) / (N+ + 2) for positives and
 * 1 / (N- + 2) for negatives.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link Mode#BINARY} (K = 2 softmax heads): f = z_1 - z_0, positive = class 1; the map
 *       returns rows [1 - p, p] that sum to 1.</li>
 *   <li>{@link Mode#ONE_VS_REST} (sigmoid heads): each class j gets its own (A_j, B_j) on its own
 *       logit z_j with positive = [y = j]; the map returns independent per-class probabilities
 *       ({@link org.calibkit.calibration.Probabilities#isNormalized()} false) that need not sum to 1.</li>
 *   <li>{@link Mode#AUTO} (default): BINARY when K = 2, else ONE_VS_REST.</li>
 * </ul>
 * Newton stops when the mean gradient in B is at most {@code tolerance} (default 1e-10) and the one
 * in A at most {@code tolerance * (1 + mean |f|)} (it scales with f), or when the Newton decrement
 * is below double resolution; a fit that stops short throws {@link IllegalStateException}.
 */
public final class PlattScaling extends CheckedCalibrator<PlattMap> {
    static final String METHOD = "platt";

    /** Which logits are mapped, see the class comment. */
    public enum Mode { AUTO, BINARY, ONE_VS_REST }

    private static final int MAX_ITERATIONS = 100;
    private final Mode mode;
    private final double tolerance;

    /** AUTO mode, tolerance 1e-10. */
    public PlattScaling() {
        this(Mode.AUTO, 1e-10);
    }

    /**
     * @param mode      BINARY, ONE_VS_REST or AUTO
     * @param tolerance stop when the mean gradient's entries are at most this, &gt; 0
     */
    public PlattScaling(Mode mode, double tolerance) {
        super(METHOD);
        this.mode = Objects.requireNonNull(mode, "mode");
        Checks.positive("tolerance", tolerance);
        this.tolerance = tolerance;
    }

    public Mode mode() { return mode; }

    @Override
    PlattMap fitChecked(Logits logits, int[] labels) {
        int n = logits.n();
        int k = logits.k();
        Mode m = mode == Mode.AUTO ? (k == 2 ? Mode.BINARY : Mode.ONE_VS_REST) : mode;
        double[] z = logits.raw();
        double[] f = new double[n];
        boolean[] pos = new boolean[n];
        if (m == Mode.BINARY) {
            if (k != 2) {
                throw new IllegalArgumentException("Expected 2 classes for binary Platt scaling (f = z_1 - z_0), but got "
                        + k + " (use ONE_VS_REST for sigmoid heads)");
            }
            for (int i = 0; i < n; i++) {
                f[i] = z[i * 2 + 1] - z[i * 2];
                pos[i] = labels[i] == 1;
            }
            double[] ab = fitSigmoid(f, pos, tolerance, "class 1 vs 0");
            return new PlattMap(k, PlattMap.Kind.BINARY, new double[] {ab[0]}, new double[] {ab[1]});
        }
        double[] a = new double[k];
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
            logits.oneVsRest(j, labels, f, pos);
            double[] ab = fitSigmoid(f, pos, tolerance, "class " + j);
            a[j] = ab[0];
            b[j] = ab[1];
        }
        return new PlattMap(k, PlattMap.Kind.ONE_VS_REST, a, b);
    }

    /** log(1 + exp(x)) without overflow. */
    static double log1pExp(double x) {
        return Softmax.softplus(x);
    }

    /** 1 / (1 + exp(x)) without overflow. */
    static double sigmoidOfMinus(double x) {
        return Softmax.sigmoid(-x);
    }

    /**
     * Newton with backtracking (Lin, Lin and Weng 2007, Algorithm 1) on the mean smoothed
     * cross-entropy; returns {A, B}.
     */
    static double[] fitSigmoid(double[] f, boolean[] pos, double tolerance, String what) {
        int n = f.length;
        int nPos = 0;
        for (boolean p : pos) {
            nPos += p ? 1 : 0;
        }
        int nNeg = n - nPos;
        double hi = (nPos + 1.0) / (nPos + 2.0);
        double lo = 1.0 / (nNeg + 2.0);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = pos[i] ? hi : lo;
        }
        double a = 0;
        double b = Math.log((nNeg + 1.0) / (nPos + 1.0));
        double fval = objective(f, t, a, b);
        double meanAbsF = 0;
        for (double v : f) {
            meanAbsF += Math.abs(v) / n;
        }
        double tolA = tolerance * (1 + meanAbsF);   // dF/dA scales with f
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double h11 = 1e-12;   // Lin et al.'s sigma keeps H positive definite
            double h22 = 1e-12;
            double h21 = 0;
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double p = sigmoidOfMinus(a * f[i] + b);
                double q = 1 - p;
                double d2 = p * q;
                h11 += f[i] * f[i] * d2 / n;
                h22 += d2 / n;
                h21 += f[i] * d2 / n;
                double d1 = t[i] - p;
                g1 += f[i] * d1 / n;
                g2 += d1 / n;
            }
            if (Math.abs(g1) <= tolA && Math.abs(g2) <= tolerance) {
                return new double[] {a, b};
            }
            double det = h11 * h22 - h21 * h21;
            double dA = -(h22 * g1 - h21 * g2) / det;
            double dB = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * dA + g2 * dB;
            double step = 1;
            boolean moved = false;
            while (step >= 1e-12) {
                double na = a + step * dA;
                double nb = b + step * dB;
                double nf = objective(f, t, na, nb);
                if (nf < fval + 1e-4 * step * gd) {
                    a = na;
                    b = nb;
                    fval = nf;
                    moved = true;
                    break;
                }
                step /= 2;
            }
            if (!moved) {
                if (-gd <= 1e-14 * Math.max(1, Math.abs(fval))) {
                    return new double[] {a, b};   // Newton decrement below what doubles resolve: at the optimum
                }
                throw new IllegalStateException("Platt scaling (" + what + ") did not converge: the line search"
                        + " failed with mean gradient (" + g1 + ", " + g2 + ") > tolerance " + tolerance);
            }
        }
        throw new IllegalStateException("Platt scaling (" + what + ") did not converge in " + MAX_ITERATIONS
                + " Newton iterations (A = " + a + ", B = " + b + ")");
    }

    private static double objective(double[] f, double[] t, double a, double b) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double x = a * f[i] + b;
            s += log1pExp(x) - (1 - t[i]) * x;
        }
        return s / f.length;
    }
}
