package org.calibkit.calibration.charts;

import java.util.Objects;

/**
 * What the confidence histogram and the reliability diagram share: a title and the equal-width
 * confidence bins they were drawn from ({@link BinCounts}: edges, counts, total, number correct),
 * with the share of predictions in each, which {@link ChartStyle#shareBars} draws.
 */
abstract class BinnedChart {
    private final String title;
    private final BinCounts bins;

    BinnedChart(String title, BinCounts bins) {
        this.title = Objects.requireNonNull(title, "title");
        this.bins = bins;
    }

    /** The bins this chart was made of. */
    final BinCounts bins() { return bins; }

    /** The chart's title as the user gave it. */
    public final String title() { return title; }
    public final int numBins() { return bins.counts().length; }
    /** Left edge of bin b. */
    public final double lower(int b) { return bins.lower()[b]; }
    /** Right edge of bin b. */
    public final double upper(int b) { return bins.upper()[b]; }
    /** Number of predictions in bin b. */
    public final long count(int b) { return bins.counts()[b]; }
    /** Share of all predictions falling into bin b (the bar height of a confidence histogram). */
    public final double share(int b) { return (double) bins.counts()[b] / bins.total(); }
    /** Number of predictions. */
    public final long total() { return bins.total(); }
}
