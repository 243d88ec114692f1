package org.calibkit.calibration;

import java.util.Objects;

/**
 * Unnormalised class scores, n rows by K classes, as a model produces them before any softmax
 * or sigmoid. Immutable, finite, non-empty.
 *
 * <p>Never a guess: probabilities become logits only through the explicit
 * {@link #fromProbabilities(Probabilities, double)} or {@link #fromLogProbabilities(double[][])}.
 * All normalisation uses log-sum-exp, so saturated rows (logits of 1e4) give exact 0/1
 * probabilities and finite log-probabilities, never NaN or infinity.
 */
public final class Logits extends RowMajor {

    private Logits(double[] values, int n, int k) {
        super(values, n, k);
    }

    /**
     * Copies and validates rows.
     *
     * @throws IllegalArgumentException for empty input, ragged rows, fewer than 2 classes,
     *                                  NaN or infinite values (naming the row and column)
     */
    public static Logits of(double[][] rows) {
        return of(RowMajor.flatten(rows, "logits"), rows.length, rows[0].length);
    }

    /**
     * Wraps a row-major array of n * k values (copied) after validation.
     *
     * @throws IllegalArgumentException as {@link #of(double[][])}
     */
    public static Logits of(double[] rowMajor, int n, int k) {
        RowMajor.checkShape(rowMajor, n, k, "logits");
        double[] copy = rowMajor.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException("logits must be finite, but got " + copy[i]
                        + " at row " + (i / k) + ", class " + (i % k));
            }
        }
        return new Logits(copy, n, k);
    }

    /** Trusted constructor for arrays already validated inside this module (no copy). */
    static Logits wrap(double[] rowMajor, int n, int k) {
        return new Logits(rowMajor, n, k);
    }

    /**
     * Logits from probabilities: {@code log(max(p, eps))}. Each row is a valid logit vector for
     * the same softmax distribution (up to the clipping of zeros to eps).
     *
     * @param eps floor for probabilities of exactly 0, in (0, 1), e.g. 1e-12
     */
    public static Logits fromProbabilities(Probabilities p, double eps) {
        Objects.requireNonNull(p, "probabilities");
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("Expected eps in (0, 1), but got " + eps);
        }
        double[] src = p.raw();
        double[] out = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = Math.log(Math.max(src[i], eps));
        }
        return new Logits(out, p.n(), p.k());
    }

    /** Log-probabilities are logits already (their log-sum-exp is 0); validated and copied. */
    public static Logits fromLogProbabilities(double[][] logProbabilities) {
        return of(logProbabilities);
    }


    /** Logits divided by a temperature T > 0 (T = 1 returns this). */
    public Logits divide(double temperature) {
        Checks.positive("temperature", temperature);
        if (temperature == 1.0) {
            return this;
        }
        double[] out = new double[values.length];
        double inv = 1.0 / temperature;
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] * inv;
        }
        return new Logits(out, n, k);
    }

    /** log(sum_j exp(z_ij)) per row, computed stably. */
    public double[] logSumExp() {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Softmax.logSumExp(values, i * k, k);
        }
        return out;
    }

    /** Stable log-sum-exp of {@code len} values starting at {@code off} (see {@link Softmax}). */
    public static double logSumExp(double[] a, int off, int len) {
        return Softmax.logSumExp(a, off, len);
    }

    /** Row-wise softmax. */
    public Probabilities softmax() {
        double[] out = new double[values.length];
        // rows in chunks, in parallel for large inputs: each row is written by one chunk only
        RowChunks.forEach(n, RowChunks.rowsPerChunk(k), (from, to) -> {
            for (int i = from; i < to; i++) {
                Softmax.softmax(values, i * k, k, out, i * k);
            }
        });
        return Probabilities.wrap(out, n, k, true);
    }

    /** Element-wise logistic function: independent one-vs-rest probabilities (rows need not sum to 1). */
    public Probabilities sigmoid() {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Softmax.sigmoid(values[i]);
        }
        return Probabilities.wrap(out, n, k, false);
    }

    /** Row-wise log-softmax (finite for finite logits). */
    public double[][] logSoftmax() {
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double max = Softmax.max(values, off, k);
            // (z - max) - log(sum exp(z - max)): z - max is exact, which keeps large shifts accurate
            double logS = Math.log(Softmax.sumExp(values, off, k, max));
            for (int j = 0; j < k; j++) {
                out[i][j] = (values[off + j] - max) - logS;
            }
        }
        return out;
    }

    /** Rows {@code idx} in that order (for bootstrap resampling and subsets). */
    public Logits select(int[] idx) {
        return new Logits(selectRows(idx), idx.length, k);
    }

    @Override
    public String toString() {
        return "Logits[" + n + " x " + k + "]";
    }
}
