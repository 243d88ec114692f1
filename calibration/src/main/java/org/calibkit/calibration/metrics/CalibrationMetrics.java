// Over 400 lines: every metric formula of Metrics.ALL in one place (each a few lines, cited), so the definitions can be read side by side.
package org.calibkit.calibration.metrics;

import java.util.Objects;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.RowChunks;
import org.calibkit.calibration.Softmax;

/**
 * Calibration metrics as pure static functions over {@link Probabilities} or {@link Logits} and
 * integer labels. Top-label (confidence of the arg-max, first on ties) unless the name says
 * otherwise. Definitions, conventions and citations: docs/calibration-metrics.md.
 *
 * <p>Equal-width bins follow {@link ReliabilityBins}: bin b holds {@code (b/B, (b+1)/B]}, a
 * confidence of 0 goes to the first bin and exactly 1.0 to the last. Equal-mass bins follow
 * Kumar et al. (2019), see {@link #eceEqualMass(Probabilities, int[], int)}.
 */
public final class CalibrationMetrics {
    /** Number of bins used when none is given (as Guo et al. 2017). */
    public static final int DEFAULT_BINS = 15;
    /**
     * Floor applied to the probability of the true class in {@link #nll(Probabilities, int[])}:
     * {@code -log(max(p_y, 1e-15))}, so a probability of exactly 0 costs at most 34.54 nats instead
     * of infinity (the value scikit-learn's log_loss used by default).
     */
    public static final double NLL_EPSILON = 1e-15;

    private static final int PARALLEL_CHUNK = 1 << 15;

    private CalibrationMetrics() {
    }

    // ---------------------------------------------------------------- accuracy, NLL, Brier

    /** Fraction of rows whose arg-max (first on ties) equals the label. */
    public static double accuracy(Probabilities p, int[] labels) {
        return accuracy(TopLabel.of(p, labels));
    }

    /** Fraction of rows whose arg-max logit (first on ties) equals the label. */
    public static double accuracy(Logits logits, int[] labels) {
        Checks.labelled("logits", logits, labels);
        int[] am = logits.argmax();
        long c = 0;
        for (int i = 0; i < am.length; i++) {
            if (am[i] == labels[i]) {
                c++;
            }
        }
        return (double) c / am.length;
    }

    /** Fraction correct of top-label predictions. */
    public static double accuracy(TopLabel t) {
        boolean[] ok = t.rawCorrect();
        long c = 0;
        for (boolean b : ok) {
            if (b) {
                c++;
            }
        }
        return (double) c / ok.length;
    }

    /**
     * Mean negative log-likelihood of the labels, exact through log-softmax:
     * {@code mean_i (logsumexp(z_i) - z_i,y_i)}. Finite for any finite logits.
     */
    public static double nll(Logits logits, int[] labels) {
        Checks.labelled("logits", logits, labels);
        double[] z = logits.raw();
        int k = logits.k();
        double s = 0;
        for (int i = 0; i < logits.n(); i++) {
            s += rowNll(z, i * k, k, labels[i]);
        }
        return s / logits.n();
    }

    /** {@code logsumexp(z) - z_y} as {@code (max - z_y) + log(sum exp(z - max))}, accurate for large shifts. */
    static double rowNll(double[] z, int off, int k, int label) {
        return Softmax.nll(z, off, k, label);
    }

    /**
     * Mean negative log-likelihood {@code mean_i -log(max(p_i,y_i, NLL_EPSILON))}: a probability of
     * exactly 0 for the true class is clipped at {@link #NLL_EPSILON}, never NaN or infinity. For
     * independent (one-vs-rest) probabilities this is the log loss of the true class's
     * probability as given, not renormalised.
     */
    public static double nll(Probabilities p, int[] labels) {
        Checks.labelled("probabilities", p, labels);
        double[] v = p.raw();
        int k = p.k();
        double s = 0;
        for (int i = 0; i < p.n(); i++) {
            s -= Math.log(Math.max(v[i * k + labels[i]], NLL_EPSILON));
        }
        return s / p.n();
    }

    /**
     * Brier score summed over classes (Brier 1950): {@code mean_i sum_j (p_ij - [y_i = j])^2}, in
     * [0, 2] for normalised probabilities.
     */
    public static double brier(Probabilities p, int[] labels) {
        Checks.labelled("probabilities", p, labels);
        double[] v = p.raw();
        int k = p.k();
        double s = 0;
        for (int i = 0; i < p.n(); i++) {
            int off = i * k;
            for (int j = 0; j < k; j++) {
                double d = v[off + j] - (labels[i] == j ? 1.0 : 0.0);
                s += d * d;
            }
        }
        return s / p.n();
    }

