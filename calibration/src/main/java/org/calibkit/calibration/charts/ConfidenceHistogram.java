package org.calibkit.calibration.charts;

import org.calibkit.calibration.ReliabilityBins;

/**
 * Data of a confidence histogram (Guo et al. 2017, fig. 1 top row): the share of predictions per
 * confidence bin, with the overall accuracy and the mean confidence as two vertical lines. A mean
 * confidence to the right of the accuracy line means the model is overconfident on average.
 */
public final class ConfidenceHistogram implements ChartData, BinShares {
    private final String title;
    private final double[] lower;
    private final double[] upper;
    private final long[] counts;
    private final long total;
    private final double accuracy;
    private final double meanConfidence;

    private ConfidenceHistogram(String title, double[] lower, double[] upper, long[] counts, long total,
            double accuracy, double meanConfidence) {
        this.title = title;
        this.lower = lower;
        this.upper = upper;
        this.counts = counts;
        this.total = total;
        this.accuracy = accuracy;
        this.meanConfidence = meanConfidence;
    }

    /**
     * The histogram of the given bins.
     *
     * @throws IllegalArgumentException if the bins hold no predictions
     */
    public static ConfidenceHistogram of(ReliabilityBins bins, String title) {
        BinCounts c = BinCounts.of(bins, title);
        double confSum = 0;
        for (int b = 0; b < bins.numBins(); b++) {
            confSum += bins.confidenceSum(b);
        }
        return new ConfidenceHistogram(title, c.lower(), c.upper(), c.counts(), c.total(), c.accuracy(),
                confSum / c.total());
    }

    @Override
    public String title() { return title; }
    @Override public <R> R accept(Visitor<R> visitor) { return visitor.confidence(this); }
    public int numBins() { return counts.length; }
    public double lower(int b) { return lower[b]; }
    public double upper(int b) { return upper[b]; }
    public long count(int b) { return counts[b]; }
    /** Bar height: the share of all predictions in bin b. */
    public double share(int b) { return (double) counts[b] / total; }
    public long total() { return total; }
    /** Overall accuracy (fraction correct), drawn as a vertical line. */
    public double accuracy() { return accuracy; }
    /** Mean top-label confidence, drawn as a vertical line. */
    public double meanConfidence() { return meanConfidence; }
}
