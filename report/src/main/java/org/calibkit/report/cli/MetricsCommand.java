package org.calibkit.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

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
import org.calibkit.report.metrics.MetricsReport;


import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code calibkit metrics}: calibration metrics of saved predictions (logits or probabilities
 * and labels, as .npy or .csv), optionally before and after fitting a calibrator on a separate
 * calibration set, as an aligned table or one JSON object, with charts on request.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calibration metrics of saved predictions (.npy or .csv): accuracy, NLL, Brier, ECE, MCE, "
                + "equal-mass ECE, classwise ECE, ACE, debiased and smooth ECE.",
                "With --fit-logits/--fit-labels, fits a calibrator on that set and reports the metrics of "
                        + "--logits before and after calibration."})
public final class MetricsCommand implements Callable<Integer> {
    /** Size of the single charts written by --plot. */
    static final int PLOT_WIDTH = 800;
    static final int PLOT_HEIGHT = 640;
    /** Size of the per-class grid written by --plot. */
    static final int GRID_WIDTH = 1200;
    static final int GRID_HEIGHT = 960;
    /** Beyond this many classes the per-class grid is skipped (panels would be unreadable). */
    static final int MAX_GRID_CLASSES = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--logits", required = true, paramLabel = "FILE",
            description = "n x K logits of the evaluation set (.npy or .csv); probabilities with --probabilities")
    Path logitsFile;

    @Option(names = "--labels", required = true, paramLabel = "FILE",
            description = "n true labels in [0, K) (.npy or one-column .csv)")
    Path labelsFile;

    @Option(names = "--probabilities",
            description = "the --logits (and --fit-logits) files hold probabilities whose rows sum to 1, not logits")
    boolean probabilities;

    @Option(names = "--from-probabilities-eps", paramLabel = "EPS",
            description = "with --probabilities: turn probabilities into logits log(max(p, EPS)) so a calibrator "
                    + "can be fitted (e.g. 1e-12); never done without this option")
    Double fromProbabilitiesEps;

    @Option(names = "--fit-logits", paramLabel = "FILE",
            description = "logits of a held-out calibration set to fit the calibrator on (needs --fit-labels)")
    Path fitLogitsFile;

    @Option(names = "--fit-labels", paramLabel = "FILE", description = "labels of the calibration set")
    Path fitLabelsFile;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "temperature",
            completionCandidates = KnownMethods.class,
            description = "calibrator to fit on the --fit set, one of: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--bins", paramLabel = "B", defaultValue = "15",
            description = "number of confidence bins (default: ${DEFAULT-VALUE})")
    int bins;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "write reliability diagram, confidence histogram and per-class grid (PNG and SVG) to DIR")
    Path plotDir;

    @Option(names = "--class-names", paramLabel = "NAMES", split = ",",
            description = "comma-separated class names for the per-class charts (default 0..K-1)")
    List<String> classNames;

    @Option(names = "--ci", description = "add percentile bootstrap intervals to every metric")
    boolean ci;

    @Option(names = "--resamples", paramLabel = "R", defaultValue = "1000",
            description = "bootstrap resamples for --ci (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--level", paramLabel = "L", defaultValue = "0.95",
            description = "confidence level of the --ci intervals (default: ${DEFAULT-VALUE})")
    double level;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "seed of the bootstrap resampling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--intervals", paramLabel = "bca|percentile", defaultValue = "percentile",
            description = "how --ci reads intervals off the resamples: percentile or bca (default: ${DEFAULT-VALUE}; "
                    + "see docs/statistics.md for why)")
    String intervals;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.1",
            description = "miscoverage of the conformal prediction sets fitted on the --fit set: they hold the true "
                    + "class with probability at least 1 - A (default: ${DEFAULT-VALUE})")
    double alpha;

    /** The calibrators this build knows, for the help text. */
    static final class KnownMethods implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CalibrationMethod.ids().iterator();
        }
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

    @Override
    public Integer call() {
        validateOptions();
        Predictions eval = readPredictions(logitsFile, "--logits");
        int[] labels = readLabels(labelsFile, "--labels", logitsFile, eval.probabilities().n(),
                eval.probabilities().k());
        if (classNames != null && classNames.size() != eval.probabilities().k()) {
            throw new IllegalArgumentException("Expected " + eval.probabilities().k() + " --class-names (one per "
                    + "column of " + logitsFile + "), but got " + classNames.size());
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
            fitLabels = readLabels(fitLabelsFile, "--fit-labels", fitLogitsFile, fit.probabilities().n(),
                    fit.probabilities().k());
            map = CalibrationMethod.byId(method).create().fit(fit.logits(), fitLabels);
            // maps that output logits keep the NLL exact log-softmax
            CalibrationMap fitted = map;
            calibrated = map.outputLogits(eval.logits()).map(Predictions::ofLogits)
                    .orElseGet(() -> new Predictions(null, fitted.apply(eval.logits()), false));
        }

        MetricsReport.Evaluated before = evaluate(eval, labels);
        MetricsReport.Evaluated after = calibrated == null ? null : evaluate(calibrated, labels);
        List<Path> plots = plotDir == null ? List.of() : plot(eval, calibrated, labels, map);
        MetricsReport report = new MetricsReport(eval.probabilities().k(), bins,
                probabilities ? "probabilities" : "logits", logitsFile, labelsFile, fitLogitsFile, before, after, map,
                ci ? new MetricsReport.IntervalSettings(level, resamples, seed, Bootstrap.Method.of(intervals)) : null,
                plots, MetricsReport.statistics(eval.probabilities(),
                        eval.metricsFromLogits() ? eval.logits() : null, labels,
                        calibrated == null ? null : calibrated.probabilities(), fit == null ? null : fit.probabilities(),
                        fitLabels, alpha, level, bins, seed));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toJson());
        } else {
            report.printTable(out);
        }
        out.flush();
        return 0;
    }

    private void validateOptions() {
        if (bins < 1) {
            throw new IllegalArgumentException("Expected --bins to be an integer larger than 0, but got " + bins);
        }
        if ((fitLogitsFile == null) != (fitLabelsFile == null)) {
            throw new IllegalArgumentException(fitLogitsFile == null
                    ? "--fit-labels needs --fit-logits (the calibration set's logits)"
                    : "--fit-logits needs --fit-labels (the calibration set's labels)");
        }
        if (fromProbabilitiesEps != null && !probabilities) {
            throw new IllegalArgumentException("--from-probabilities-eps only applies with --probabilities");
        }
        if (fromProbabilitiesEps != null && !(fromProbabilitiesEps > 0 && fromProbabilitiesEps < 1)) {
            throw new IllegalArgumentException("Expected --from-probabilities-eps in (0, 1), but got "
                    + fromProbabilitiesEps);
        }
        if (classNames != null && plotDir == null) {
            throw new IllegalArgumentException("--class-names only applies with --plot");
        }
        if (ci && resamples < 2) {
            throw new IllegalArgumentException("Expected --resamples to be at least 2, but got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Expected --level in (0, 1), but got " + level);
        }
        Bootstrap.Method.of(intervals);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("Expected --alpha in (0, 1), but got " + alpha);
        }
        if (fitLogitsFile != null) {
            // fail on an unknown method before reading any file
            CalibrationMethod.byId(method).create();
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
        if (!probabilities) {
            Logits z = reading(file, option, () -> PredictionFiles.readLogits(file));
            String warning = MetricsReport.outputKindWarning(file, option, z);
            if (warning != null) {
                spec.commandLine().getErr().println("calibkit: warning: " + warning);
                spec.commandLine().getErr().flush();
            }
            return Predictions.ofLogits(z);
        }
        Probabilities p = reading(file, option, () -> PredictionFiles.readProbabilities(file, true));
        Logits z = fromProbabilitiesEps == null ? null : Logits.fromProbabilities(p, fromProbabilitiesEps);
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
        MetricSummary s = p.summary(labels, bins);
        Map<String, Bootstrap.Interval> iv = null;
        if (ci) {
            Bootstrap b = new Bootstrap(seed).withResamples(resamples).withLevel(level)
                    .withMethod(Bootstrap.Method.of(intervals));
            iv = p.intervals(b, labels, bins);
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
        written.addAll(Charts.writeAll(plotDir, single, PLOT_WIDTH, PLOT_HEIGHT));
        written.addAll(Charts.writeAll(plotDir, grids, GRID_WIDTH, GRID_HEIGHT));
        return written;
    }

    private void addCharts(Map<String, ChartData> charts, String tag, Probabilities p, int[] labels, String title) {
        TopLabel t = TopLabel.of(p, labels);
        double[] conf = t.confidences();
        boolean[] hit = t.correct();
        ReliabilityBins rb = ReliabilityBins.of(conf, hit, bins);
        ReliabilityDiagram d = ReliabilityDiagram.of(rb, title);
        if (ci) {
            d = d.withIntervals(BinAccuracyIntervals.bootstrap(conf, hit, bins, resamples, level, seed));
        }
        charts.put("reliability-" + tag, d);
        charts.put("confidence-" + tag, ConfidenceHistogram.of(rb, title));
        if (p.k() <= MAX_GRID_CLASSES) {
            charts.put("classwise-" + tag, ClasswiseReliability.of(p, labels, classNames, bins,
                    "Per-class reliability, " + title));
        } else if (tag.equals("before")) {
            spec.commandLine().getErr().println("calibkit: note: per-class charts skipped: " + p.k()
                    + " classes are more than " + MAX_GRID_CLASSES + " small panels can show");
        }
    }
}
