package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Softmax;

/**
 * A fitted affine map on logits or log-probabilities: {@code softmax(W x + b)}, where x is the
 * logit row (vector and matrix scaling) or its log-softmax (Dirichlet calibration). Vector
 * scaling has a diagonal W. Immutable: accessors return copies. Fitted by {@link VectorScaling},
 * {@link MatrixScaling} or {@link DirichletCalibration}. Its iterations are L-BFGS iterations; it
 * converged when the gradient of the penalised objective met the tolerance; its NLL after the fit
 * is without the penalty.
 */
public final class LinearMap extends FittedLogitMap {
    /** What the map multiplies by W. */
    public enum Input {
        /** The logits themselves (vector and matrix scaling). */
        LOGITS,
        /** The log-softmax of the logits, i.e. log-probabilities (Dirichlet calibration). */
        LOG_PROBABILITIES
    }

    private final Input input;
    private final double[] w;      // k * k row-major
    private final double[] b;
    private final double lambda;
    private final double mu;
    private final double gradientNorm;

    LinearMap(String method, Input input, int k, double[] w, double[] b, double lambda, double mu,
              double nllBefore, double nllAfter, int iterations, boolean converged, double gradientNorm) {
        super(method, k, nllBefore, nllAfter, iterations, converged);
        this.input = input;
        this.w = w;
        this.b = b;
        this.lambda = lambda;
        this.mu = mu;
        this.gradientNorm = gradientNorm;
    }

