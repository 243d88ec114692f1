package org.calibkit.calibration.metrics;

/**
 * SmoothECE (Błasiok and Nakkiran 2023, "Smooth ECE: Principled Reliability Diagrams via Kernel
 * Smoothing", arXiv 2309.12236): the ECE of the kernel-smoothed residuals, with the bandwidth
 * chosen as the fixed point {@code smECE_sigma = sigma}.
 *
 * <p>For a bandwidth sigma, with residuals {@code r_i = y_i - f_i} (y = 1 when the top label was
 * right, f the confidence), {@code smECE_sigma = integral_0^1 | (1/n) sum_i r_i K(t, f_i) | dt},
 * where K is the Gaussian kernel of standard deviation sigma reflected at 0 and 1 (method of
 * images: {@code K(t, s) = sum_k phi(t - s - 2k) + phi(t + s - 2k)}), so it integrates to 1 over
 * [0, 1]. smECE_sigma decreases in sigma; the bandwidth is the unique sigma* in
 * [{@value #MIN_SIGMA}, 1] with {@code smECE_sigma* = sigma*}, found by regula falsi (Illinois),
 * and SmoothECE = smECE at sigma* (it is therefore equal to its own bandwidth).
 *
 * <p>Discretisation, as in the authors' relplot package: the residual mass is split linearly
 * onto a uniform grid of M + 1 points (M = 200 * 2^j, the smallest with spacing at most
 * sigma / 20), convolved with the
 * reflected kernel (truncated at 8 sigma) and integrated with the trapezoid rule.
 */
final class SmoothEce {
    static final double MIN_SIGMA = 1e-3;
    private static final double TOL = 1e-6;
    /** Grid nodes convolved together: with the two windows, 24 KiB that stay in the first-level cache. */
    private static final int BLOCK = 1024;

    private SmoothEce() {
    }

    record Result(double value, double bandwidth) {
    }

    /** Fixed-point SmoothECE of confidences/correctness, row i weighted by w[i] (null = 1). */
    static Result compute(double[] f, boolean[] y, int[] w) {
        double total = total(f, w);
        // the deposit depends on the grid only, not on sigma: the search visits a few grids, so
        // each is deposited once (the same sums in the same order as a fresh deposit)
        Grids grids = new Grids(f, y, w);
        // g(sigma) = smECE_sigma - sigma decreases; find its root in [MIN_SIGMA, 1] with the
        // Illinois variant of regula falsi (keeps a bracket, converges superlinearly)
        double b = 1.0;
        double fb = at(grids, total, b);
        if (fb >= b) {
            return new Result(fb, b);
        }
        // bracket the root by halving from 1: evaluations at small sigma need fine grids and are
        // the expensive ones, so only go as low as the root requires
        double a = 0.5;
        double fa = at(grids, total, a);
        while (fa < a) {
            b = a;
            fb = fa;
            if (a == MIN_SIGMA) {
                return new Result(fa, a);
            }
            a = Math.max(MIN_SIGMA, a * 0.5);
            fa = at(grids, total, a);
        }
        double ga = fa - a;
        double gb = fb - b;
        double c = b;
        double fc = fb;
        int side = 0;
        for (int iter = 0; iter < 100 && b - a > TOL; iter++) {
            c = (a * gb - b * ga) / (gb - ga);
            if (!(c > a && c < b)) {
                c = 0.5 * (a + b);
            }
            fc = at(grids, total, c);
            double gc = fc - c;
            if (Math.abs(gc) < 1e-12) {
                break;
            }
            if (gc < 0) {
                b = c;
                gb = gc;
                if (side == -1) {
                    ga *= 0.5;
                }
                side = -1;
            } else {
                a = c;
                ga = gc;
                if (side == 1) {
                    gb *= 0.5;
                }
                side = 1;
            }
        }
        return new Result(fc, c);
    }

    private static double total(double[] f, int[] w) {
        if (w == null) {
            return f.length;
        }
        double t = 0;
        for (int x : w) {
            t += x;
        }
        return t;
    }

    /** The residual mass of one data set deposited on each grid the search asks for, kept. */
    private static final class Grids {
        private final double[] f;
        private final boolean[] y;
        private final int[] w;
        /** Index j holds the deposit on the grid of 200 * 2^j intervals, or null. */
        private final double[][] masses = new double[32][];

        Grids(double[] f, boolean[] y, int[] w) {
            this.f = f;
            this.y = y;
            this.w = w;
        }

        double[] mass(int m) {
            int j = Integer.numberOfTrailingZeros(m / 200);
            if (masses[j] == null) {
                masses[j] = deposit(f, y, w, m);
            }
            return masses[j];
        }
    }

    /** smECE at a fixed bandwidth sigma. */
    static double at(double[] f, boolean[] y, int[] w, double total, double sigma) {
        return at(new Grids(f, y, w), total, sigma);
    }

    private static double at(Grids grids, double total, double sigma) {
        // grid of 200 * 2^j intervals with spacing at most sigma / 20: piecewise constant in sigma,
        // so the fixed-point search sees a continuous function except at a few points
        int m = 200;
        while (m * sigma < 20) {
            m *= 2;
        }
        return smoothed(grids.mass(m), m, sigma, total);
    }

