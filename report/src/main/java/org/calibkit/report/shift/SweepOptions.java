package org.calibkit.report.shift;

import org.calibkit.calibration.metrics.CalibrationMetrics;

/**
 * How a sweep runs.
 *
 * @param bins equal-width bins of the ECE (default {@value CalibrationMetrics#DEFAULT_BINS})
 * @param seed the seed of every random choice of the shifts (default 0)
 */
public record SweepOptions(int bins, long seed) {
    /** @throws IllegalArgumentException for bins < 1 */
    public SweepOptions {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, but got " + bins);
        }
    }

    /** 15 bins, seed 0. */
    public static SweepOptions defaults() {
        return new SweepOptions(CalibrationMetrics.DEFAULT_BINS, 0L);
    }

    /** The same options with another number of ECE bins. */
    public SweepOptions withBins(int newBins) {
        return new SweepOptions(newBins, seed);
    }

    /** The same options with another seed. */
    public SweepOptions withSeed(long newSeed) {
        return new SweepOptions(bins, newSeed);
    }
}
