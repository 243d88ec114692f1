package org.calibkit.spark.audit;

import java.io.Serializable;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.ClasswiseBins;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.PoissonWeights;

/**
 * Mergeable sums of one side (before or after calibration) of the test split, for every metric
 * of the audit that reduces to sums: the row count, the sums of the rows' NLL and Brier score,
 * calibration's own top-label {@link ReliabilityBins.Accumulator} (ECE, MCE, accuracy, signed
 * ECE, the diagram), its {@link ClasswiseBins.Accumulator} (classwise ECE, the per-class table),
 * the 20-bin confidence histogram, per class the rows predicted right, and Spiegelhalter's two
 * sums. Rows come in as {@link Predictions} (calibration's per-row numbers) through {@link #add}.
 * Counts and the binned confidence and probability sums are exact fixed point, so they do not
 * depend on partitioning; the NLL, Brier and Spiegelhalter sums are ordinary double sums
 * (partitioning changes them by rounding only). Not thread-safe.
 *
 * <p><b>The bootstrap.</b> Each row falls into one of {@link #buckets} buckets by a hash of
 * (seed, row id) ({@link PoissonWeights#bucket}), and the same sums are kept per bucket (of the
 * classwise bins only what the classwise ECE needs: {@link #gapB}). Replicate
 * r weights bucket b by its Poisson(1) weight {@link PoissonWeights#weight}(seed, b, r), so each
 * row still has a Poisson(1) weight, shared with the rows of its bucket; the replicate's sums are
 * the weighted merge of the buckets' (exact for the binned sums). The per-row cost is one bucket's
 * update instead of one per replicate, and the replicates cost B x R merges whatever the number
 * of rows. For metrics that are smooth functions of means (all of these are ratios of sums), a
 * bootstrap over random groups estimates the same sampling variance as one over rows (the random
 * group method of variance estimation, Wolter 2007, ch. 2; the grouped Poisson bootstrap of
 * Chamandy et al. 2012); grouping adds a relative error of about sqrt(2 / B) to the variance
 * (4% for B = 1024), below the Monte-Carlo error of 200 replicates (10%). With fewer rows than
 * buckets most buckets hold one row or none, and it is the per-row Poisson bootstrap.
 */
