package org.calibkit.calibration.stats;

import java.util.Objects;
import org.calibkit.calibration.ReliabilityBins;

/**
 * Binomial confidence intervals for the accuracy of every reliability bin: bin b has
 * {@code correctCount(b)} successes in {@code count(b)} trials, and its interval is
 * {@link Proportions#interval} of those counts. Each interval is conditional on the bin's count
 * (the bins are fixed in advance, the rows that fall in them are not) and holds for one bin at a
 * time, not for all bins jointly. Empty bins get NaN. Immutable.
 */
public final class BinIntervals {
    private final double[] lower;
    private final double[] upper;
    private final long[] counts;
    private final long[] correct;
    private final double level;
    private final ProportionInterval.Method method;

    private BinIntervals(double[] lower, double[] upper, long[] counts, long[] correct, double level,
                         ProportionInterval.Method method) {
        this.lower = lower;
        this.upper = upper;
        this.counts = counts;
        this.correct = correct;
        this.level = level;
        this.method = method;
    }

    /**
     * Intervals for every bin of {@code bins}.
     *
     * @param level  coverage of each interval, in (0, 1), e.g. 0.95
     * @param method Clopper–Pearson (exact) or Wilson
     * @throws IllegalArgumentException for a level outside (0, 1) or a null method
     */
    public static BinIntervals of(ReliabilityBins bins, double level, ProportionInterval.Method method) {
        Objects.requireNonNull(bins, "bins");
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        Args.level("level", level);
        int b = bins.numBins();
        double[] lo = new double[b];
        double[] hi = new double[b];
        long[] n = new long[b];
        long[] c = new long[b];
        for (int i = 0; i < b; i++) {
            n[i] = bins.count(i);
            c[i] = bins.correctCount(i);
            if (n[i] == 0) {
                lo[i] = Double.NaN;
                hi[i] = Double.NaN;
            } else {
                ProportionInterval pi = Proportions.interval(c[i], n[i], level, method);
                lo[i] = pi.lower();
                hi[i] = pi.upper();
            }
        }
        return new BinIntervals(lo, hi, n, c, level, method);
    }

    public int numBins() { return lower.length; }
    /** Coverage of each interval, e.g. 0.95. */
    public double level() { return level; }
    public ProportionInterval.Method method() { return method; }
    /** Lower end of bin b's accuracy interval (NaN for an empty bin). */
    public double lower(int b) { return lower[b]; }
    /** Upper end of bin b's accuracy interval (NaN for an empty bin). */
    public double upper(int b) { return upper[b]; }
    /** Lower ends per bin (a copy; NaN for empty bins). */
    public double[] lower() { return lower.clone(); }
    /** Upper ends per bin (a copy; NaN for empty bins). */
    public double[] upper() { return upper.clone(); }
    /** Number of predictions in bin b. */
    public long count(int b) { return counts[b]; }
    /** Number of correct predictions in bin b. */
    public long correctCount(int b) { return correct[b]; }
}
