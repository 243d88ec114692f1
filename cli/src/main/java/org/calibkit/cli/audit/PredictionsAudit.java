package org.calibkit.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.Checksums;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.probes.Probe;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;

/**
 * The audit of saved predictions, without a model: prediction files ({@link SavedPredictions}),
 * a Parquet log read through DuckDB ({@link PredictionLogs}) or audited on Apache Spark
 * ({@link SparkLogs}). Probes that need a model are listed as skipped.
 */
final class PredictionsAudit {
    private PredictionsAudit() {
    }

    /** Audits prediction files (or a Parquet log) {@code p} shown as data set {@code data} (null: predictions). */
    static AuditJob.Audited run(AuditJob.PredictionInputs p, String data, CalibrationChoice choice, List<Probe> selected,
                                Supplier<AuditOptions> o, Consumer<String> progress) {
        if (choice instanceof CalibrationChoice.Stored) {
            throw new CalibkitException("calibration 'stored' needs a model bundle; prediction files carry no calibration map");
        }
        long t0 = System.nanoTime();
        if (p.spark() != null) {
            return runSpark(p, data, choice, selected, o, progress);
        }
        SavedPredictions sp;
        if (PredictionLogs.isLog(p.test())) { // a Parquet log: labels and outputs are columns of its rows
            if (p.testLabels() != null || p.validationLabels() != null || !p.probes().isEmpty()) {
                throw new CalibkitException("a Parquet prediction log " + p.test() + " carries its labels in its "
                        + "label column; give no --labels or --val-labels, and probes as .npy or .csv only with .npy "
                        + "or .csv predictions");
            }
            long rows = PredictionLogs.rows(p.test(), p.logSchema());
            if (rows > p.streamAbove()) {
                List<ProbeOutcome> skipped = skippedProbes(selected, java.util.Set.of());
                return new AuditJob.Audited(StreamedLogs.duckDb(p, rows, skipped, data != null ? data : "predictions",
                        o.get(), progress, (head, kind, classes) -> predictionsInfo(p, head, kind, classes)), null);
            }
            sp = PredictionLogs.read(p.test(), p.validation(), p.logSchema(), p.options());
        } else {
            sp = SavedPredictions.read(p.test(), p.testLabels(), p.validation(), p.validationLabels(), p.probes(),
                    p.options());
        }
        progress.accept(String.format(Locale.ROOT, "audit: predictions %s: %d test rows x %d classes (%s)%s%s",
                p.test(), sp.test().labels().length, sp.classNames().size(), sp.outputKind().id().replace('_', ' '),
                sp.validation().map(v -> ", " + v.labels().length + " validation rows").orElse(""),
                sp.probes().isEmpty() ? "" : ", probes " + String.join(", ", sp.probes().keySet())));
        if (sp.validation().isEmpty() && choice.calibrates()) {
            progress.accept("audit: no validation predictions: nothing is calibrated (calibration is never fitted on test)");
        }
        List<ProbeOutcome> skipped = skippedProbes(selected, sp.probes().keySet());
        ModelOutputs outputs = ModelOutputs.of(sp);
        for (Map.Entry<String, Path> e : p.probeLabels().entrySet()) {
            if (!p.probes().containsKey(e.getKey())) {
                throw new CalibkitException("probe labels " + e.getValue() + " are for probe '" + e.getKey()
                        + "', but no probe predictions of that name were given; probes: " + p.probes().keySet());
            }
            outputs = outputs.withProbeLabels(e.getKey(), readLabels(e.getValue()));
        }
        outputs = outputs.withSkipped(skipped).withData(data != null ? data : "predictions",
                p.test().toAbsolutePath().toString()).withModel(predictionsInfo(p, sp))
                .withTiming("load_predictions", (System.nanoTime() - t0) / 1e9);
        return new AuditJob.Audited(Audit.ofOutputs(outputs, o.get()), outputs);
    }

