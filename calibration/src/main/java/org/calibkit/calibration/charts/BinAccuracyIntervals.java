package org.calibkit.calibration.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Quantiles;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.TopLabel;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.ProportionInterval;

/**
 * Intervals for the accuracy of each reliability bin, drawn as whiskers on a
 * {@link ReliabilityDiagram}. Two sources, named by {@link #method()} so a chart can say which it
 * draws:
 * <ul>
 * <li>{@link #bootstrap}: percentile bootstrap (Efron and Tibshirani 1993, ch. 13): rows are
 *     resampled with replacement by {@link Bootstrap} (the same draws as every other interval), each resample is binned under the {@link ReliabilityBins}
 *     convention, and the interval is the pair of percentiles of the bin's accuracy over the
 *     resamples in which the bin is not empty. Seeded, so the same call gives the same intervals.</li>
 * <li>{@link #of(BinIntervals)}: exact binomial intervals of each bin's accuracy given its count
 *     (Clopper-Pearson or Wilson, {@link BinIntervals}).</li>
 * </ul>
 * Immutable.
 */
public final class BinAccuracyIntervals {
    private final double[] lower;
    private final double[] upper;
    private final double level;
    private final String method;

    private BinAccuracyIntervals(double[] lower, double[] upper, double level, String method) {
        this.lower = lower;
        this.upper = upper;
        this.level = level;
        this.method = method;
    }

    /**
     * The binomial intervals of {@link BinIntervals} (NaN for empty bins), named
     * {@code Clopper-Pearson} or {@code Wilson}.
     */
    public static BinAccuracyIntervals of(BinIntervals intervals) {
        Objects.requireNonNull(intervals, "intervals");
        String name = intervals.method() == ProportionInterval.Method.CLOPPER_PEARSON ? "Clopper-Pearson" : "Wilson";
        return new BinAccuracyIntervals(intervals.lower(), intervals.upper(), intervals.level(), name);
    }

    /**
     * Bootstrap intervals of each bin's accuracy.
     *
     * @param confidences top-label confidences in [0, 1]
     * @param correct     whether each prediction was right
     * @param numBins     number of equal-width bins (as for the diagram)
     * @param resamples   number of bootstrap resamples, e.g. 200
     * @param level       coverage in (0, 1), e.g. 0.95
     * @param seed        seed of the resampling
     * @throws IllegalArgumentException for mismatched lengths, confidences outside [0, 1] (naming
     *                                  the row), or non-positive sizes, or a level outside (0, 1)
     */
    public static BinAccuracyIntervals bootstrap(double[] confidences, boolean[] correct, int numBins,
            int resamples, double level, long seed) {
        Objects.requireNonNull(confidences, "confidences");
        Objects.requireNonNull(correct, "correct");
        Checks.positive("numBins", numBins);
        Checks.positive("resamples", resamples);
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Expected level in (0, 1), but got " + level);
        }
        int n = confidences.length;
        if (n == 0 || correct.length != n) {
            throw new IllegalArgumentException("Expected confidences and correct of the same non-zero length, but got "
                    + n + " and " + correct.length);
        }
        TopLabel rows = TopLabel.of(confidences, correct); // names a confidence outside [0, 1] by its row
        // the rows of each resample are Bootstrap's own draws: the metric it resamples records every bin's
        // accuracy in that resample (percentiles do not depend on the order the resamples arrive in)
        List<List<Double>> acc = new ArrayList<>();
        for (int b = 0; b < numBins; b++) {
            acc.add(new ArrayList<>());
        }
        new Bootstrap(seed, resamples, level, 1).interval(rows, t -> {
            if (t != rows) { // the first call is the estimate on the original rows, not a resample
                long[] cnt = new long[numBins];
                long[] hit = new long[numBins];
                for (int i = 0; i < t.n(); i++) {
                    int b = ReliabilityBins.binOf(t.confidence(i), numBins);
                    cnt[b]++;
                    if (t.isCorrect(i)) {
                        hit[b]++;
                    }
                }
                for (int b = 0; b < numBins; b++) {
                    if (cnt[b] > 0) {
                        acc.get(b).add((double) hit[b] / cnt[b]);
                    }
                }
            }
            return 0;
        });
        double alpha = (1 - level) / 2;
        double[] lo = new double[numBins];
        double[] hi = new double[numBins];
        for (int b = 0; b < numBins; b++) {
            if (acc.get(b).isEmpty()) {
                lo[b] = Double.NaN;
                hi[b] = Double.NaN;
                continue;
            }
            double[] v = acc.get(b).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            lo[b] = Quantiles.linear(v, alpha);
            hi[b] = Quantiles.linear(v, 1 - alpha);
        }
        return new BinAccuracyIntervals(lo, hi, level, "bootstrap");
    }

    public int numBins() { return lower.length; }
    /** How the intervals were made, as a chart's legend names them: {@code bootstrap}, {@code Clopper-Pearson}, {@code Wilson}. */
    public String method() { return method; }
    /** Coverage of the intervals, e.g. 0.95. */
    public double level() { return level; }
    /** Lower ends per bin (a copy; NaN where the bin was always empty). */
    public double[] lower() { return lower.clone(); }
    /** Upper ends per bin (a copy; NaN where the bin was always empty). */
    public double[] upper() { return upper.clone(); }
}