    /** Brier score of the softmax of the logits. */
    public static double brier(Logits logits, int[] labels) {
        Objects.requireNonNull(logits, "logits");
        return brier(logits.softmax(), labels);
    }

    /** Brier score as a mean over classes too: {@link #brier} / K, in [0, 2/K]. */
    public static double brierPerClass(Probabilities p, int[] labels) {
        return brier(p, labels) / p.k();
    }

    // ---------------------------------------------------------------- equal-width binned

    /** Equal-width top-label reliability bins. */
    public static ReliabilityBins reliabilityBins(Probabilities p, int[] labels, int bins) {
        Checks.positive("bins", bins);
        TopLabel t = TopLabel.of(p, labels);
        return ReliabilityBins.of(t.rawConfidences(), t.rawCorrect(), bins);
    }

    /**
     * Equal-width top-label reliability bins straight from logits, one pass per row (max,
     * arg-max and log-sum-exp), in parallel chunks for large inputs. The accumulator's sums are
     * exact, so the result does not depend on the chunking or the thread schedule.
     */
    public static ReliabilityBins reliabilityBins(Logits logits, int[] labels, int bins) {
        Objects.requireNonNull(logits, "logits");
        Checks.positive("bins", bins);
        Checks.labels("labels", labels, logits.n(), logits.k());
        int n = logits.n();
        int k = logits.k();
        double[] z = logits.raw();
        // fused: arg-max, confidence and bin per row, straight into the chunk's accumulator
        ReliabilityBins.Accumulator[] parts = RowChunks.map(n, PARALLEL_CHUNK, (from, to) -> {
            ReliabilityBins.Accumulator acc = new ReliabilityBins.Accumulator(bins);
            for (int i = from; i < to; i++) {
                int best = Softmax.argmax(z, i * k, k);
                acc.add(TopLabel.confidence(z, i * k, k, best), best == labels[i]);
            }
            return acc;
        }, ReliabilityBins.Accumulator[]::new);
        ReliabilityBins.Accumulator all = new ReliabilityBins.Accumulator(bins);
        for (ReliabilityBins.Accumulator a : parts) {
            all.merge(a);
        }
        return all.toBins();
    }

    /**
     * Expected calibration error (Naeini et al. 2015; Guo et al. 2017) with equal-width bins:
     * {@code sum_b (n_b / n) |acc_b - conf_b|}.
     */
    public static double ece(Probabilities p, int[] labels, int bins) {
        return ece(reliabilityBins(p, labels, bins));
    }

    /** ECE straight from logits (see {@link #reliabilityBins(Logits, int[], int)}). */
    public static double ece(Logits logits, int[] labels, int bins) {
        return ece(reliabilityBins(logits, labels, bins));
    }

    /** ECE of top-label confidences. */
    public static double ece(TopLabel t, int bins) {
        return ece(ReliabilityBins.of(t.rawConfidences(), t.rawCorrect(), bins));
    }

    /** ECE from reliability bins: {@code sum_b |correct_b - confidenceSum_b| / n}. */
    public static double ece(ReliabilityBins rb) {
        nonEmpty(rb);
        double s = 0;
        for (int b = 0; b < rb.numBins(); b++) {
            s += Math.abs(rb.correctCount(b) - rb.confidenceSum(b));
        }
        return s / rb.total();
    }

    /** Maximum calibration error (Naeini et al. 2015): the largest |acc_b - conf_b| over non-empty equal-width bins. */
    public static double mce(Probabilities p, int[] labels, int bins) {
        return mce(reliabilityBins(p, labels, bins));
    }

    /** MCE straight from logits. */
    public static double mce(Logits logits, int[] labels, int bins) {
        return mce(reliabilityBins(logits, labels, bins));
    }

    /** MCE of top-label confidences. */
    public static double mce(TopLabel t, int bins) {
        return mce(ReliabilityBins.of(t.rawConfidences(), t.rawCorrect(), bins));
    }

    /** MCE from reliability bins (empty bins are skipped). */
    public static double mce(ReliabilityBins rb) {
        nonEmpty(rb);
        double m = 0;
        for (int b = 0; b < rb.numBins(); b++) {
            if (rb.count(b) > 0) {
                m = Math.max(m, Math.abs(rb.accuracy(b) - rb.meanConfidence(b)));
            }
        }
        return m;
    }

    /**
     * Root-mean-square calibration error with equal-width bins, the "l2" norm of torchmetrics'
     * calibration error: {@code sqrt(sum_b (n_b / n) (acc_b - conf_b)^2)}.
     */
    public static double eceL2(Probabilities p, int[] labels, int bins) {
        return eceL2(reliabilityBins(p, labels, bins));
    }

