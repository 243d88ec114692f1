package org.calibkit.calibration.calibrators;

import java.util.Arrays;
import java.util.stream.IntStream;

/** Mean NLL of softmax(W x + b) and its gradient. Parameters: W (k*k, or its k diagonal entries), then b. */
final class LinearObjective implements Lbfgs.Function {
    private static final int CHUNK_ROWS = 1024;

    private final double[] x;
    private final int[] y;
    private final int n;
    private final int k;
    private final boolean diagonal;
    private final int chunks;
    private final double[][] chunkGrad;
    private final double[] chunkNll;

    LinearObjective(double[] x, int[] y, int n, int k, boolean diagonal) {
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
        Arrays.fill(grad, 0);
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
        Arrays.fill(g, 0);
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
