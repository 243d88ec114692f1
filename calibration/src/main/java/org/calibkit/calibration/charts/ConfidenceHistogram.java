package org.calibkit.calibration.charts;

import org.calibkit.calibration.ReliabilityBins;

/**
 * Data of a confidence histogram (Guo et al. 2017, fig. 1 top row): the share of predictions per
 * confidence bin, with the overall accuracy and the mean confidence as two vertical lines. A mean
 * confidence to the right of the accuracy line means the model is overconfident on average.
 */
public final class ConfidenceHistogram extends BinnedChart implements ChartData {
    private final double meanConfidence;

    private ConfidenceHistogram(String title, BinCounts bins, double meanConfidence) {
        super(title, bins);
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
        return new ConfidenceHistogram(title, c, confSum / c.total());
    }

    @Override public <R> R accept(Visitor<R> visitor) { return visitor.confidence(this); }
    /** Overall accuracy (fraction correct), drawn as a vertical line. */
    public double accuracy() { return bins().accuracy(); }
    /** Mean top-label confidence, drawn as a vertical line. */
    public double meanConfidence() { return meanConfidence; }
}
