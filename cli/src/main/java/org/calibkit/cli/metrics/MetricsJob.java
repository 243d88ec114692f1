// Over 400 lines only through its Options record (twelve settings, each with its documented wither); the job itself is ~300.
package org.calibkit.cli.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.calibration.charts.BinAccuracyIntervals;
import org.calibkit.calibration.charts.ChartData;
import org.calibkit.calibration.charts.Charts;
import org.calibkit.calibration.charts.ClasswiseReliability;
import org.calibkit.calibration.charts.ConfidenceHistogram;
import org.calibkit.calibration.charts.ReliabilityDiagram;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.TopLabel;
import org.calibkit.core.CalibkitException;

/**
 * The metrics of saved predictions as one job: read the files, fit the calibrator on the fit set
 * (when given), compute the metrics before and after (with bootstrap intervals on request), the
 * statistics, and the charts. What {@code calibkit metrics} calls; it only prints the result.
 */
public final class MetricsJob {
    /** Size of the single charts written with a plot directory. */
    static final int PLOT_WIDTH = 800;
    static final int PLOT_HEIGHT = 640;
    /** Size of the per-class grid. */
    static final int GRID_WIDTH = 1200;
    static final int GRID_HEIGHT = 960;
    /** Beyond this many classes the per-class grid is skipped (panels would be unreadable). */
    public static final int MAX_GRID_CLASSES = 100;

    /**
     * The files.
     *
     * @param logits    n x K logits (or probabilities) of the evaluation set
     * @param labels    its labels
     * @param fitLogits logits of the calibration set to fit the calibrator on, or null
     * @param fitLabels its labels, or null (given exactly when {@code fitLogits} is)
     */
    public record Inputs(Path logits, Path labels, Path fitLogits, Path fitLabels) {
        public Inputs {
            Objects.requireNonNull(logits, "logits");
            Objects.requireNonNull(labels, "labels");
        }
    }

    /**
     * How the metrics are computed. Rules between options (an epsilon only with probabilities, class
     * names only with plots) are checked when the job runs, so the withers can come in any order.
     *
     * @param bins                 confidence bins
     * @param method               the calibrator fitted on the fit set
     * @param probabilities        the files hold probabilities (rows sum to 1), not logits
     * @param fromProbabilitiesEps with probabilities: turn them into logits log(max(p, eps)) for fitting, or null
     * @param plotDir              where to write the charts, or null for none
     * @param classNames           class names for the per-class charts, or null (0..K-1)
     * @param intervals            add bootstrap intervals to every metric
     * @param resamples            bootstrap resamples
     * @param level                confidence level of the intervals
     * @param seed                 seed of the resampling
     * @param intervalMethod       {@code percentile} or {@code bca}
     * @param alpha                miscoverage of the conformal prediction sets
     */
    public record Options(int bins, String method, boolean probabilities, Double fromProbabilitiesEps, Path plotDir,
                          List<String> classNames, boolean intervals, int resamples, double level, long seed,
                          String intervalMethod, double alpha) {
        public Options {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(intervalMethod, "intervalMethod");
            classNames = classNames == null ? null : List.copyOf(classNames);
        }

        /** 15 bins, temperature scaling, logits, no charts, no intervals (1,000 resamples at 95% when asked), alpha 0.1. */
        public static Options defaults() {
            return new Draft().build();
        }

        /** With {@code b} confidence bins. */
        public Options withBins(int b) { return edit(d -> d.bins = b); }

        /** Fitting calibrator {@code m}. */
        public Options withMethod(String m) { return edit(d -> d.method = m); }

        /** Reading the files as probabilities (true) or logits (false). */
        public Options withProbabilities(boolean p) { return edit(d -> d.probabilities = p); }

        /** Converting probabilities to logits with this epsilon (null: never). */
        public Options withFromProbabilitiesEps(Double eps) { return edit(d -> d.fromProbabilitiesEps = eps); }

        /** Writing the charts into {@code dir} (null: none). */
        public Options withPlotDir(Path dir) { return edit(d -> d.plotDir = dir); }

        /** Class names of the per-class charts (null: 0..K-1). */
        public Options withClassNames(List<String> names) { return edit(d -> d.classNames = names); }

        /** With (true) or without bootstrap intervals. */
        public Options withIntervals(boolean on) { return edit(d -> d.intervals = on); }

        /** With {@code r} bootstrap resamples. */
        public Options withResamples(int r) { return edit(d -> d.resamples = r); }

        /** At confidence level {@code l}. */
        public Options withLevel(double l) { return edit(d -> d.level = l); }

        /** With resampling seed {@code s}. */
        public Options withSeed(long s) { return edit(d -> d.seed = s); }

        /** Reading intervals off the resamples by {@code percentile} or {@code bca}. */
        public Options withIntervalMethod(String m) { return edit(d -> d.intervalMethod = m); }

        /** With conformal miscoverage {@code a}. */
        public Options withAlpha(double a) { return edit(d -> d.alpha = a); }

        private Options edit(Consumer<Draft> change) {
            Draft d = new Draft(this);
            change.accept(d);
            return d.build();
        }

        /** The defaults, or a mutable copy the withers change one field of; {@link #build} calls the canonical constructor. */
        private static final class Draft {
            int bins = 15;
            String method = "temperature";
            boolean probabilities;
            Double fromProbabilitiesEps;
            Path plotDir;
            List<String> classNames;
            boolean intervals;
            int resamples = 1000;
            double level = 0.95;
            long seed;
            String intervalMethod = "percentile";
            double alpha = 0.1;

            /** The defaults. */
            Draft() {
            }

            Draft(Options o) {
                bins = o.bins;
                method = o.method;
                probabilities = o.probabilities;
                fromProbabilitiesEps = o.fromProbabilitiesEps;
                plotDir = o.plotDir;
                classNames = o.classNames;
                intervals = o.intervals;
                resamples = o.resamples;
                level = o.level;
                seed = o.seed;
                intervalMethod = o.intervalMethod;
                alpha = o.alpha;
            }

            Options build() {
                return new Options(bins, method, probabilities, fromProbabilitiesEps, plotDir, classNames, intervals,
                        resamples, level, seed, intervalMethod, alpha);
            }
        }
    }

