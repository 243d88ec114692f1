package org.calibkit.calibration.calibrators;

import java.util.Arrays;
import org.calibkit.calibration.Logits;

/**
 * Isotonic regression calibration (Zadrozny and Elkan 2002, "Transforming classifier scores into
 * accurate multiclass probability estimates", KDD), one-vs-rest over classes: for each class j a
 * non-decreasing function of the softmax probability p_ij is fitted to the indicator [y_i = j] by
 * pool-adjacent-violators (equal inputs are merged first, with their mean target and summed
 * weight). The map interpolates linearly between the fitted points and is constant beyond the
 * smallest and largest calibration input, as scikit-learn's
 * {@code IsotonicRegression(out_of_bounds="clip")}. Rows are renormalised to sum to 1; a row whose
 * calibrated values are all 0 becomes uniform (1/K), as in scikit-learn's
 * {@code CalibratedClassifierCV}. No hyper-parameters.
 */
public final class IsotonicCalibration extends CheckedCalibrator<IsotonicMap> {
    static final String METHOD = "isotonic";

    /** Isotonic calibration (no hyper-parameters). */
    public IsotonicCalibration() {
        super(METHOD);
    }

    @Override
    IsotonicMap fitChecked(Logits logits, int[] labels) {
        int n = logits.n();
        int k = logits.k();
        double[] p = logits.softmax().raw();
        double[][] xs = new double[k][];
        double[][] ys = new double[k][];
        double[] x = new double[n];
        double[] t = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                x[i] = p[i * k + j];
                t[i] = labels[i] == j ? 1 : 0;
                order[i] = i;
            }
            double[] xj = x;
            Arrays.sort(order, (a, b) -> Double.compare(xj[a], xj[b]));
            double[][] fitted = fit(x, t, order);
            xs[j] = fitted[0];
            ys[j] = fitted[1];
        }
        return new IsotonicMap(k, xs, ys);
    }

    /**
     * Pool-adjacent-violators on (x, t) visited in {@code order} (ascending x). Returns the
     * thresholds and values with interior points of constant runs removed (they do not change the
     * linear interpolation).
     */
    static double[][] fit(double[] x, double[] t, Integer[] order) {
        int n = order.length;
        // merge equal x: mean target, summed weight
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] uw = new double[n];
        int u = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (u > 0 && x[i] == ux[u - 1]) {
                uy[u - 1] += t[i];
                uw[u - 1] += 1;
            } else {
                ux[u] = x[i];
                uy[u] = t[i];
                uw[u] = 1;
                u++;
            }
        }
        for (int r = 0; r < u; r++) {
            uy[r] /= uw[r];
        }
        // PAV: blocks as a stack of (value, weight, end index)
        double[] bv = new double[u];
        double[] bw = new double[u];
        int[] bEnd = new int[u];
        int top = 0;
        for (int r = 0; r < u; r++) {
            bv[top] = uy[r];
            bw[top] = uw[r];
            bEnd[top] = r;
            top++;
            while (top > 1 && bv[top - 2] > bv[top - 1]) {
                double w = bw[top - 2] + bw[top - 1];
                bv[top - 2] = (bv[top - 2] * bw[top - 2] + bv[top - 1] * bw[top - 1]) / w;
                bw[top - 2] = w;
                bEnd[top - 2] = bEnd[top - 1];
                top--;
            }
        }
        double[] fy = new double[u];
        int start = 0;
        for (int b = 0; b < top; b++) {
            for (int r = start; r <= bEnd[b]; r++) {
                fy[r] = bv[b];
            }
            start = bEnd[b] + 1;
        }
        // keep the ends of constant runs only
        double[] kx = new double[u];
        double[] ky = new double[u];
        int kept = 0;
        for (int r = 0; r < u; r++) {
            boolean interior = r > 0 && r < u - 1 && fy[r - 1] == fy[r] && fy[r] == fy[r + 1];
            if (!interior) {
                kx[kept] = ux[r];
                ky[kept] = fy[r];
                kept++;
            }
        }
        return new double[][] {Arrays.copyOf(kx, kept), Arrays.copyOf(ky, kept)};
    }
}
