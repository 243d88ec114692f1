package org.calibkit.core.train;

import org.calibkit.core.model.Head;

/**
 * Accuracy and negative log-likelihood from raw logits: pure static functions.
 *
 * <p>NLL follows the head: softmax gives {@code -log softmax(z)_y} (log-sum-exp, so saturated
 * logits never give infinity from rounding); sigmoid gives the one-vs-rest likelihood the head
 * was trained on, {@code sum_k BCE(z_k, [k == y])}. Both are averaged over images.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** Fraction of rows whose largest logit is at the label (first maximum on ties). */
    public static double accuracy(double[][] logits, int[] labels) {
        check(logits, labels);
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            if (argmax(logits[i]) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / logits.length;
    }

    /** Index of the first largest value. */
    public static int argmax(double[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Mean negative log-likelihood of the labels under {@code head} (see the class comment). */
    public static double nll(double[][] logits, int[] labels, Head head) {
        check(logits, labels);
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] z = logits[i];
            if (head == Head.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double s = 0;
                for (double v : z) {
                    s += Math.exp(v - max);
                }
                total += max + Math.log(s) - z[labels[i]];
            } else {
                for (int k = 0; k < z.length; k++) {
                    double y = k == labels[i] ? 1 : 0;
                    total += Math.max(z[k], 0) - z[k] * y + Math.log1p(Math.exp(-Math.abs(z[k])));
                }
            }
        }
        return total / logits.length;
    }

    private static void check(double[][] logits, int[] labels) {
        if (logits.length != labels.length) {
            throw new IllegalArgumentException("logits has " + logits.length + " rows but labels has " + labels.length);
        }
        if (logits.length == 0) {
            throw new IllegalArgumentException("Expected at least one row, but got 0");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= logits[i].length) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, " + logits[i].length + ")");
            }
        }
    }
}