    private final Inputs in;
    private final Options o;
    private Consumer<String> messages = s -> { };

    /** A job on these files with these options. */
    public MetricsJob(Inputs in, Options o) {
        this.in = Objects.requireNonNull(in, "in");
        this.o = Objects.requireNonNull(o, "o");
    }

    /**
     * One set of predictions: probabilities always; logits when read (or explicitly converted
     * from probabilities, then only for fitting: metrics of probabilities use the probabilities).
     */
    private record Predictions(Logits logits, Probabilities probabilities, boolean metricsFromLogits) {
        static Predictions ofLogits(Logits z) {
            return new Predictions(z, z.softmax(), true);
        }

        MetricSummary summary(int[] labels, int bins) {
            return metricsFromLogits ? CalibrationMetrics.summary(logits, labels, bins)
                    : CalibrationMetrics.summary(probabilities, labels, bins);
        }

        Map<String, Bootstrap.Interval> intervals(Bootstrap b, int[] labels, int bins) {
            return metricsFromLogits ? b.summary(logits, labels, bins) : b.summary(probabilities, labels, bins);
        }
    }

    /**
     * Runs it; warnings and notes (a file that looks like probabilities read as logits, per-class
     * charts skipped) go to {@code messages} as whole lines.
     *
     * @throws IllegalArgumentException for options that do not fit together or are out of range
     * @throws CalibkitException        for a file that cannot be read or does not fit the others
     */
    public MetricsReport run(Consumer<String> messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
        validateOptions();
        if (o.plotDir() != null) { // before any work, as audit checks --out
            PlotOutputs.check(o.plotDir(), java.util.Arrays.asList(in.logits(), in.labels(), in.fitLogits(),
                    in.fitLabels()));
        }
        Path logitsFile = in.logits();
        Path labelsFile = in.labels();
        Path fitLogitsFile = in.fitLogits();
        Predictions eval = readPredictions(logitsFile, "--logits");
        int[] labels = readLabels(labelsFile, "--labels", logitsFile, eval.probabilities().n(),
                eval.probabilities().k());
        if (o.classNames() != null && o.classNames().size() != eval.probabilities().k()) {
            throw new IllegalArgumentException("Expected " + eval.probabilities().k() + " --class-names (one per "
                    + "column of " + logitsFile + "), but got " + o.classNames().size());
        }

        CalibrationMap map = null;
        Predictions calibrated = null;
        Predictions fit = null;
        int[] fitLabels = null;
        if (fitLogitsFile != null) {
            if (eval.logits() == null) {
                throw new CalibkitException("fitting a calibrator needs logits, but --probabilities says "
                        + logitsFile + " holds probabilities; pass logits, or convert explicitly with "
                        + "--from-probabilities-eps (e.g. 1e-12)");
            }
            fit = readPredictions(fitLogitsFile, "--fit-logits");
            if (fit.probabilities().k() != eval.probabilities().k()) {
                throw new CalibkitException("the calibration set " + fitLogitsFile + " has "
                        + fit.probabilities().k() + " classes but the evaluation set " + logitsFile + " has "
                        + eval.probabilities().k());
            }
            fitLabels = readLabels(in.fitLabels(), "--fit-labels", fitLogitsFile, fit.probabilities().n(),
                    fit.probabilities().k());
            map = CalibrationMethod.byId(o.method()).create().fit(fit.logits(), fitLabels);
            // maps that output logits keep the NLL exact log-softmax
            CalibrationMap fitted = map;
            calibrated = map.outputLogits(eval.logits()).map(Predictions::ofLogits)
                    .orElseGet(() -> new Predictions(null, fitted.apply(eval.logits()), false));
        }

        MetricsReport.Evaluated before = evaluate(eval, labels);
        MetricsReport.Evaluated after = calibrated == null ? null : evaluate(calibrated, labels);
        List<Path> plots = o.plotDir() == null ? List.of() : plot(eval, calibrated, labels, map);
        return new MetricsReport(eval.probabilities().k(), o.bins(),
                o.probabilities() ? "probabilities" : "logits", logitsFile, labelsFile, fitLogitsFile, before, after, map,
                o.intervals() ? new MetricsReport.IntervalSettings(o.level(), o.resamples(), o.seed(),
                        Bootstrap.Method.of(o.intervalMethod())) : null,
                plots, MetricsReport.statistics(eval.probabilities(),
                        eval.metricsFromLogits() ? eval.logits() : null, labels,
                        calibrated == null ? null : calibrated.probabilities(), fit == null ? null : fit.probabilities(),
                        fitLabels, o.alpha(), o.level(), o.bins(), o.seed()));
    }

