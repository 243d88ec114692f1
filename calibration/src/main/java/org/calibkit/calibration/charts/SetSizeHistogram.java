package org.calibkit.calibration.charts;

import java.util.List;
import java.util.Objects;

/**
 * How large conformal prediction sets are: for each series (e.g. one per score, or test images
 * against probe images), the share of rows with each set size 0..K, drawn as grouped bars. Sets
 * of one class are confident answers; sets of every class say "could be anything".
 */
public final class SetSizeHistogram implements ChartData {
    /** One series: rows per set size 0..K. */
    public record Series(String name, long[] counts) {
        public Series {
            Objects.requireNonNull(name, "name");
            counts = counts.clone();
        }

        /** Rows in all. */
        public long total() {
            long t = 0;
            for (long c : counts) {
                t += c;
            }
            return t;
        }

        /** Share of rows with set size s. */
        public double share(int s) {
            long t = total();
            return t == 0 ? 0 : (double) counts[s] / t;
        }
    }

    private final String title;
    private final List<Series> series;
    private final int numClasses;

    private SetSizeHistogram(String title, List<Series> series, int numClasses) {
        this.title = title;
        this.series = series;
        this.numClasses = numClasses;
    }

    /**
     * @throws IllegalArgumentException for no series or series of different lengths
     */
    public static SetSizeHistogram of(String title, List<Series> series) {
        Objects.requireNonNull(title, "title");
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one series of set sizes, but got none");
        }
        int len = series.get(0).counts().length;
        for (Series s : series) {
            if (s.counts().length != len || len < 2) {
                throw new IllegalArgumentException("Expected every series to count set sizes 0..K (K >= 1) alike, but "
                        + s.name() + " has " + s.counts().length + " sizes where " + len + " were expected");
            }
        }
        return new SetSizeHistogram(title, List.copyOf(series), len - 1);
    }

    @Override
    public String title() { return title; }
    @Override public <R> R accept(Visitor<R> visitor) { return visitor.setSize(this); }
    public List<Series> series() { return series; }
    /** K: the largest set size. */
    public int numClasses() { return numClasses; }
}
