package org.calibkit.calibration.shift;

/**
 * The confusion matrix expected under a model's probabilities, and the per-class metrics derived
 * from it (the CBPE idea of NannyML: confidence-based performance estimation). Entry
 * {@code [j][k]} is {@code sum_i p_ij [pred_i = k]}, the expected number of inputs of true class
 * {@code j} predicted as {@code k}; recall of class {@code j} is its diagonal over its row sum,
 * precision of {@code k} its diagonal over its column sum, F1 their harmonic mean, macro F1 the mean
 * over the classes whose F1 is defined (NaN when no class has one). Immutable.
 */
public final class ExpectedConfusion {
    private final double[][] matrix;
    private final long n;

    ExpectedConfusion(double[][] matrix, long n) {
        this.n = n;
        this.matrix = new double[matrix.length][];
        for (int j = 0; j < matrix.length; j++) {
            this.matrix[j] = matrix[j].clone();
        }
    }

    /** Predictions behind the matrix. */
    public long n() {
        return n;
    }

    /** A copy of the K x K expected counts, true class by row, predicted class by column. */
    public double[][] matrix() {
        double[][] out = new double[matrix.length][];
        for (int j = 0; j < matrix.length; j++) {
            out[j] = matrix[j].clone();
        }
        return out;
    }

    /** The expected accuracy: the trace over n (AC of the same probabilities). */
    public double accuracy() {
        double t = 0;
        for (int j = 0; j < matrix.length; j++) {
            t += matrix[j][j];
        }
        return t / n;
    }

    /** Expected recall of every class (NaN for a class with no expected members). */
    public double[] recall() {
        double[] r = new double[matrix.length];
        for (int j = 0; j < r.length; j++) {
            double row = 0;
            for (double v : matrix[j]) {
                row += v;
            }
            r[j] = row > 0 ? matrix[j][j] / row : Double.NaN;
        }
        return r;
    }

    /** Expected precision of every class (NaN for a class never predicted). */
    public double[] precision() {
        double[] p = new double[matrix.length];
        for (int k = 0; k < p.length; k++) {
            double col = 0;
            for (double[] row : matrix) {
                col += row[k];
            }
            p[k] = col > 0 ? matrix[k][k] / col : Double.NaN;
        }
        return p;
    }

    /** Per-class F1: {@code 2 P R / (P + R)}, NaN where P or R is undefined or both are 0. */
    public double[] f1() {
        double[] p = precision();
        double[] r = recall();
        double[] f = new double[p.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = p[k] + r[k] > 0 ? 2 * p[k] * r[k] / (p[k] + r[k]) : Double.NaN;
        }
        return f;
    }

    /** The mean F1 over the classes where it is defined. */
    public double macroF1() {
        double s = 0;
        int m = 0;
        for (double v : f1()) {
            if (!Double.isNaN(v)) {
                s += v;
                m++;
            }
        }
        return m == 0 ? Double.NaN : s / m;
    }
}