    /** RMS calibration error from reliability bins. */
    public static double eceL2(ReliabilityBins rb) {
        nonEmpty(rb);
        double s = 0;
        for (int b = 0; b < rb.numBins(); b++) {
            if (rb.count(b) > 0) {
                double d = rb.accuracy(b) - rb.meanConfidence(b);
                s += rb.count(b) * d * d;
            }
        }
        return Math.sqrt(s / rb.total());
    }

    private static void nonEmpty(ReliabilityBins rb) {
        Objects.requireNonNull(rb, "bins");
        if (rb.total() == 0) {
            throw new IllegalArgumentException("Expected bins holding at least one prediction, but they are empty");
        }
    }

    // ---------------------------------------------------------------- equal-mass binned

    /**
     * ECE with equal-mass (adaptive) bins: {@code sum_b (n_b / n) |acc_b - conf_b|} where the bins
     * hold about n / B predictions each. Edges as Kumar et al. (2019): sorted confidences split
     * as numpy.array_split, edges half-way between neighbouring groups, last edge 1.0, bins
     * right-closed, ties always share a bin (so fewer than B bins when many confidences tie).
     * The same estimator as {@code get_ece_em} of Kumar et al.'s uncertainty-calibration package.
     */
    public static double eceEqualMass(Probabilities p, int[] labels, int bins) {
        return eceEqualMass(TopLabel.of(p, labels), bins);
    }

    /** Equal-mass ECE straight from logits. */
    public static double eceEqualMass(Logits logits, int[] labels, int bins) {
        return eceEqualMass(TopLabel.of(logits, labels), bins);
    }

    /** Equal-mass ECE of top-label confidences. */
    public static double eceEqualMass(TopLabel t, int bins) {
        Checks.positive("bins", bins);
        return eceFromStats(EqualMass.stats(t.rawConfidences(), t.rawCorrect(), bins));
    }

    static double eceFromStats(EqualMass.Stats s) {
        double total = 0;
        double e = 0;
        for (int b = 0; b < s.bins(); b++) {
            total += s.count()[b];
            e += Math.abs(s.targetSum()[b] - s.valueSum()[b]);
        }
        return e / total;
    }

    /**
     * Debiased calibration error of Kumar, Liang and Ma (2019), "Verified Uncertainty
     * Calibration", NeurIPS: the plug-in estimate of the squared L2 calibration error with each
     * bin's bias removed, {@code sum_b (n_b/n) [(conf_b - acc_b)^2 - acc_b (1 - acc_b) / (n_b - 1)]}
     * (bins with fewer than 2 predictions contribute 0), over equal-mass bins (their default),
     * reported as its square root {@code sqrt(max(0, .))}: the debiased L2-ECE, on the same scale
     * as {@link #eceL2}. Same estimator as {@code lower_bound_scaling_top_ce(probs, labels, p=2,
     * debias=True, num_bins=B)} of their uncertainty-calibration package (which
     * {@code get_top_calibration_error} calls for non-discrete confidences).
     */
    public static double debiasedEce(Probabilities p, int[] labels, int bins) {
        return debiasedEce(TopLabel.of(p, labels), bins);
    }

    /** Debiased L2-ECE of top-label confidences. */
    public static double debiasedEce(TopLabel t, int bins) {
        Checks.positive("bins", bins);
        return debiasedFromStats(EqualMass.stats(t.rawConfidences(), t.rawCorrect(), bins));
    }

    static double debiasedFromStats(EqualMass.Stats s) {
        double total = 0;
        for (double c : s.count()) {
            total += c;
        }
        double sq = 0;
        for (int b = 0; b < s.bins(); b++) {
            double nb = s.count()[b];
            if (nb < 2) {
                continue;
            }
            double acc = s.targetSum()[b] / nb;
            double conf = s.valueSum()[b] / nb;
            double d = conf - acc;
            sq += (nb / total) * (d * d - acc * (1 - acc) / (nb - 1));
        }
        return Math.sqrt(Math.max(0, sq));
    }

    // ---------------------------------------------------------------- all-class metrics

    /** Classwise bins of probabilities (one equal-width histogram per class). */
    public static ClasswiseBins classwiseBins(Probabilities p, int[] labels, int bins) {
        return ClasswiseBins.of(p, labels, bins);
    }

    /**
     * Classwise ECE (Kull et al. 2019, "Beyond temperature scaling", NeurIPS):
     * {@code (1/K) sum_j sum_b (n_jb / n) |freq_jb - conf_jb|}, where class j's probabilities are
     * binned in equal-width bins, freq_jb is the fraction of rows in bin b with label j and
     * conf_jb their mean probability of class j.
     */
    public static double classwiseEce(Probabilities p, int[] labels, int bins) {
        return classwiseEce(ClasswiseBins.of(p, labels, bins));
    }

