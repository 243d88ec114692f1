package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.compare.Comparison;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.cli.compare.ComparisonJob;
import org.calibkit.report.compare.ComparisonText;
import org.calibkit.report.probes.ProbeContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code calibkit compare}: parses options and runs {@link ComparisonJob}. Exit 0 whatever the
 * numbers, 1 on bad input, 2 on a command line that does not parse.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare saved models on the same data: each is audited on the same test split, calibrated "
                + "on the same validation split and probed with the same generated images; writes one "
                + "self-contained HTML page with a column per model (test accuracy, ECE and NLL before and after "
                + "calibration, temperature, each probe's confidence, OOD AUROC per score, a reliability diagram "
                + "per model) and, with --json, its JSON twin.",
                "Exit code 0 whatever the numbers; 1 on bad input; 2 when the command line does not parse."},
        footer = {"", "Example: calibkit compare --model softmax.ckb --model sigmoid.ckb --model lr.ckb --data mnist "
                + "--out compare.html --json compare.json"})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "calibkit model bundle (.ckb); repeat for each model, in column order")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist, svhn, synthetic-svhn, or a directory with test/ (and validation/) class folders")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory holding the data set's files")
    Path dataDir;

    @Option(names = "--calibration", paramLabel = "METHOD", defaultValue = "temperature",
            description = "calibrator fitted on the validation split for each model: temperature, vector, matrix, "
                    + "dirichlet, histogram, isotonic, platt, or none (default: ${DEFAULT-VALUE})")
    String calibration;

    @Mixin
    ProbeOptionsMixin probeOptions = new ProbeOptionsMixin();

    @Mixin
    ReportFilesMixin files = new ReportFilesMixin();

    @Override
    public Integer call() {
        if (!CalibrationChoice.None.ID.equals(calibration) && !CalibrationMethod.ids().contains(calibration)) {
            throw new IllegalArgumentException("--calibration must be one of " + CalibrationMethod.ids() + " or none, but got '"
                    + calibration + "'");
        }
        if (!(probeOptions.threshold > 0 && probeOptions.threshold <= 1)) {
            throw new IllegalArgumentException("--threshold must be in (0, 1], but got " + probeOptions.threshold);
        }
        return run(spec, new ComparisonJob.Input(models, data, dataDir), files.outputs(),
                probeOptions.options(calibration));
    }

    /**
     * Runs the comparison, progress on stderr, the summary on stdout; returns the exit code (0).
     * Shared by {@code compare} and {@code audit} with several {@code --model}.
     */
    static int run(CommandSpec spec, ComparisonJob.Input in, AuditJob.Outputs outputs, AuditJob.Options options) {
        PrintWriter err = spec.commandLine().getErr();
        Comparison c = new ComparisonJob(in, outputs, options).run(line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(ComparisonText.summary(c, outputs.html(), outputs.json()));
        stdout.flush();
        return 0;
    }
}
