package org.calibkit.spark.audit;

import java.io.Serializable;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.ClasswiseBins;
import org.calibkit.calibration.metrics.Predictions;

/**
 * Mergeable sums of one side (before or after calibration) of the test split, for every metric
 * of the audit that reduces to sums: the row count, the sums of the rows' NLL and Brier score,
 * calibration's own top-label {@link ReliabilityBins.Accumulator} (ECE, MCE, accuracy, signed
 * ECE, the diagram), its {@link ClasswiseBins.Accumulator} (classwise ECE, the per-class table),
 * the 20-bin confidence histogram, per class the rows predicted right, and Spiegelhalter's two
 * sums; and the same sums of each bootstrap replicate, every row counted with its Poisson(1)
 * weight. Rows come in as {@link Predictions} (calibration's per-row numbers) through
 * {@link #add}. Counts and the binned confidence and probability sums are exact fixed point,
 * so they do not depend on partitioning; the NLL, Brier and Spiegelhalter sums are ordinary
 * double sums (partitioning changes them by rounding only). Not thread-safe.
 */
final class SplitSums implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Equal-width bins of the confidence histogram (the single-machine audit's {@code Summaries.HISTOGRAM_BINS}). */
    static final int HISTOGRAM_BINS = 20;

    final int k;
    final int bins;
    long n;
    double nllSum;
    double brierSum;
    double spiegelhalterNumerator;
    double spiegelhalterVariance;
    final ReliabilityBins.Accumulator top;
    final ClasswiseBins.Accumulator classwise;
    final ReliabilityBins.Accumulator histogram;
    final long[] hits;
    /** Per replicate: the summed weights and the weighted sums. */
    final long[] weight;
    final double[] nllW;
    final double[] brierW;
    final ReliabilityBins.Accumulator[] topW;
    final ClasswiseBins.Accumulator[] classwiseW;

    SplitSums(int k, int bins, int replicates) {
        this.k = k;
        this.bins = bins;
        top = new ReliabilityBins.Accumulator(bins);
        classwise = new ClasswiseBins.Accumulator(k, bins);
        histogram = new ReliabilityBins.Accumulator(HISTOGRAM_BINS);
        hits = new long[k];
        weight = new long[replicates];
        nllW = new double[replicates];
        brierW = new double[replicates];
        topW = new ReliabilityBins.Accumulator[replicates];
        classwiseW = new ClasswiseBins.Accumulator[replicates];
        for (int r = 0; r < replicates; r++) {
            topW[r] = new ReliabilityBins.Accumulator(bins);
            classwiseW[r] = new ClasswiseBins.Accumulator(k, bins);
        }
    }

    /**
     * Adds a chunk of rows.
     *
     * @param p       the chunk's predictions
     * @param weights per replicate, each row's Poisson(1) weight ({@code weights[r][i]})
     */
    void add(Predictions p, int[][] weights) {
        int rows = p.n();
        int[] y = p.labels();
        for (double x : p.rowNll()) {
            nllSum += x;
        }
        brierSum += CalibrationMetrics.brier(p.probabilities(), y) * rows;
        p.topLabel().addTo(top);
        classwise.add(p.probabilities(), y);
        histogram.add(p.topLabel().confidences(), p.topLabel().correct());
        int[] pred = p.probabilities().argmax();
        for (int i = 0; i < rows; i++) {
            if (pred[i] == y[i]) {
                hits[y[i]]++;
            }
            // Spiegelhalter's Z of the top-label confidence (CalibrationTests.spiegelhalter's sums)
            double c = p.topLabel().confidence(i);
            double w = 1 - 2 * c;
            spiegelhalterNumerator += ((p.topLabel().isCorrect(i) ? 1.0 : 0.0) - c) * w;
            spiegelhalterVariance += w * w * c * (1 - c);
        }
        n += rows;
        for (int r = 0; r < weight.length; r++) {
            int[] idx = repeated(weights[r]);
            if (idx.length == 0) {
                continue;
            }
            // the replicate's rows, each as often as its weight: the same metric functions then apply
            Predictions s = p.select(idx);
            weight[r] += idx.length;
            for (double x : s.rowNll()) {
                nllW[r] += x;
            }
            brierW[r] += CalibrationMetrics.brier(s.probabilities(), s.labels()) * idx.length;
            s.topLabel().addTo(topW[r]);
            classwiseW[r].add(s.probabilities(), s.labels());
        }
    }

    /** Row i repeated w[i] times, in row order. */
    private static int[] repeated(int[] w) {
        int total = 0;
        for (int x : w) {
            total += x;
        }
        int[] idx = new int[total];
        int at = 0;
        for (int i = 0; i < w.length; i++) {
            for (int c = 0; c < w[i]; c++) {
                idx[at++] = i;
            }
        }
        return idx;
    }

    /** Adds the other sums into these (same K, bins and replicates). */
    SplitSums merge(SplitSums o) {
        if (o.k != k || o.bins != bins || o.weight.length != weight.length) {
            throw new IllegalArgumentException("Cannot merge sums of " + k + " classes x " + bins + " bins x "
                    + weight.length + " replicates and " + o.k + " x " + o.bins + " x " + o.weight.length);
        }
        n += o.n;
        nllSum += o.nllSum;
        brierSum += o.brierSum;
        spiegelhalterNumerator += o.spiegelhalterNumerator;
        spiegelhalterVariance += o.spiegelhalterVariance;
        top.merge(o.top);
        classwise.merge(o.classwise);
        histogram.merge(o.histogram);
        for (int j = 0; j < k; j++) {
            hits[j] += o.hits[j];
        }
        for (int r = 0; r < weight.length; r++) {
            weight[r] += o.weight[r];
            nllW[r] += o.nllW[r];
            brierW[r] += o.brierW[r];
            topW[r].merge(o.topW[r]);
            classwiseW[r].merge(o.classwiseW[r]);
        }
        return this;
    }

    /** The sum metrics of all rows, keyed as in {@code Metrics.ALL}: see {@link SumValues}. */
    SumValues values() {
        return SumValues.of(n, nllSum, brierSum, top.toBins(), classwise.toBins());
    }

    /** The sum metrics of replicate r (rows weighted), or null when its weights are all 0. */
    SumValues replicate(int r) {
        return weight[r] == 0 ? null : SumValues.of(weight[r], nllW[r], brierW[r], topW[r].toBins(), classwiseW[r].toBins());
    }

    /**
     * The metrics of {@code Metrics.ALL} that reduce to these sums, from calibration's own
     * functions on the merged bins.
     */
    record SumValues(double accuracy, double nll, double brier, double ece, double mce, double signedEce,
                     double classwiseEce) {
        static SumValues of(long n, double nllSum, double brierSum, ReliabilityBins rb, ClasswiseBins cb) {
            long correct = 0;
            double confidence = 0;
            for (int b = 0; b < rb.numBins(); b++) {
                correct += rb.correctCount(b);
                confidence += rb.confidenceSum(b);
            }
            return new SumValues((double) correct / n, nllSum / n, brierSum / n, CalibrationMetrics.ece(rb),
                    CalibrationMetrics.mce(rb), (confidence - correct) / n, CalibrationMetrics.classwiseEce(cb));
        }

        /** The value of a metric key, or NaN for a key these sums do not give. */
        double get(String key) {
            return switch (key) {
                case "accuracy" -> accuracy;
                case "nll" -> nll;
                case "brier" -> brier;
                case "ece" -> ece;
                case "mce" -> mce;
                case "signed_ece" -> signedEce;
                case "classwise_ece" -> classwiseEce;
                default -> Double.NaN;
            };
        }

        /** The metric keys these sums give, in {@code Metrics.ALL} order. */
        static final java.util.List<String> KEYS = java.util.List.of("accuracy", "nll", "brier", "ece", "mce",
                "signed_ece", "classwise_ece");
    }
}
