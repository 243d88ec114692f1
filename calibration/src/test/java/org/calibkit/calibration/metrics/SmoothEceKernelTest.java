package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * SmoothECE's convolution (blocked over grid nodes on copies of the shifted windows, the wide
 * kernel without divisions; issue 16) against the straightforward node-by-node loops it replaced,
 * written out below as they were: smECE at a bandwidth must be the same number bit for bit (delta 0),
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

    // ---------------------------------------------------------------- the loops before issue 16

    /**
     * smECE at sigma with the two convolution loops as they were (node by node, with floorMod);
     * the pieces issue 16 did not change (deposit, kernel, fold, reflection) are the main code's.
     */
    private static double reference(double[] f, boolean[] y, int[] w, double total, double sigma) {
        int m = 200;
        while (m * sigma < 20) {
            m *= 2;
        }
        double[] mass = SmoothEce.deposit(f, y, w, m);
        double h = 1.0 / m;
        double[] kern = SmoothEce.kernel(m, sigma);
        int reach = kern.length - 1;
        double integral = 0;
        if (m + 1 < reach) {
            int period = 2 * m;
            double[] fold = SmoothEce.folded(kern, m);
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
        double[] ext = SmoothEce.reflected(mass, m, reach);
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
