package org.calibkit.cli;

import java.nio.file.Path;
import java.util.List;

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
public final class CompareCommand extends CalibkitCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "calibkit model bundle (.ckb); repeat for each model, in column order")
    List<Path> models;

    @Mixin
    LabelledDataMixin data = new LabelledDataMixin();

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
        return run(this, new ComparisonJob.Input(models, data.data, data.dataDir()), files.outputs(),
                probeOptions.options(calibration));
    }

    /**
     * Runs the comparison, progress on stderr, the summary on stdout; returns the exit code (0).
     * Shared by {@code compare} and {@code audit} with several {@code --model}.
     */
    static int run(CalibkitCommand command, ComparisonJob.Input in, AuditJob.Outputs outputs, AuditJob.Options options) {
        Comparison c = new ComparisonJob(in, outputs, options).run(command.progress());
        command.println(ComparisonText.summary(c, outputs.html(), outputs.json()));
        return 0;
    }
}
