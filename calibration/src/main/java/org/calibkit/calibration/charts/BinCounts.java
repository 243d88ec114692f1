package org.calibkit.calibration.charts;

import java.util.Objects;

import org.calibkit.calibration.ReliabilityBins;

/**
 * What the confidence histogram and the reliability diagram both copy out of
 * {@link ReliabilityBins}: the bin edges, the counts, the total and the number correct.
 */
record BinCounts(double[] lower, double[] upper, long[] counts, long total, long correct) {

    /**
     * @throws IllegalArgumentException if the bins hold no predictions
     */
    static BinCounts of(ReliabilityBins bins, String title) {
        Objects.requireNonNull(bins, "bins");
        Objects.requireNonNull(title, "title");
        int nb = bins.numBins();
        long total = bins.total();
        if (total == 0) {
            throw new IllegalArgumentException("Expected bins holding at least one prediction, but got 0");
        }
        double[] lo = new double[nb];
        double[] hi = new double[nb];
        long[] counts = new long[nb];
        long correct = 0;
        for (int b = 0; b < nb; b++) {
            lo[b] = bins.lower(b);
            hi[b] = bins.upper(b);
            counts[b] = bins.count(b);
            correct += bins.correctCount(b);
        }
        return new BinCounts(lo, hi, counts, total, correct);
    }

    /** Fraction of all predictions that were correct. */
    double accuracy() {
        return (double) correct / total;
    }
}