    private void validateOptions() {
        Path fitLogitsFile = in.fitLogits();
        double alpha = o.alpha();
        if (o.bins() < 1) {
            throw new IllegalArgumentException("Expected --bins to be an integer larger than 0, but got " + o.bins());
        }
        if ((fitLogitsFile == null) != (in.fitLabels() == null)) {
            throw new IllegalArgumentException(fitLogitsFile == null
                    ? "--fit-labels needs --fit-logits (the calibration set's logits)"
                    : "--fit-logits needs --fit-labels (the calibration set's labels)");
        }
        if (o.fromProbabilitiesEps() != null && !o.probabilities()) {
            throw new IllegalArgumentException("--from-probabilities-eps only applies with --probabilities");
        }
        if (o.fromProbabilitiesEps() != null && !(o.fromProbabilitiesEps() > 0 && o.fromProbabilitiesEps() < 1)) {
            throw new IllegalArgumentException("Expected --from-probabilities-eps in (0, 1), but got "
                    + o.fromProbabilitiesEps());
        }
        if (o.classNames() != null && o.plotDir() == null) {
            throw new IllegalArgumentException("--class-names only applies with --plot");
        }
        if (o.intervals() && o.resamples() < 2) {
            throw new IllegalArgumentException("Expected --resamples to be at least 2, but got " + o.resamples());
        }
        if (!(o.level() > 0 && o.level() < 1)) {
            throw new IllegalArgumentException("Expected --level in (0, 1), but got " + o.level());
        }
        Bootstrap.Method.of(o.intervalMethod());
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("Expected --alpha in (0, 1), but got " + alpha);
        }
        if (fitLogitsFile != null) {
            // fail on an unknown method before reading any file
            CalibrationMethod.byId(o.method()).create();
        }
    }

    private static void exists(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new CalibkitException(file + " is a directory, not a file (" + option + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("no such file: " + file + " (" + option + ")");
        }
    }

    /** Runs a read, turning an I/O failure into one line naming the file and the option. */
    private static <T> T reading(Path file, String option, java.util.function.Supplier<T> read) {
        exists(file, option);
        try {
            return read.get();
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            String why = cause == null ? e.getMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            throw new CalibkitException("cannot read " + file + " (" + option + "): " + why, e);
        }
    }

    private Predictions readPredictions(Path file, String option) {
        if (!o.probabilities()) {
            Logits z = reading(file, option, () -> PredictionFiles.readLogits(file));
            String warning = MetricsReport.outputKindWarning(file, option, z);
            if (warning != null) {
                messages.accept("calibkit: warning: " + warning);
            }
            return Predictions.ofLogits(z);
        }
        Probabilities p = reading(file, option, () -> PredictionFiles.readProbabilities(file, true));
        Logits z = o.fromProbabilitiesEps() == null ? null : Logits.fromProbabilities(p, o.fromProbabilitiesEps());
        return new Predictions(z, p, false);
    }

    private static int[] readLabels(Path file, String option, Path predictionsFile, int n, int k) {
        int[] labels = reading(file, option, () -> PredictionFiles.readLabels(file));
        if (labels.length != n) {
            throw new CalibkitException(file + " has " + labels.length + " labels but " + predictionsFile + " has "
                    + n + " rows");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new CalibkitException(file + ": label " + labels[i] + " at row " + i + " is outside [0, " + k
                        + ") (" + predictionsFile + " has " + k + " classes)");
            }
        }
        return labels;
    }

    private MetricsReport.Evaluated evaluate(Predictions p, int[] labels) {
        MetricSummary s = p.summary(labels, o.bins());
        Map<String, Bootstrap.Interval> iv = null;
        if (o.intervals()) {
            Bootstrap b = new Bootstrap(o.seed()).withResamples(o.resamples()).withLevel(o.level())
                    .withMethod(Bootstrap.Method.of(o.intervalMethod()));
            iv = p.intervals(b, labels, o.bins());
        }
        return new MetricsReport.Evaluated(s, iv);
    }

    // ---------------------------------------------------------------- charts

    private List<Path> plot(Predictions eval, Predictions calibrated, int[] labels, CalibrationMap map) {
        Map<String, ChartData> charts = new LinkedHashMap<>();
        String suffix = calibrated == null ? "" : " (before calibration)";
        addCharts(charts, "before", eval.probabilities(), labels, "Uncalibrated" + suffix);
        if (calibrated != null) {
            String how = map.describe();
            addCharts(charts, "after", calibrated.probabilities(), labels, "Calibrated: " + how);
        }
        List<Path> written = new ArrayList<>();
        Map<String, ChartData> single = new LinkedHashMap<>();
        Map<String, ChartData> grids = new LinkedHashMap<>();
        charts.forEach((name, data) -> (data instanceof ClasswiseReliability ? grids : single).put(name, data));
        written.addAll(Charts.writeAll(o.plotDir(), single, PLOT_WIDTH, PLOT_HEIGHT));
        written.addAll(Charts.writeAll(o.plotDir(), grids, GRID_WIDTH, GRID_HEIGHT));
        return written;
    }

    private void addCharts(Map<String, ChartData> charts, String tag, Probabilities p, int[] labels, String title) {
        TopLabel t = TopLabel.of(p, labels);
        double[] conf = t.confidences();
        boolean[] hit = t.correct();
        ReliabilityBins rb = ReliabilityBins.of(conf, hit, o.bins());
        ReliabilityDiagram d = ReliabilityDiagram.of(rb, title);
        if (o.intervals()) {
            d = d.withIntervals(BinAccuracyIntervals.bootstrap(conf, hit, o.bins(), o.resamples(), o.level(), o.seed()));
        }
        charts.put("reliability-" + tag, d);
        charts.put("confidence-" + tag, ConfidenceHistogram.of(rb, title));
        if (p.k() <= MAX_GRID_CLASSES) {
            charts.put("classwise-" + tag, ClasswiseReliability.of(p, labels, o.classNames(), o.bins(),
                    "Per-class reliability, " + title));
        } else if (tag.equals("before")) {
            messages.accept("calibkit: note: per-class charts skipped: " + p.k()
                    + " classes are more than " + MAX_GRID_CLASSES + " small panels can show");
        }
    }
}
