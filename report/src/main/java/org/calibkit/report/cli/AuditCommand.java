package org.calibkit.report.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.calibkit.calibration.calibrators.Calibrators;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditJob;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.terminal.TerminalSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code calibkit audit}: parses options and runs {@link AuditJob}. Exit 0 whatever the
 * verdicts, 1 on bad input, 2 on a command line that does not parse.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Audit a saved model: calibration on the test split before and after calibration "
                + "(fitted on the validation split), and probes it should not be sure about (blank images, "
                + "noise, unscaled pixels, letters, other digits, rotations). Writes a self-contained HTML "
                + "report and, with --json, its JSON twin; prints a five-line summary.",
                "Exit code 0 whatever the verdicts; 1 on bad input; 2 when the command line does not parse."})
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "calibkit model bundle (.ckb)")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist, svhn, synthetic-svhn, or a directory with test/ (and validation/) class folders")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory holding the data set's files")
    Path dataDir;

    @Option(names = "--calibration", paramLabel = "METHOD", defaultValue = "temperature",
            description = "calibrator fitted on the validation split: temperature, vector, matrix, dirichlet, histogram, "
                    + "isotonic, platt, or none (default: ${DEFAULT-VALUE})")
    String calibration;

    @Option(names = "--probes", paramLabel = "all|LIST", defaultValue = "all",
            description = "probes to run: all, or a comma-separated list of names (default: ${DEFAULT-VALUE})")
    String probes;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.9",
            description = "confidence counted as overconfident on probes (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--probe-size", paramLabel = "N", defaultValue = "" + ProbeContext.DEFAULT_SIZE,
            description = "images per probe (default: ${DEFAULT-VALUE})")
    int probeSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of probes and bootstrap (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resamples", paramLabel = "R", defaultValue = "" + Audit.DEFAULT_RESAMPLES,
            description = "bootstrap resamples for the intervals (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.1",
            description = "miscoverage of the conformal prediction sets: they hold the true class with probability "
                    + "at least 1 - A (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the HTML report to write")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the JSON twin here")
    Path json;

    @Override
    public Integer call() {
        if (!"none".equals(calibration) && !Calibrators.KNOWN.contains(calibration)) {
            throw new IllegalArgumentException("--calibration must be one of " + Calibrators.KNOWN + " or none, but got '"
                    + calibration + "'");
        }
        PrintWriter err = spec.commandLine().getErr();
        AuditResult r = new AuditJob(model, data, dataDir, calibration, probes, threshold, probeSize, seed, resamples,
                out, json, alpha).run(line -> {
                    err.println(line);
                    err.flush();
                });
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(TerminalSummary.summary(r, out, json));
        stdout.flush();
        return 0;
    }
}
