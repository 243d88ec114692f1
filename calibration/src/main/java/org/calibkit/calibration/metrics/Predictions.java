package org.calibkit.calibration.metrics;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.Softmax;

/**
 * Predictions with their true labels: the one input every metric of {@link Metrics} takes.
 * Holds the probabilities, the labels, each row's negative log-likelihood (exact log-softmax when
 * built from logits, clipped at {@link CalibrationMetrics#NLL_EPSILON} when built from
 * probabilities) and the top-label view. Immutable; {@link #select} gives the rows of a
 * bootstrap resample, on which the same metric functions run unchanged.
 */
public final class Predictions {
    private final Probabilities probabilities;
    private final int[] labels;
    private final double[] rowNll;
    private final TopLabel topLabel;

    private Predictions(Probabilities probabilities, int[] labels, double[] rowNll) {
        this.probabilities = probabilities;
        this.labels = labels;
        this.rowNll = rowNll;
        this.topLabel = TopLabel.of(probabilities, labels);
    }

    /** The softmax of {@code logits}, with the exact NLL of the logits. */
    public static Predictions of(Logits logits, int[] labels) {
        Checks.labelled("logits", logits, labels);
        int k = logits.k();
        double[] z = logits.raw();
        double[] nll = new double[logits.n()];
        for (int i = 0; i < nll.length; i++) {
            nll[i] = Softmax.nll(z, i * k, k, labels[i]);
        }
        return new Predictions(logits.softmax(), labels.clone(), nll);
    }

    /**
     * Probabilities as given (normalised or independent one-vs-rest ones); NLL is
     * {@code -log max(p_y, eps)} of the true class's probability, not renormalised.
     */
    public static Predictions of(Probabilities p, int[] labels) {
        Checks.labelled("probabilities", p, labels);
        double[] v = p.raw();
        int k = p.k();
        double[] nll = new double[p.n()];
        for (int i = 0; i < nll.length; i++) {
            nll[i] = -Math.log(Math.max(v[i * k + labels[i]], CalibrationMetrics.NLL_EPSILON));
        }
        return new Predictions(p, labels.clone(), nll);
    }

    public int n() { return labels.length; }
    public int k() { return probabilities.k(); }
    public Probabilities probabilities() { return probabilities; }
    /** The labels (read-only by contract; no copy, for hot loops). */
    public int[] labels() { return labels; }
    /** Per-row negative log-likelihood (read-only by contract). */
    public double[] rowNll() { return rowNll; }
    /** Top-label confidence and correctness of every row. */
    public TopLabel topLabel() { return topLabel; }

    /** Rows {@code idx} in that order (a bootstrap resample or a subset). */
    public Predictions select(int[] idx) {
        int[] lab = new int[idx.length];
        double[] nll = new double[idx.length];
        for (int r = 0; r < idx.length; r++) {
            lab[r] = labels[idx[r]];
            nll[r] = rowNll[idx[r]];
        }
        return new Predictions(probabilities.select(idx), lab, nll);
    }

    @Override
    public String toString() {
        return "Predictions[" + n() + " x " + k() + (probabilities.isNormalized() ? "" : ", independent") + "]";
    }
}
