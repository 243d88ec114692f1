package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * SmoothECE's convolution (blocked over grid nodes on copies of the shifted windows, the wide
 * kernel without divisions; issue 16) against the straightforward node-by-node code it replaced,
 * written out below as it was: smECE at a bandwidth must be the same number bit for bit (delta 0),
 * because the fixed-point search and the bootstrap intervals of the audit's golden files depend on
 * every bit of it. The formula itself is checked against the authors' relplot package in
 * CalibrationMetricsReferenceTest.
 */
class SmoothEceKernelTest {
    /** Bandwidths on both paths: wide (kernel longer than the grid, folded) and narrow, on grids of 200 .. 25,600 nodes. */
    private static final double[] SIGMAS = {1.0, 0.5, 0.3, 0.11, 0.1, 0.05, 0.02, 0.0123, 0.0057, 0.004, 0.0021, 0.001};

    @Test
    void smoothEceAtABandwidthEqualsTheNodeByNodeConvolution() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int n : new int[] {1, 7, 500, 4000}) {
            double[] f = new double[n];
            boolean[] y = new boolean[n];
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                // CNN-like (most confidences near 1), with exact 1.0, exact 0 and tied values
                f[i] = switch (i % 6) {
                    case 0 -> 1.0;
                    case 1 -> 0.5;
                    case 2 -> i % 12 == 2 ? 0.0 : rnd.nextDouble();
                    default -> 1 - 1e-3 * rnd.nextDouble();
                };
                y[i] = rnd.nextDouble() < f[i];
                w[i] = rnd.nextInt(3); // bootstrap multiplicities, zeros included
            }
            for (double sigma : SIGMAS) {
                assertEquals(reference(f, y, null, n, sigma), SmoothEce.at(f, y, null, n, sigma), 0.0,
                        "n " + n + ", sigma " + sigma);
                double total = 0;
                for (int x : w) {
                    total += x;
                }
                if (total > 0) {
                    assertEquals(reference(f, y, w, total, sigma), SmoothEce.at(f, y, w, total, sigma), 0.0,
                            "weighted, n " + n + ", sigma " + sigma);
                }
            }
        }
    }

    // ---------------------------------------------------------------- the code before issue 16

    private static double reference(double[] f, boolean[] y, int[] w, double total, double sigma) {
        int m = 200;
        while (m * sigma < 20) {
            m *= 2;
        }
        return smoothed(deposit(f, y, w, m), m, sigma, total);
    }

    private static double[] deposit(double[] f, boolean[] y, int[] w, int m) {
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

    private static double smoothed(double[] mass, int m, double sigma, double total) {
        double h = 1.0 / m;
        int reach = (int) Math.ceil(8 * sigma / h);
        double[] kern = new double[reach + 1];
        double norm = 1.0 / (sigma * Math.sqrt(2 * Math.PI));
        for (int d = 0; d <= reach; d++) {
            double t = d * h / sigma;
            kern[d] = norm * Math.exp(-0.5 * t * t);
        }
        double integral = 0;
        if (m + 1 < reach) {
            int period = 2 * m;
            double[] fold = new double[period];
            for (int d = -reach; d <= reach; d++) {
                fold[Math.floorMod(d, period)] += kern[Math.abs(d)];
            }
            for (int i = 0; i <= m; i++) {
                double s = 0;
                for (int g = 0; g <= m; g++) {
                    double mg = mass[g];
                    if (mg != 0) {
                        s += mg * (fold[Math.floorMod(i - g, period)] + fold[(i + g) % period]);
                    }
                }
                double a = Math.abs(s);
                integral += (i == 0 || i == m) ? 0.5 * a : a;
            }
            return integral * h / total;
        }
        int len = m + 1 + 2 * reach;
        double[] ext = new double[len];
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
        for (int i = 0; i <= m; i++) {
            int c = i + reach;
            double s = kern[0] * ext[c];
            for (int d = 1; d <= reach; d++) {
                s += kern[d] * (ext[c - d] + ext[c + d]);
            }
            double a = Math.abs(s);
            integral += (i == 0 || i == m) ? 0.5 * a : a;
        }
        return integral * h / total;
    }
}
