package org.calibkit.calibration.charts;

import java.util.Objects;

/**
 * Two overlaid score distributions: scores of in-distribution inputs against scores of
 * out-of-distribution inputs (e.g. maximum softmax probability, Hendrycks and Gimpel 2017), as
 * densities over common equal-width bins spanning both sets, so sets of different sizes compare.
 * The less the two overlap, the better the score separates them.
 */
public final class OodHistogram implements ChartData {
    private final String title;
    private final String scoreName;
    private final double[] edges;
    private final long[] inCounts;
    private final long[] outCounts;
    private final long inTotal;
    private final long outTotal;

    private OodHistogram(String title, String scoreName, double[] edges, long[] inCounts, long[] outCounts,
            long inTotal, long outTotal) {
        this.title = title;
        this.scoreName = scoreName;
        this.edges = edges;
        this.inCounts = inCounts;
        this.outCounts = outCounts;
        this.inTotal = inTotal;
        this.outTotal = outTotal;
    }

    /**
     * Histograms of both score sets over {@code numBins} equal-width bins from the smallest to the
     * largest score of either set; bins are right-closed like {@link
     * org.calibkit.calibration.ReliabilityBins}, with the minimum in the first bin.
     *
     * @param scoreName axis label, e.g. "max softmax probability"
     * @throws IllegalArgumentException for an empty set, a NaN or infinite score (naming the set
     *                                  and row), or numBins &lt; 1
     */
    public static OodHistogram of(double[] inScores, double[] outScores, int numBins, String scoreName,
            String title) {
        Objects.requireNonNull(scoreName, "scoreName");
        Objects.requireNonNull(title, "title");
        if (numBins < 1) {
            throw new IllegalArgumentException("Expected numBins to be an integer larger than 0, but got " + numBins);
        }
        check("inScores", inScores);
        check("outScores", outScores);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] s : new double[][] {inScores, outScores}) {
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max == min) {
            min -= 0.5;
            max += 0.5;
        }
        double[] edges = new double[numBins + 1];
        for (int b = 0; b <= numBins; b++) {
            edges[b] = min + (max - min) * b / numBins;
        }
        edges[numBins] = max;
        return new OodHistogram(title, scoreName, edges, counts(inScores, min, max, numBins),
                counts(outScores, min, max, numBins), inScores.length, outScores.length);
    }

    private static void check(String name, double[] scores) {
        Objects.requireNonNull(scores, name);
        if (scores.length == 0) {
            throw new IllegalArgumentException("Expected " + name + " to hold at least one score, but got 0");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("Expected finite " + name + ", but got " + scores[i] + " at row " + i);
            }
        }
    }

    private static long[] counts(double[] scores, double min, double max, int numBins) {
        long[] c = new long[numBins];
        for (double v : scores) {
            int b = (int) Math.ceil((v - min) / (max - min) * numBins) - 1;
            c[b < 0 ? 0 : Math.min(b, numBins - 1)]++;
        }
        return c;
    }

    @Override
    public String title() { return title; }
    @Override public <R> R accept(Visitor<R> visitor) { return visitor.ood(this); }
    /** What the score is, for the x axis. */
    public String scoreName() { return scoreName; }
    public int numBins() { return inCounts.length; }
    /** Bin edges (a copy, numBins + 1 values). */
    public double[] edges() { return edges.clone(); }
    public long inCount(int b) { return inCounts[b]; }
    public long outCount(int b) { return outCounts[b]; }
    public long inTotal() { return inTotal; }
    public long outTotal() { return outTotal; }
    /** Density of in-distribution scores in bin b: count / (total * width), integrating to 1. */
    public double inDensity(int b) { return inCounts[b] / (inTotal * (edges[b + 1] - edges[b])); }
    /** Density of out-of-distribution scores in bin b. */
    public double outDensity(int b) { return outCounts[b] / (outTotal * (edges[b + 1] - edges[b])); }
}