    /**
     * A Parquet log audited on Apache Spark ({@link SparkLogs}): no rows reach the driver, so there
     * are no {@link ModelOutputs} (and no monitor reference in the JSON twin).
     */
    private static AuditJob.Audited runSpark(AuditJob.PredictionInputs p, String data, CalibrationChoice choice,
                                             List<Probe> selected, Supplier<AuditOptions> o, Consumer<String> progress) {
        if (choice instanceof CalibrationChoice.Stored) {
            throw new CalibkitException("calibration 'stored' needs a model bundle; a prediction log carries no calibration map");
        }
        if (p.testLabels() != null || p.validationLabels() != null || !p.probes().isEmpty()) {
            throw new CalibkitException("a Parquet prediction log " + p.spark().test() + " carries its labels in its label "
                    + "column; give no --labels, --val-labels or probe predictions with --engine spark");
        }
        List<ProbeOutcome> skipped = skippedProbes(selected, java.util.Set.of());
        String dataName = data != null ? data : "predictions";
        return new AuditJob.Audited(SparkLogs.audit(p, skipped, dataName, o.get(), progress, (head, kind, classes) ->
                predictionsInfo(p, head, kind, classes)), null);
    }

    /** The built-in probes asked for that need a model, skipped with the reason (a probe file of the same name takes their place). */
    private static List<ProbeOutcome> skippedProbes(List<Probe> selected, java.util.Set<String> given) {
        List<ProbeOutcome> skipped = new ArrayList<>();
        for (Probe probe : selected) {
            if (given.contains(probe.name())) {
                continue; // the user's own outputs on that probe take its place
            }
            skipped.add(new ProbeOutcome(probe.name(), probe.kind(), probe.description(), null,
                    "needs the model to run its images, and this audit is of saved predictions (save the model's outputs "
                            + "on such images and pass them as a probe prediction file)"));
        }
        return skipped;
    }

    private static int[] readLabels(Path file) {
        return InputFiles.read("labels file", file, PredictionFiles::readLabels);
    }

    private static AuditResult.ModelInfo predictionsInfo(AuditJob.PredictionInputs p, SavedPredictions sp) {
        return predictionsInfo(p, sp.head(), sp.outputKind(), sp.classNames());
    }

    private static AuditResult.ModelInfo predictionsInfo(AuditJob.PredictionInputs p, org.calibkit.calibration.Head head,
                                                         org.calibkit.calibration.OutputKind kind, List<String> classNames) {
        Map<String, String> details = new LinkedHashMap<>();
        boolean log = p.spark() != null || PredictionLogs.isLog(p.test());
        String labelled = log ? " (Parquet log; labels in column " + p.logSchema().label() + ", outputs in column "
                + p.logSchema().outputs() + (p.spark() == null ? ", read through DuckDB)"
                : ", audited on Apache Spark, master " + p.spark().effectiveMaster() + ")") : null;
        String test = p.spark() != null ? p.spark().test() : p.test().toString();
        details.put("test predictions", test + (log ? labelled : " with labels " + p.testLabels()));
        if (p.validation() != null) {
            String v = p.spark() != null ? p.spark().validation() : p.validation().toString();
            details.put("validation predictions", v + (log ? labelled : " with labels " + p.validationLabels()));
        }
        p.probes().forEach((name, file) -> details.put("probe " + name, file + (p.probeLabels().containsKey(name)
                ? " with labels " + p.probeLabels().get(name) : " (no labels: out-of-distribution)")));
        details.put("output kind", kind.id().replace('_', ' ')
                + (p.options().outputKind().isPresent() ? " (stated)" : log ? " (the default for a log)" : " (detected from the test file)"));
        boolean local = p.spark() == null || !SparkLogs.isClusterPath(p.spark().test());
        return new AuditResult.ModelInfo(p.test().getFileName() == null ? test : p.test().getFileName().toString(),
                local ? p.test().toAbsolutePath().toString() : test,
                local && Files.isRegularFile(p.test()) ? Checksums.sha256(p.test()) : null, "predictions", head.id(), kind.id(),
                classNames, null, details);
    }
}
