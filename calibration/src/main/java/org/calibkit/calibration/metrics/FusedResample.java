package org.calibkit.calibration.metrics;

import java.util.Arrays;

/**
 * Every metric of {@link Metrics#ALL} on a bootstrap resample of one {@link Predictions}, without
 * copying the resample's n x K probabilities and without sorting it: the values equal, bit for bit,
 * those of the pure metric functions on {@code predictions.select(idx)} (tested by
 * FusedResampleTest), because every sum runs over the resample's rows in the same order with the
 * same arithmetic. What is shared between resamples is computed once here:
 * <ul>
 * <li>the equal-mass metrics (equal-mass ECE, debiased ECE, ACE) sort once: the sorted values of a
 *     resample are the original sorted values, each repeated as often as its row was drawn, so
 *     the bin edges come from {@link EqualMass#edges} with those multiplicities as weights
 *     (edges depend only on the values, not on how ties are ordered);</li>
 * <li>Brier and the classwise bins read the original rows through the index array.</li>
 * </ul>
 * Metrics it does not know (a metric added to {@link Metrics#ALL} later) fall back to the pure
 * function on the selected rows. Immutable and thread-safe: one instance serves all resamples.
 */
final class FusedResample {
    private final Predictions p;
    private final int n;
    private final int k;
    /** Top-label confidences sorted, and the row of each sorted position. */
    private final double[] confSorted;
    private final int[] confOrder;
    /** Per class j: that class's column sorted, and its rows (ACE). */
    private final double[][] colSorted;
    private final int[][] colOrder;

    FusedResample(Predictions p) {
        this.p = p;
        this.n = p.n();
        this.k = p.k();
        double[] conf = p.topLabel().rawConfidences();
        int[] order = sortedOrder(conf);
        confOrder = order;
        confSorted = gather(conf, order);
        double[] v = p.probabilities().raw();
        colSorted = new double[k][];
        colOrder = new int[k][];
        double[] col = new double[n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                col[i] = v[i * k + j];
            }
            colOrder[j] = sortedOrder(col);
            colSorted[j] = gather(col, colOrder[j]);
        }
    }

    /** The values of every metric of {@link Metrics#ALL} on rows {@code idx}, in that order. */
    double[] values(int[] idx, int bins) {
        if (idx.length != n) {
            throw new IllegalArgumentException("a bootstrap resample has " + n + " rows, but got " + idx.length);
        }
        int[] counts = new int[n];
        for (int i : idx) {
            counts[i]++;
        }
        TopLabel t = p.topLabel().select(idx);
        Predictions selected = null;
        double[] out = new double[Metrics.ALL.size()];
        for (int m = 0; m < out.length; m++) {
            Metric metric = Metrics.ALL.get(m);
            out[m] = switch (metric.key()) {
                case "accuracy" -> CalibrationMetrics.accuracy(t);
                case "nll" -> meanAt(p.rowNll(), idx);
                case "brier" -> brierAt(idx);
                case "ece" -> CalibrationMetrics.ece(t, bins);
                case "mce" -> CalibrationMetrics.mce(t, bins);
                case "signed_ece" -> CalibrationMetrics.signedEce(t);
                case "ece_equal_mass" -> CalibrationMetrics.eceFromStats(topStats(t, counts, bins));
                case "debiased_ece" -> CalibrationMetrics.debiasedFromStats(topStats(t, counts, bins));
                case "classwise_ece" -> CalibrationMetrics.classwiseEce(new ClasswiseBins.Accumulator(k, bins)
                        .addRowsAt(p.probabilities().raw(), p.labels(), idx).toBins());
                case "ace" -> aceAt(idx, counts, bins);
                case "smooth_ece" -> CalibrationMetrics.smoothEce(t);
                default -> {
                    if (selected == null) {
                        selected = p.select(idx);
                    }
                    yield metric.compute(selected, bins);
                }
            };
        }
        return out;
    }

    /** {@code Metrics.mean} of {@code v[idx[r]]}: the same sum in the same order. */
    private static double meanAt(double[] v, int[] idx) {
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.length;
    }

    /** {@link CalibrationMetrics#brier(org.calibkit.calibration.Probabilities, int[])} of rows idx. */
    private double brierAt(int[] idx) {
        double[] v = p.probabilities().raw();
        int[] labels = p.labels();
        double s = 0;
        for (int i : idx) {
            int off = i * k;
            for (int j = 0; j < k; j++) {
                double d = v[off + j] - (labels[i] == j ? 1.0 : 0.0);
                s += d * d;
            }
        }
        return s / idx.length;
    }

    /** {@link EqualMass#stats} of the resample's top-label confidences (t is the resample). */
    private EqualMass.Stats topStats(TopLabel t, int[] counts, int bins) {
        double[] edges = EqualMass.edges(confSorted, weights(counts, confOrder), n, bins);
        return EqualMass.binStats(edges, t.rawConfidences(), t.rawCorrect());
    }

    /** {@link CalibrationMetrics#ace} of rows idx. */
    private double aceAt(int[] idx, int[] counts, int bins) {
        double[] v = p.probabilities().raw();
        int[] labels = p.labels();
        double[] col = new double[n];
        boolean[] tgt = new boolean[n];
        double sum = 0;
        long[] pairs = {0};
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < n; r++) {
                col[r] = v[idx[r] * k + j];
                tgt[r] = labels[idx[r]] == j;
            }
            double[] edges = EqualMass.edges(colSorted[j], weights(counts, colOrder[j]), n, bins);
            sum = CalibrationMetrics.aceAdd(EqualMass.binStats(edges, col, tgt), sum, pairs);
        }
        return sum / pairs[0];
    }

    /** Multiplicity of each sorted position's row; positions of rows not drawn get 0. */
    private static int[] weights(int[] counts, int[] order) {
        int[] w = new int[order.length];
        for (int s = 0; s < order.length; s++) {
            w[s] = counts[order[s]];
        }
        return w;
    }

    /** Rows in ascending order of their value (ties in row order). */
    private static int[] sortedOrder(double[] v) {
        Integer[] boxed = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(v[a], v[b]));
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    private static double[] gather(double[] v, int[] order) {
        double[] out = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }
}