    /** Residual mass on nodes 0..m (spacing h = 1/m), each row's split linearly between its two nodes. */
    static double[] deposit(double[] f, boolean[] y, int[] w, int m) {
        double[] mass = new double[m + 1];
        for (int i = 0; i < f.length; i++) {
            double wi = w == null ? 1 : w[i];
            if (wi == 0) {
                continue;
            }
            double r = wi * ((y[i] ? 1.0 : 0.0) - f[i]);
            double x = f[i] * m;
            int g = (int) x;
            if (g >= m) {
                g = m - 1;
            }
            double frac = x - g;
            mass[g] += (1 - frac) * r;
            mass[g + 1] += frac * r;
        }
        return mass;
    }

    /** The trapezoid integral of |mass convolved with the reflected kernel of bandwidth sigma|, over total. */
    private static double smoothed(double[] mass, int m, double sigma, double total) {
        double h = 1.0 / m;
        double[] kern = kernel(m, sigma);
        int reach = kern.length - 1;
        double integral = 0;
        if (m + 1 < reach) {
            // wide kernel: fold it onto one period (2m) once, then
            // H(t_i) = sum_g mass_g [Kf(i - g) + Kf(i + g)], O(m^2) instead of O(m * reach)
            int period = 2 * m;
            double[] fold = folded(kern, m);
            for (int i = 0; i <= m; i++) {
                // floorMod(i - g, period) and (i + g) % period without divisions: i - g lies in
                // [-m, m] and i + g in [0, 2m], so each wraps by at most one period; the same
                // terms in the same order as before
                double s = 0;
                for (int g = 0; g <= i; g++) {
                    double mg = mass[g];
                    if (mg != 0) {
                        int up = i + g;
                        s += mg * (fold[i - g] + fold[up == period ? 0 : up]);
                    }
                }
                for (int g = i + 1; g <= m; g++) {
                    double mg = mass[g];
                    if (mg != 0) {
                        int up = i + g;
                        s += mg * (fold[i - g + period] + fold[up == period ? 0 : up]);
                    }
                }
                integral = trapezoid(integral, s, i, m);
            }
            return integral * h / total;
        }
        double[] ext = reflected(mass, m, reach);
        // the convolution with the offsets outermost: node i's sum still starts at kern[0] * ext[c]
        // and adds kern[d] * (ext[c - d] + ext[c + d]) for d = 1, 2, ... in that order (bit for
        // bit the node-by-node loop), but the innermost loop runs over independent nodes of a
        // block, on copies of the two shifted windows of ext: loads and stores at one index of
        // distinct arrays are what the JIT turns into vector instructions (it does not for loads
        // at offsets of an array it cannot prove distinct from the one stored to)
        int block = Math.min(m + 1, BLOCK);
        double[] s = new double[block];
        double[] left = new double[block];
        double[] right = new double[block];
        double k0 = kern[0];
        for (int from = 0; from <= m; from += block) {
            int count = Math.min(block, m + 1 - from);
            int c = from + reach;
            System.arraycopy(ext, c, left, 0, count);
            for (int i = 0; i < count; i++) {
                s[i] = k0 * left[i];
            }
            for (int d = 1; d <= reach; d++) {
                double kd = kern[d];
                System.arraycopy(ext, c - d, left, 0, count);
                System.arraycopy(ext, c + d, right, 0, count);
                for (int i = 0; i < count; i++) {
                    s[i] += kd * (left[i] + right[i]);
                }
            }
            for (int i = 0; i < count; i++) {
                integral = trapezoid(integral, s[i], from + i, m);
            }
        }
        return integral * h / total;
    }

    /** The Gaussian kernel of bandwidth sigma at offsets 0..reach nodes of spacing 1/m, reach = ceil(8 sigma m). */
    static double[] kernel(int m, double sigma) {
        double h = 1.0 / m;
        int reach = (int) Math.ceil(8 * sigma / h);
        double[] kern = new double[reach + 1];
        double norm = 1.0 / (sigma * Math.sqrt(2 * Math.PI));
        for (int d = 0; d <= reach; d++) {
            double t = d * h / sigma;
            kern[d] = norm * Math.exp(-0.5 * t * t);
        }
        return kern;
    }

    /** A kernel wider than the grid folded onto one period of 2m nodes. */
    static double[] folded(double[] kern, int m) {
        int reach = kern.length - 1;
        int period = 2 * m;
        double[] fold = new double[period];
        for (int d = -reach; d <= reach; d++) {
            fold[Math.floorMod(d, period)] += kern[Math.abs(d)];
        }
        return fold;
    }

    /**
     * The mass of nodes 0..m extended by reach nodes on each side by reflection (period 2m), at
     * index node + reach; the boundary nodes are their own mirror image, so they count twice.
     */
    static double[] reflected(double[] mass, int m, int reach) {
        double[] ext = new double[m + 1 + 2 * reach];
        int period = 2 * m;
        for (int j = -reach; j <= m + reach; j++) {
            int rr = Math.floorMod(j, period);
            double v;
            if (rr == 0 || rr == m) {
                v = 2 * mass[rr];
            } else if (rr < m) {
                v = mass[rr];
            } else {
                v = mass[period - rr];
            }
            ext[j + reach] = v;
        }
        return ext;
    }

    /** The trapezoid rule's term of node i of 0..m added to the integral: |s|, halved at the two ends. */
    private static double trapezoid(double integral, double s, int i, int m) {
        double a = Math.abs(s);
        return integral + ((i == 0 || i == m) ? 0.5 * a : a);
    }
}
