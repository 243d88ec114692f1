package org.calibkit.report.audit;

import java.util.Optional;
import java.util.function.Consumer;

import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.core.Checks;

/**
 * The settings of one audit, immutable: {@link #defaults()} and a {@code withX} per setting.
 *
 * @param calibration how to calibrate (default: fit temperature scaling on the validation split);
 *                    {@code auto} and {@code stored} apply {@link #storedMap} when one is given
 *                    ({@code auto} fits temperature scaling otherwise)
 * @param storedMap   a map fitted earlier (a model bundle's stored map), applied as it is: nothing
 *                    is fitted and no validation split is needed
 * @param threshold   the confidence counted as overconfident on probes, in (0, 1]
 * @param bins        equal-width bins of the calibration metrics
 * @param resamples   bootstrap resamples (each recomputes every metric, twice when calibrated)
 * @param level       confidence level of the intervals, in (0, 1)
 * @param seed        seed of the bootstrap (and recorded for the probes)
 * @param alpha       miscoverage of the conformal prediction sets, in (0, 1)
 * @param probeSize   the probe size recorded in the settings
 * @param thresholds  the verdicts' warn and fail thresholds
 * @param progress    receives progress lines of long steps
 */
public record AuditOptions(CalibrationChoice calibration, Optional<CalibrationMap> storedMap, double threshold, int bins,
                           int resamples, double level, long seed, double alpha, int probeSize, Thresholds thresholds,
                           Consumer<String> progress) {
    /** Default bootstrap resamples of the audit. */
    public static final int DEFAULT_RESAMPLES = 200;
    /** Default probe size. */
    public static final int DEFAULT_PROBE_SIZE = 1000;

    /** @throws IllegalArgumentException naming the setting and its value when it is out of range */
    public AuditOptions {
        Checks.nonNull("calibration, storedMap, thresholds, progress", calibration, storedMap, thresholds, progress);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("Expected the overconfidence threshold in (0, 1], but got " + threshold);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Expected bins to be at least 1, but got " + bins);
        }
        if (resamples < 2) {
            throw new IllegalArgumentException("Expected resamples to be at least 2, but got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Expected the confidence level in (0, 1), but got " + level);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("Expected alpha (conformal miscoverage) in (0, 1), but got " + alpha);
        }
        if (probeSize < 0) {
            throw new IllegalArgumentException("Expected the probe size to be at least 0, but got " + probeSize);
        }
        if (calibration instanceof CalibrationChoice.Stored && storedMap.isEmpty()) {
            throw new IllegalArgumentException("calibration 'stored' needs the stored map (withStoredMap)");
        }
    }

    /** Temperature scaling, threshold 0.9, 15 bins, 200 resamples, 95% intervals, seed 0, alpha 0.1. */
    public static AuditOptions defaults() {
        return new AuditOptions(CalibrationChoice.fit(CalibrationMethod.TEMPERATURE.create()), Optional.empty(), 0.9,
                CalibrationMetrics.DEFAULT_BINS, DEFAULT_RESAMPLES, 0.95, 0, AuditStatistics.DEFAULT_ALPHA,
                DEFAULT_PROBE_SIZE, Thresholds.defaults(), s -> { });
    }

    /** How to calibrate. */
    public AuditOptions withCalibration(CalibrationChoice c) { return edit(d -> d.calibration = c); }

    /** How to calibrate, by name as {@link CalibrationChoice#parse} reads it. */
    public AuditOptions withCalibration(String name) {
        return withCalibration(CalibrationChoice.parse(name));
    }

    /** A map fitted earlier, applied as it is (the settings record the method as {@code stored}). */
    public AuditOptions withStoredMap(CalibrationMap m) { return edit(d -> d.storedMap = Optional.of(m)); }

    /** The confidence counted as overconfident on probes. */
    public AuditOptions withThreshold(double t) { return edit(d -> d.threshold = t); }

    /** Equal-width bins. */
    public AuditOptions withBins(int b) { return edit(d -> d.bins = b); }

    /** Bootstrap resamples. */
    public AuditOptions withResamples(int r) { return edit(d -> d.resamples = r); }

    /** Confidence level of the intervals. */
    public AuditOptions withLevel(double l) { return edit(d -> d.level = l); }

    /** Seed of the bootstrap. */
    public AuditOptions withSeed(long s) { return edit(d -> d.seed = s); }

    /** Miscoverage of the conformal prediction sets. */
    public AuditOptions withAlpha(double a) { return edit(d -> d.alpha = a); }

    /** The probe size recorded in the settings. */
    public AuditOptions withProbeSize(int n) { return edit(d -> d.probeSize = n); }

    /** The verdicts' thresholds. */
    public AuditOptions withThresholds(Thresholds t) { return edit(d -> d.thresholds = t); }

    /** Where progress lines go. */
    public AuditOptions withProgress(Consumer<String> p) { return edit(d -> d.progress = p); }

    /** These settings with the changes {@code change} makes to a draft of them; the canonical constructor validates. */
    private AuditOptions edit(Consumer<Draft> change) { Draft d = new Draft(); change.accept(d); return d.build(); }

    /** A mutable copy of these settings that the withers change. */
    private final class Draft {
        CalibrationChoice calibration = AuditOptions.this.calibration;
        Optional<CalibrationMap> storedMap = AuditOptions.this.storedMap;
        double threshold = AuditOptions.this.threshold;
        int bins = AuditOptions.this.bins;
        int resamples = AuditOptions.this.resamples;
        double level = AuditOptions.this.level;
        long seed = AuditOptions.this.seed;
        double alpha = AuditOptions.this.alpha;
        int probeSize = AuditOptions.this.probeSize;
        Thresholds thresholds = AuditOptions.this.thresholds;
        Consumer<String> progress = AuditOptions.this.progress;

        AuditOptions build() {
            return new AuditOptions(calibration, storedMap, threshold, bins, resamples, level, seed, alpha, probeSize,
                    thresholds, progress);
        }
    }
}
