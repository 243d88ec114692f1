package org.calibkit.calibration.metrics;

import java.util.Objects;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.RowChunks;
import org.calibkit.calibration.Softmax;

/**
 * Top-label view of predictions: per row the confidence of the predicted class (the largest
 * probability, the first on ties) and whether that class was the label. All top-label metrics
 * (accuracy, ECE, MCE, equal-mass ECE, debiased ECE, smooth ECE) depend only on these two arrays,
 * which is why the bootstrap resamples them instead of whole probability matrices. Immutable.
 */
public final class TopLabel {
    private final double[] confidences;
    private final boolean[] correct;

    private TopLabel(double[] confidences, boolean[] correct) {
        this.confidences = confidences;
        this.correct = correct;
    }

    /** Trusted wrap (no copy, no validation) for arrays built inside this package. */
    static TopLabel wrap(double[] confidences, boolean[] correct) {
        return new TopLabel(confidences, correct);
    }

    /**
     * Confidences in [0, 1] and correctness flags (copied).
     *
     * @throws IllegalArgumentException for empty input, mismatched lengths or a confidence outside
     *                                  [0, 1] (naming the row)
     */
    public static TopLabel of(double[] confidences, boolean[] correct) {
        Checks.nonEmptySameLength("confidences", confidences, "correct", correct);
        for (int i = 0; i < confidences.length; i++) {
            double c = confidences[i];
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("Expected confidences in [0, 1], but got " + c + " at row " + i);
            }
        }
        return new TopLabel(confidences.clone(), correct.clone());
    }

    /** Top-label confidences and correctness of probabilities against labels. */
    public static TopLabel of(Probabilities p, int[] labels) {
        Checks.labelled("probabilities", p, labels);
        int n = p.n();
        int k = p.k();
        double[] v = p.raw();
        double[] conf = new double[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            int best = Softmax.argmax(v, i * k, k);
            conf[i] = v[i * k + best];
            ok[i] = best == labels[i];
        }
        return new TopLabel(conf, ok);
    }

    /**
     * Top-label confidences straight from logits in one pass per row: the arg-max (first on ties)
     * and {@code 1 / sum_j exp(z_j - max)}, the softmax probability of the arg-max computed with
     * log-sum-exp, so saturated logits give exactly 1.0 and never NaN.
     */
    public static TopLabel of(Logits logits, int[] labels) {
        Checks.labelled("logits", logits, labels);
        int n = logits.n();
        double[] conf = new double[n];
        boolean[] ok = new boolean[n];
        double[] z = logits.raw();
        int k = logits.k();
        // every row is written by one chunk only: the same arrays on any number of threads
        RowChunks.forEach(n, RowChunks.rowsPerChunk(k) * 4, (from, to) -> {
            for (int i = from; i < to; i++) {
                int best = Softmax.argmax(z, i * k, k);
                conf[i] = confidence(z, i * k, k, best);
                ok[i] = best == labels[i];
            }
        });
        return new TopLabel(conf, ok);
    }

    /** {@code 1 / sum_j exp(z_j - z_best)} of the row at {@code off}, {@code best} its arg-max. */
    static double confidence(double[] z, int off, int k, int best) {
        return 1.0 / Softmax.sumExpOverTop(z, off, k, best);
    }

    /** Number of predictions. */
    public int n() { return confidences.length; }

    /** Confidence of row i. */
    public double confidence(int i) { return confidences[i]; }

    /** Whether row i was predicted correctly. */
    public boolean isCorrect(int i) { return correct[i]; }

    /** A copy of the confidences. */
    public double[] confidences() { return confidences.clone(); }

    /** A copy of the correctness flags. */
    public boolean[] correct() { return correct.clone(); }

    double[] rawConfidences() { return confidences; }

    boolean[] rawCorrect() { return correct; }

    /**
     * Adds these predictions to a reliability accumulator, e.g. one chunk of a data set too large
     * for memory: {@code TopLabel.of(chunk, chunkLabels).addTo(acc)} for every chunk, then
     * {@code CalibrationMetrics.ece(acc.toBins())} equals the one-pass ECE exactly.
     */
    public ReliabilityBins.Accumulator addTo(ReliabilityBins.Accumulator acc) {
        return acc.add(confidences, correct);
    }

    /** Rows {@code idx} in that order (bootstrap resamples, subsets). */
    public TopLabel select(int[] idx) {
        if (idx.length == 0) {
            throw new IllegalArgumentException("Expected at least one row index, but got none");
        }
        double[] c = new double[idx.length];
        boolean[] o = new boolean[idx.length];
        for (int r = 0; r < idx.length; r++) {
            int i = Objects.checkIndex(idx[r], confidences.length);
            c[r] = confidences[i];
            o[r] = correct[i];
        }
        return new TopLabel(c, o);
    }

    @Override
    public String toString() {
        return "TopLabel[" + confidences.length + "]";
    }
}
