package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.cli.metrics.MetricsJob;
import org.calibkit.cli.metrics.MetricsReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calibkit metrics}: calibration metrics of saved predictions (logits or probabilities
 * and labels, as .npy or .csv), optionally before and after fitting a calibrator on a separate
 * calibration set, as an aligned table or one JSON object, with charts on request. Parses the
 * options and prints; {@link MetricsJob} does the work.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calibration metrics of saved predictions (.npy or .csv): accuracy, NLL, Brier, ECE, MCE, "
                + "equal-mass ECE, classwise ECE, ACE, debiased and smooth ECE.",
                "With --fit-logits/--fit-labels, fits a calibrator on that set and reports the metrics of "
                        + "--logits before and after calibration."})
public final class MetricsCommand extends CalibkitCommand {
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

    @Override
    public Integer call() {
        MetricsJob.Options o = MetricsJob.Options.defaults().withBins(bins).withMethod(method).withProbabilities(probabilities)
                .withFromProbabilitiesEps(fromProbabilitiesEps).withPlotDir(plotDir).withClassNames(classNames)
                .withIntervals(ci).withResamples(resamples).withLevel(level).withSeed(seed).withIntervalMethod(intervals)
                .withAlpha(alpha);
        MetricsReport report = new MetricsJob(new MetricsJob.Inputs(logitsFile, labelsFile, fitLogitsFile, fitLabelsFile), o)
                .run(progress());
        PrintWriter out = out();
        if (json) {
            out.println(report.toJson());
        } else {
            report.printTable(out);
        }
        out.flush();
        return 0;
    }
}