    /**
     * A map fitted elsewhere, e.g. by distributed passes over a prediction log (calibkit-spark),
     * with that fit's diagnostics; validated as a stored map is.
     *
     * @param method  the calibrator's {@link Calibrator#method()} ({@code vector}, {@code matrix}, {@code dirichlet})
     * @param weights W, k rows of k
     * @param bias    b, k entries
     */
    public static LinearMap of(String method, Input input, double[][] weights, double[] bias, double lambda, double mu,
                               double nllBefore, double nllAfter, int iterations, boolean converged, double gradientNorm) {
        int k = bias.length;
        if (weights.length != k) {
            throw new IllegalArgumentException("Expected W of " + k + " rows for " + k + " biases, but got " + weights.length);
        }
        double[] w = new double[k * k];
        for (int r = 0; r < k; r++) {
            if (weights[r].length != k) {
                throw new IllegalArgumentException("Expected row " + r + " of W to have " + k + " entries, but got "
                        + weights[r].length);
            }
            System.arraycopy(weights[r], 0, w, r * k, k);
        }
        for (double v : w) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Expected finite weights, but got " + v);
            }
        }
        for (double v : bias) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Expected finite biases, but got " + v);
            }
        }
        return new LinearMap(method, input, k, w, bias.clone(), lambda, mu, nllBefore, nllAfter, iterations, converged,
                gradientNorm);
    }

    /** Subtracts b's mean from every entry, in place: softmax cannot tell b from b plus a constant. */
    public static void centreBias(double[] b) {
        int k = b.length;
        double mean = 0;
        for (double v : b) {
            mean += v / k;
        }
        for (int r = 0; r < k; r++) {
            b[r] -= mean;
        }
    }

    /**
     * Subtracts from each column of W (k x k, row-major) the mean of its off-diagonal entries, in
     * place: the whole column, diagonal included, which adds the same vector to every row of W
     * and leaves softmax unchanged. The representative whose ODIR penalty is smallest.
     */
    public static void centreColumns(double[] w, int k) {
        for (int c = 0; c < k; c++) {
            double mean = 0;
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    mean += w[r * k + c] / (k - 1);
                }
            }
            for (int r = 0; r < k; r++) {
                w[r * k + c] -= mean;
            }
        }
    }

    /** The method's input for the given logits, row-major n x k (a fresh array). */
    static double[] inputOf(Input input, Logits logits) {
        if (input == Input.LOGITS) {
            return logits.raw().clone();
        }
        int n = logits.n();
        int k = logits.k();
        double[] z = logits.raw();
        double[] out = new double[z.length];
        for (int i = 0; i < n; i++) {
            double lse = Softmax.logSumExp(z, i * k, k);
            for (int j = 0; j < k; j++) {
                out[i * k + j] = z[i * k + j] - lse;
            }
        }
        return out;
    }

    /** {@code W x + b} per row, where x is the logits or their log-softmax (see {@link #input()}). */
    @Override
    public Logits calibratedLogits(Logits logits) {
        checkClasses(logits);
        int n = logits.n();
        int k = numClasses();
        double[] x = inputOf(input, logits);
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            for (int r = 0; r < k; r++) {
                double v = b[r];
                for (int c = 0; c < k; c++) {
                    v += w[r * k + c] * x[off + c];
                }
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("calibrated scores overflow at row " + i
                            + " (" + method() + " map with |W x + b| beyond the double range)");
                }
                out[off + r] = v;
            }
        }
        return Logits.of(out, n, k);
    }

    /** What W multiplies. */
    public Input input() { return input; }
    /** W as k rows of k (a copy). */
    public double[][] weights() {
        int k = numClasses();
        double[][] m = new double[k][k];
        for (int r = 0; r < k; r++) {
            System.arraycopy(w, r * k, m[r], 0, k);
        }
        return m;
    }
    /** The intercept b (a copy). */
    public double[] bias() { return b.clone(); }
    /** Off-diagonal L2 penalty used in the fit (ODIR lambda). */
    public double lambda() { return lambda; }
    /** Intercept L2 penalty used in the fit (ODIR mu). */
    public double mu() { return mu; }
    /** Largest absolute gradient entry of the penalised objective at the fitted parameters. */
    public double gradientNorm() { return gradientNorm; }

    @Override
    void putParameters(Map<String, Object> m) {
        m.put("input", input.name().toLowerCase(Locale.ROOT));
        m.put("weights", weights());
        m.put("bias", bias());
        m.put("lambda", lambda);
        m.put("mu", mu);
        putFitParameters(m);
        m.put("gradientNorm", gradientNorm);
    }

    @Override
    void putJson(ObjectNode o) {
        o.put("input", input.name().toLowerCase(Locale.ROOT));
        o.set("weights", MapJson.matrix(weights()));
        o.set("bias", MapJson.array(b));
        o.put("lambda", lambda);
        o.put("mu", mu);
        putNllJson(o);
        putStepsJson(o);
        MapJson.putFiniteOrNull(o, "gradientNorm", gradientNorm);
    }

    static LinearMap fromJson(JsonNode root, String method, int k) {
        Input expected = method.equals(DirichletCalibration.METHOD) ? Input.LOG_PROBABILITIES : Input.LOGITS;
        String in = MapJson.text(root, "input", method);
        if (!in.equals(expected.name().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected input '"
                    + expected.name().toLowerCase(Locale.ROOT) + "', but got '" + in + "'");
        }
        double[][] wm = MapJson.matrix(root, "weights", k, k, method);
        double[] w = new double[k * k];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                if (method.equals(VectorScaling.METHOD) && r != c && wm[r][c] != 0) {
                    throw new IllegalArgumentException("calibration map (vector): expected a diagonal weights matrix,"
                            + " but weights[" + r + "][" + c + "] = " + wm[r][c]);
                }
                w[r * k + c] = wm[r][c];
            }
        }
        double[] b = MapJson.vector(root, "bias", k, method);
        double lambda = MapJson.finite(root, "lambda", method);
        double mu = MapJson.finite(root, "mu", method);
        int iterations = MapJson.iterations(root, method);
        boolean converged = MapJson.converged(root, method);
        return new LinearMap(method, expected, k, w, b, lambda, mu, MapJson.optionalFinite(root, "nllBefore", method),
                MapJson.optionalFinite(root, "nllAfter", method), iterations, converged, MapJson.optionalFinite(root, "gradientNorm", method));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LinearMap[%s, K=%d, ", method(), numClasses()) + fitSummary() + "]";
    }
}