final class SplitSums implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Equal-width bins of the confidence histogram (the single-machine audit's {@code Summaries.HISTOGRAM_BINS}). */
    static final int HISTOGRAM_BINS = 20;
    /** The bootstrap's buckets: at most this many. */
    static final int MAX_BUCKETS = 1024;
    /** ... and at most this many bin cells in all buckets together (memory per partition). */
    private static final int MAX_CELLS = 1 << 20;
    private static final int MIN_BUCKETS = 64;

    final int k;
    final int bins;
    final long seed;
    final int replicates;
    long n;
    double nllSum;
    double brierSum;
    double spiegelhalterNumerator;
    double spiegelhalterVariance;
    final ReliabilityBins.Accumulator top;
    final ClasswiseBins.Accumulator classwise;
    final ReliabilityBins.Accumulator histogram;
    final long[] hits;
    /** Per bucket (empty when there are no replicates): the row count and the sums. */
    final long[] rowsB;
    final double[] nllB;
    final double[] brierB;
    final ReliabilityBins.Accumulator[] topB;
    /**
     * Per bucket, per (bin, class) cell in bin-major order ({@code (bin * K + class)}: the
     * near-zero probabilities of most classes share bin 0's cache lines), the exact sum of
     * positives minus probabilities ({@link GapSums}): all a replicate's classwise ECE needs.
     */
    final long[] gapB;
    private transient SumValues[] replicateValues;

    SplitSums(int k, int bins, long seed, int replicates) {
        this.k = k;
        this.bins = bins;
        this.seed = seed;
        this.replicates = replicates;
        top = new ReliabilityBins.Accumulator(bins);
        classwise = new ClasswiseBins.Accumulator(k, bins);
        histogram = new ReliabilityBins.Accumulator(HISTOGRAM_BINS);
        hits = new long[k];
        int buckets = replicates == 0 ? 0 : buckets(k, bins);
        rowsB = new long[buckets];
        nllB = new double[buckets];
        brierB = new double[buckets];
        topB = new ReliabilityBins.Accumulator[buckets];
        gapB = new long[Math.multiplyExact(buckets, gapStride(k, bins))];
        for (int b = 0; b < buckets; b++) {
            topB[b] = new ReliabilityBins.Accumulator(bins);
        }
    }

    /**
     * The bootstrap's number of buckets for K classes and this many bins: {@value #MAX_BUCKETS},
     * fewer (not below 64) when K x bins x buckets would pass 2^20 bin cells.
     */
    /** The longs of one bucket's gap cells. */
    private static int gapStride(int k, int bins) {
        return Math.multiplyExact(2 * k, bins);
    }

    static int buckets(int k, int bins) {
        long cells = (long) (k + 1) * bins;
        return (int) Math.max(MIN_BUCKETS, Math.min(MAX_BUCKETS, MAX_CELLS / cells));
    }

    /**
     * Adds a chunk of rows.
     *
     * @param p   the chunk's predictions
     * @param ids the rows' ids (which pick their bootstrap buckets)
     */
    void add(Predictions p, long[] ids) {
        int rows = p.n();
        int[] y = p.labels();
        double[] rowNll = p.rowNll();
        for (double x : rowNll) {
            nllSum += x;
        }
        brierSum += CalibrationMetrics.brier(p.probabilities(), y) * rows;
        p.topLabel().addTo(top);
        classwise.add(p.probabilities(), y);
        histogram.add(p.topLabel().confidences(), p.topLabel().correct());
        int[] pred = p.probabilities().argmax();
        double[] v = p.probabilities().raw();
        for (int i = 0; i < rows; i++) {
            if (pred[i] == y[i]) {
                hits[y[i]]++;
            }
            // Spiegelhalter's Z of the top-label confidence (CalibrationTests.spiegelhalter's sums)
            double c = p.topLabel().confidence(i);
            boolean correct = p.topLabel().isCorrect(i);
            double w = 1 - 2 * c;
            spiegelhalterNumerator += ((correct ? 1.0 : 0.0) - c) * w;
            spiegelhalterVariance += w * w * c * (1 - c);
        }
        n += rows;
        if (rowsB.length == 0) {
            return;
        }
        // the rows bucket by bucket (a stable counting sort: within a bucket the rows keep their order,
        // so every per-bucket sum is added in the same order as row by row): a bucket's cells are
        // loaded once for all its rows of the chunk instead of once per row (1024 buckets of 2.4 KB
        // do not fit a core's cache; row by row, these updates were a fifth of a 10M-row audit)
        int buckets = rowsB.length;
        int stride = gapStride(k, bins);
        int[] bucket = new int[rows];
        int[] start = new int[buckets + 1];
        for (int i = 0; i < rows; i++) {
            bucket[i] = PoissonWeights.bucket(seed, ids[i], buckets);
            start[bucket[i] + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            start[b + 1] += start[b];
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[start[bucket[i]]++] = i;
        }
        for (int o = 0; o < rows; o++) {
            int i = order[o];
            int b = bucket[i];
            rowsB[b]++;
            nllB[b] += rowNll[i];
            brierB[b] += rowBrier(v, i * k, k, y[i]);
            topB[b].add(p.topLabel().confidence(i), p.topLabel().isCorrect(i));
            int base = b * stride;
            for (int j = 0; j < k; j++) {
                double pj = v[i * k + j];
                GapSums.add(gapB, base + 2 * (ReliabilityBins.binOf(pj, bins) * k + j), pj, y[i] == j);
            }
        }
    }

    /** Row i's Brier score (the terms of {@link CalibrationMetrics#brier}). */
    private static double rowBrier(double[] v, int off, int k, int label) {
        double s = 0;
        for (int j = 0; j < k; j++) {
            double d = v[off + j] - (label == j ? 1.0 : 0.0);
            s += d * d;
        }
        return s;
    }

    /** Adds the other sums into these (same K, bins, seed and replicates). */
    SplitSums merge(SplitSums o) {
        if (o.k != k || o.bins != bins || o.replicates != replicates || o.seed != seed) {
            throw new IllegalArgumentException("Cannot merge sums of " + k + " classes x " + bins + " bins x "
                    + replicates + " replicates and " + o.k + " x " + o.bins + " x " + o.replicates);
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
        for (int b = 0; b < rowsB.length; b++) {
            rowsB[b] += o.rowsB[b];
            nllB[b] += o.nllB[b];
            brierB[b] += o.brierB[b];
            topB[b].merge(o.topB[b]);
        }
        for (int at = 0; at < gapB.length; at += 2) {
            GapSums.mergeTimes(gapB, at, o.gapB, at, 1);
        }
        replicateValues = null;
        return this;
    }

    /** The sum metrics of all rows, keyed as in {@code Metrics.ALL}: see {@link SumValues}. */
    SumValues values() {
        return SumValues.of(n, nllSum, brierSum, top.toBins(), CalibrationMetrics.classwiseEce(classwise.toBins()));
    }

    /**
     * The sum metrics of replicate r: the buckets merged with their Poisson(1) weights in bucket
     * order; null when every weight of the replicate fell on empty buckets. Computed once for all
     * replicates.
     */
    SumValues replicate(int r) {
        if (replicateValues == null) {
            SumValues[] values = new SumValues[replicates];
            for (int q = 0; q < replicates; q++) {
                long weight = 0;
                double nll = 0;
                double brier = 0;
                ReliabilityBins.Accumulator t = new ReliabilityBins.Accumulator(bins);
                int stride = gapStride(k, bins);
                long[] gaps = new long[stride];
                for (int b = 0; b < rowsB.length; b++) {
                    int w = PoissonWeights.weight(seed, b, q);
                    if (w == 0 || rowsB[b] == 0) {
                        continue;
                    }
                    weight += w * rowsB[b];
                    nll += w * nllB[b];
                    brier += w * brierB[b];
                    t.mergeTimes(topB[b], w);
                    for (int at = 0; at < stride; at += 2) {
                        GapSums.mergeTimes(gaps, at, gapB, b * stride + at, w);
                    }
                }
                double gapSum = 0;   // CalibrationMetrics.classwiseEce: sum of |positives - probability sum| / n / K
                for (int at = 0; at < stride; at += 2) {
                    gapSum += Math.abs(GapSums.value(gaps, at));
                }
                values[q] = weight == 0 ? null : SumValues.of(weight, nll, brier, t.toBins(), gapSum / weight / k);
            }
            replicateValues = values;
        }
        return replicateValues[r];
    }

    /**
     * The metrics of {@code Metrics.ALL} that reduce to these sums, from calibration's own
     * functions on the merged bins.
     */
    record SumValues(double accuracy, double nll, double brier, double ece, double mce, double signedEce,
                     double classwiseEce) {
        static SumValues of(long n, double nllSum, double brierSum, ReliabilityBins rb, double classwiseEce) {
            long correct = 0;
            double confidence = 0;
            for (int b = 0; b < rb.numBins(); b++) {
                correct += rb.correctCount(b);
                confidence += rb.confidenceSum(b);
            }
            return new SumValues((double) correct / n, nllSum / n, brierSum / n, CalibrationMetrics.ece(rb),
                    CalibrationMetrics.mce(rb), (confidence - correct) / n, classwiseEce);
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