    /** Classwise ECE from (possibly merged) classwise bins. */
    public static double classwiseEce(ClasswiseBins cb) {
        Objects.requireNonNull(cb, "bins");
        if (cb.total() == 0) {
            throw new IllegalArgumentException("Expected bins holding at least one prediction, but they are empty");
        }
        double n = cb.total();
        double s = 0;
        for (int j = 0; j < cb.numClasses(); j++) {
            for (int b = 0; b < cb.numBins(); b++) {
                s += Math.abs(cb.positives(j, b) - cb.probabilitySum(j, b));
            }
        }
        return s / n / cb.numClasses();
    }

    /**
     * Adaptive calibration error (Nixon et al. 2019, "Measuring Calibration in Deep Learning",
     * CVPR workshops): for every class k, class k's probabilities of all n rows are put in R
     * equal-mass bins ({@link #eceEqualMass} convention) and ACE is the unweighted mean of
     * |acc(r,k) - conf(r,k)| over all non-empty (class, bin) pairs, which is
     * {@code (1/(K R)) sum_k sum_r |acc - conf|} when no ties merge bins.
     */
    public static double ace(Probabilities p, int[] labels, int bins) {
        Objects.requireNonNull(p, "probabilities");
        Checks.positive("bins", bins);
        Checks.labels("labels", labels, p.n(), p.k());
        int n = p.n();
        int k = p.k();
        double sum = 0;
        long[] pairs = {0};
        double[] col = new double[n];
        boolean[] tgt = new boolean[n];
        for (int j = 0; j < k; j++) {
            p.oneVsRest(j, labels, col, tgt);
            sum = aceAdd(EqualMass.stats(col, tgt, bins), sum, pairs);
        }
        return sum / pairs[0];
    }

    /** Adds one class's |acc - conf| of its non-empty bins to {@code sum}, counting them in {@code pairs[0]}. */
    static double aceAdd(EqualMass.Stats s, double sum, long[] pairs) {
        for (int b = 0; b < s.bins(); b++) {
            double c = s.count()[b];
            if (c > 0) {
                sum += Math.abs(s.targetSum()[b] - s.valueSum()[b]) / c;
                pairs[0]++;
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- smooth ECE

    /**
     * SmoothECE of Błasiok and Nakkiran (2023), "Smooth ECE: Principled Reliability Diagrams via
     * Kernel Smoothing" (arXiv 2309.12236): the top-label residuals smoothed with a Gaussian kernel
     * reflected at 0 and 1, integrated in absolute value, with the bandwidth sigma chosen by their
     * fixed-point rule smECE_sigma = sigma. Hyper-parameter free.
     */
    public static double smoothEce(Probabilities p, int[] labels) {
        return smoothEce(TopLabel.of(p, labels));
    }

    /** SmoothECE of top-label confidences. */
    public static double smoothEce(TopLabel t) {
        return SmoothEce.compute(t.rawConfidences(), t.rawCorrect(), null).value();
    }

    /** The fixed-point bandwidth sigma* of {@link #smoothEce(TopLabel)}. */
    public static double smoothEceBandwidth(TopLabel t) {
        return SmoothEce.compute(t.rawConfidences(), t.rawCorrect(), null).bandwidth();
    }

    /** smECE at a given bandwidth sigma in (0, 1] (no fixed-point search). */
    public static double smoothEce(TopLabel t, double sigma) {
        Checks.positive("sigma", sigma);
        return SmoothEce.at(t.rawConfidences(), t.rawCorrect(), null, t.n(), sigma);
    }

    /**
     * Signed calibration error: {@code mean confidence - accuracy}, i.e. the bin-weighted sum of
     * {@code conf_b - acc_b} over any binning. Positive = overconfident, negative =
     * underconfident; |signed| &lt;= ECE, with equality when every bin errs the same way.
     */
    public static double signedEce(TopLabel t) {
        Objects.requireNonNull(t, "topLabel");
        double[] c = t.rawConfidences();
        boolean[] ok = t.rawCorrect();
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += c[i] - (ok[i] ? 1 : 0);
        }
        return s / c.length;
    }

    // ---------------------------------------------------------------- summary

    /** All metrics of {@link Metrics#ALL} for probabilities (NLL clipped at {@link #NLL_EPSILON}). */
    public static MetricSummary summary(Probabilities p, int[] labels, int bins) {
        return Metrics.summary(Predictions.of(p, labels), bins);
    }

    /** All metrics of {@link Metrics#ALL} for the softmax of logits; NLL is the exact log-softmax one. */
    public static MetricSummary summary(Logits logits, int[] labels, int bins) {
        return Metrics.summary(Predictions.of(logits, labels), bins);
    }
}
