package org.calibkit.calibration;

/**
 * The one log-sum-exp / softmax / sigmoid kernel of calibkit: every row-wise normalisation in
 * this module and in core goes through these functions, so saturation is handled in one place.
 *
 * <p>Softmax is computed as {@code exp(z - max) / sum}: {@code z - max} is exact, so rows shifted
 * by a huge constant (all -1e4) give exactly the same probabilities as unshifted ones, and a
 * saturated row gives exact 0 and 1, never NaN. The sigmoid uses the sign-split form, so
 * {@code |z|} of 1e4 gives 0 or 1 without overflow.
 */
public final class Softmax {
    private Softmax() {
    }

    /** The largest of {@code len} values from {@code off}. */
    public static double max(double[] a, int off, int len) {
        double m = a[off];
        for (int j = off + 1; j < off + len; j++) {
            if (a[j] > m) {
                m = a[j];
            }
        }
        return m;
    }

    /** The position (0 to len - 1) of the largest of {@code len} values from {@code off}, the first on ties. */
    public static int argmax(double[] a, int off, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** {@code sum_j exp(a_j - shift)} over {@code len} values from {@code off}. */
    public static double sumExp(double[] a, int off, int len, double shift) {
        double s = 0;
        for (int j = off; j < off + len; j++) {
            s += Math.exp(a[j] - shift);
        }
        return s;
    }

    /**
     * {@code sum_j exp(a_j - a_top)} over {@code len} values from {@code off}, where {@code top}
     * (0 to len - 1) is the position of the largest value ({@link #argmax}): bit for bit
     * {@code sumExp(a, off, len, a[off + top])}, the same terms added in the same order, but the
     * top term is added as 1.0 instead of calling {@code Math.exp(0.0)}, which is exactly 1.0
     * ({@link #EXP_ZERO_IS_ONE}). One exp fewer per row in the kernels that need only the
     * normaliser (top-label confidence, softmax, NLL). A non-finite top value takes the plain
     * path, so NaN and infinities come out as before.
     */
    public static double sumExpOverTop(double[] a, int off, int len, int top) {
        double m = a[off + top];
        if (!EXP_ZERO_IS_ONE || !Double.isFinite(m)) {
            return sumExp(a, off, len, m);
        }
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += j == top ? 1.0 : Math.exp(a[off + j] - m);
        }
        return s;
    }

    /**
     * Whether this JVM's {@code Math.exp(0.0)} is exactly 1.0 (it is for HotSpot's intrinsic and
     * fdlibm; the specification only promises 1 ulp): the condition for skipping the exp of the
     * top term in {@link #sumExpOverTop} and {@link #softmax(double[], int, int, double[], int)}.
     */
    static final boolean EXP_ZERO_IS_ONE = Math.exp(0.0) == 1.0;

    /** Stable {@code log(sum_j exp(a_j))} of {@code len} values from {@code off}. */
    public static double logSumExp(double[] a, int off, int len) {
        double m = max(a, off, len);
        return m + Math.log(sumExp(a, off, len, m));
    }

    /**
     * Writes the softmax of {@code len} values from {@code a[off]} to {@code out[outOff]}
     * ({@code out} may be {@code a} with the same offset).
     */
    public static void softmax(double[] a, int off, int len, double[] out, int outOff) {
        // the first largest value is max(a); its exp(0.0) is exactly 1.0 (see sumExpOverTop)
        int top = argmax(a, off, len);
        double m = a[off + top];
        boolean skipTop = EXP_ZERO_IS_ONE && Double.isFinite(m);
        double s = 0;
        for (int j = 0; j < len; j++) {
            double e = skipTop && j == top ? 1.0 : Math.exp(a[off + j] - m);
            out[outOff + j] = e;
            s += e;
        }
        double inv = 1.0 / s;
        for (int j = 0; j < len; j++) {
            out[outOff + j] *= inv;
        }
    }

    /** Softmax of one row, as a new array. */
    public static double[] softmax(double[] row) {
        double[] out = new double[row.length];
        softmax(row, 0, row.length, out, 0);
        return out;
    }

    /** Largest softmax probability of a row: {@code 1 / sum_j exp(z_j - max)}. */
    public static double maxProbability(double[] a, int off, int len) {
        return 1.0 / sumExpOverTop(a, off, len, argmax(a, off, len));
    }

    /**
     * Negative log-likelihood of {@code label} under the softmax of a row,
     * {@code (max - z_y) + log(sum exp(z - max))}: accurate for large shifts, finite for finite z.
     */
    public static double nll(double[] z, int off, int len, int label) {
        int top = argmax(z, off, len);
        return (z[off + top] - z[off + label]) + Math.log(sumExpOverTop(z, off, len, top));
    }

    /** The logistic function, sign-split so that it never overflows. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + exp(z))}, stable for any finite z. */
    public static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
