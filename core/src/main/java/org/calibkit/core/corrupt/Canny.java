package org.calibkit.core.corrupt;

import java.util.ArrayDeque;

/**
 * The Canny edge detector (Canny 1986) as {@code skimage.feature.canny(x, sigma)} computes it with
 * its default thresholds for a float image (low 0.1, high 0.2 of the gradient magnitude), the
 * call MNIST-C's {@code canny_edges} makes: Gaussian smoothing with {@code mode='constant'}
 * divided by the smoothed all-ones mask, Sobel gradients ({@code scipy.ndimage.sobel},
 * {@code mode='reflect'}), non-maximum suppression interpolating between the two neighbours in
 * each of four direction octants, the one-pixel border excluded, and hysteresis over
 * 8-connected components.
 */
final class Canny {
    static final double LOW = 0.1;
    static final double HIGH = 0.2;

    private Canny() {
    }

    /** The edge map of one plane (values 0..1): 1 on an edge, 0 elsewhere. */
    static double[] edges(double[] x, int h, int w, double sigma) {
        double[] ones = new double[x.length];
        java.util.Arrays.fill(ones, 1.0);
        double[] bleed = Filters.gaussian(ones, h, w, sigma, sigma, Filters.Border.CONSTANT);
        double[] sm = Filters.gaussian(x, h, w, sigma, sigma, Filters.Border.CONSTANT);
        for (int i = 0; i < sm.length; i++) {
            sm[i] /= bleed[i] + Math.ulp(1.0);
        }
        double[] gi = sobel(sm, h, w, true);
        double[] gj = sobel(sm, h, w, false);
        double[] mag = new double[x.length];
        for (int i = 0; i < mag.length; i++) {
            mag[i] = Math.hypot(gi[i], gj[i]);
        }
        boolean[] maxima = new boolean[x.length];
        for (int r = 1; r < h - 1; r++) {
            for (int c = 1; c < w - 1; c++) {
                int p = r * w + c;
                double m = mag[p];
                if (!(m > 0)) {
                    continue;
                }
                double i = gi[p];
                double j = gj[p];
                double ai = Math.abs(i);
                double aj = Math.abs(j);
                boolean same = (i >= 0 && j >= 0) || (i <= 0 && j <= 0);
                boolean opposite = (i <= 0 && j >= 0) || (i >= 0 && j <= 0);
                // skimage assigns the octants in this order; a later one overwrites an earlier one on ties
                if (same && ai >= aj) {
                    double wt = aj / ai;
                    maxima[p] = interp(mag, w, r + 1, c, r + 1, c + 1, wt) <= m && interp(mag, w, r - 1, c, r - 1, c - 1, wt) <= m;
                }
                if (same && ai <= aj) {
                    double wt = ai / aj;
                    maxima[p] = interp(mag, w, r, c + 1, r + 1, c + 1, wt) <= m && interp(mag, w, r, c - 1, r - 1, c - 1, wt) <= m;
                }
                if (opposite && ai <= aj) {
                    double wt = ai / aj;
                    maxima[p] = interp(mag, w, r, c + 1, r - 1, c + 1, wt) <= m && interp(mag, w, r, c - 1, r + 1, c - 1, wt) <= m;
                }
                if (opposite && ai >= aj) {
                    double wt = aj / ai;
                    maxima[p] = interp(mag, w, r - 1, c, r - 1, c + 1, wt) <= m && interp(mag, w, r + 1, c, r + 1, c - 1, wt) <= m;
                }
            }
        }
        double[] out = new double[x.length];
        boolean[] seen = new boolean[x.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        java.util.List<Integer> component = new java.util.ArrayList<>();
        for (int p = 0; p < x.length; p++) {
            if (seen[p] || !maxima[p] || !(mag[p] >= LOW)) {
                continue;
            }
            component.clear();
            boolean strong = false;
            seen[p] = true;
            queue.add(p);
            while (!queue.isEmpty()) {
                int q = queue.poll();
                component.add(q);
                strong |= mag[q] >= HIGH;
                int qr = q / w;
                int qc = q % w;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = qr + dr;
                        int cc = qc + dc;
                        if (rr < 0 || rr >= h || cc < 0 || cc >= w) {
                            continue;
                        }
                        int s = rr * w + cc;
                        if (!seen[s] && maxima[s] && mag[s] >= LOW) {
                            seen[s] = true;
                            queue.add(s);
                        }
                    }
                }
            }
            if (strong) {
                for (int q : component) {
                    out[q] = 1;
                }
            }
        }
        return out;
    }

    private static double interp(double[] mag, int w, int r1, int c1, int r2, int c2, double wt) {
        return mag[r2 * w + c2] * wt + mag[r1 * w + c1] * (1 - wt);
    }

    /** {@code scipy.ndimage.sobel(x, axis)}: derivative [-1, 0, 1] along the axis, smoothing [1, 2, 1] across it, reflecting borders. */
    static double[] sobel(double[] x, int h, int w, boolean alongRows) {
        double[] out = new double[x.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double acc = 0;
                for (int t = -1; t <= 1; t++) {
                    double s = 2 - Math.abs(t);
                    if (alongRows) {
                        acc += s * (x[reflect(r + 1, h) * w + reflect(c + t, w)] - x[reflect(r - 1, h) * w + reflect(c + t, w)]);
                    } else {
                        acc += s * (x[reflect(r + t, h) * w + reflect(c + 1, w)] - x[reflect(r + t, h) * w + reflect(c - 1, w)]);
                    }
                }
                out[r * w + c] = acc;
            }
        }
        return out;
    }

    /** scipy's {@code mode='reflect'} for an index one step outside: {@code dcba|abcd|dcba}. */
    private static int reflect(int i, int n) {
        if (i < 0) {
            return Math.min(-i - 1, n - 1);
        }
        if (i >= n) {
            return Math.max(2 * n - i - 1, 0);
        }
        return i;
    }
}
