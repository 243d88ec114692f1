package org.calibkit.calibration.charts;

import java.util.Objects;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;

/**
 * Data of a reliability diagram (Guo et al. 2017, "On Calibration of Modern Neural Networks",
 * fig. 1; DeGroot and Fienberg 1983): per confidence bin, the accuracy against the mean
 * confidence, the gap to the diagonal and the number of predictions, optionally with an interval
 * around each bin's accuracy. Empty bins hold NaN accuracy and confidence and are not drawn.
 *
 * <p>Everything comes from {@link ReliabilityBins}, so the diagram shows exactly the bins the ECE
 * is computed from; {@link #ece()} is the count-weighted mean gap {@code sum_b n_b/N |acc_b - conf_b|}.
 */
public final class ReliabilityDiagram extends BinnedChart implements ChartData {
    private final double[] accuracy;
    private final double[] meanConfidence;
    private final double[] intervalLow;
    private final double[] intervalHigh;
    private final double intervalLevel;
    private final String intervalMethod;
    private final double ece;

    private ReliabilityDiagram(String title, BinCounts bins, double[] accuracy, double[] meanConfidence,
            double[] intervalLow, double[] intervalHigh, double intervalLevel, String intervalMethod, double ece) {
        super(title, bins);
        this.accuracy = accuracy;
        this.meanConfidence = meanConfidence;
        this.intervalLow = intervalLow;
        this.intervalHigh = intervalHigh;
        this.intervalLevel = intervalLevel;
        this.intervalMethod = intervalMethod;
        this.ece = ece;
    }

    /**
     * The diagram of the given bins.
     *
     * @param title shown above the chart (any text; escaped in SVG)
     * @throws IllegalArgumentException if the bins hold no predictions
     */
    public static ReliabilityDiagram of(ReliabilityBins bins, String title) {
        BinCounts c = BinCounts.of(bins, title);
        int nb = bins.numBins();
        double[] acc = new double[nb];
        double[] conf = new double[nb];
        for (int b = 0; b < nb; b++) {
            acc[b] = bins.accuracy(b);
            conf[b] = bins.meanConfidence(b);
        }
        return new ReliabilityDiagram(title, c, acc, conf, null, null, Double.NaN, null, CalibrationMetrics.ece(bins));
    }

    /**
     * A copy of this diagram with whiskers around each bin's accuracy (e.g. from
     * {@link BinAccuracyIntervals#bootstrap}).
     *
     * @throws IllegalArgumentException if the intervals have another number of bins
     */
    public ReliabilityDiagram withIntervals(BinAccuracyIntervals intervals) {
        Objects.requireNonNull(intervals, "intervals");
        if (intervals.numBins() != numBins()) {
            throw new IllegalArgumentException("Expected intervals for " + numBins() + " bins, but got "
                    + intervals.numBins());
        }
        return new ReliabilityDiagram(title(), bins(), accuracy, meanConfidence, intervals.lower(),
                intervals.upper(), intervals.level(), intervals.method(), ece);
    }

    /** A copy with another title. */
    public ReliabilityDiagram withTitle(String newTitle) {
        return new ReliabilityDiagram(newTitle, bins(), accuracy, meanConfidence,
                intervalLow, intervalHigh, intervalLevel, intervalMethod, ece);
    }

    @Override public <R> R accept(Visitor<R> visitor) { return visitor.reliability(this); }
    /** Bar height: fraction correct in bin b (NaN if empty). */
    public double accuracy(int b) { return accuracy[b]; }
    /** Mean confidence in bin b (NaN if empty); the gap box spans accuracy to this value. */
    public double meanConfidence(int b) { return meanConfidence[b]; }
    /** The accuracy of every bin, for the renderer (the array itself: read only). */
    double[] accuracies() { return accuracy; }
    /** The mean confidence of every bin, for the renderer (the array itself: read only). */
    double[] meanConfidences() { return meanConfidence; }
    /** Signed gap {@code meanConfidence - accuracy} of bin b: positive means overconfident (NaN if empty). */
    public double gap(int b) { return meanConfidence[b] - accuracy[b]; }
    /** True if {@link #withIntervals} attached per-bin intervals. */
    public boolean hasIntervals() { return intervalLow != null; }
    /** Lower end of bin b's accuracy interval (NaN if none or the bin is empty). */
    public double intervalLow(int b) { return intervalLow == null ? Double.NaN : intervalLow[b]; }
    /** Upper end of bin b's accuracy interval (NaN if none or the bin is empty). */
    public double intervalHigh(int b) { return intervalHigh == null ? Double.NaN : intervalHigh[b]; }
    /** How the attached intervals were made ({@link BinAccuracyIntervals#method()}), or null if none. */
    public String intervalMethod() { return intervalMethod; }
    /** Coverage of the attached intervals, e.g. 0.95 (NaN if none). */
    public double intervalLevel() { return intervalLevel; }
    /** Expected calibration error of these bins: count-weighted mean |accuracy - confidence|. */
    public double ece() { return ece; }
    /** Fraction of all predictions that were correct. */
    public double overallAccuracy() { return bins().accuracy(); }
}
