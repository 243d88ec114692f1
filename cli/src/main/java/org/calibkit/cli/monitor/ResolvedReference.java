package org.calibkit.cli.monitor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.Reference;

/**
 * The reference a monitored log is compared with: fitted from validation outputs, or read from an
 * audit's JSON (its {@code monitor_reference}).
 *
 * @param reference     what each window is compared with
 * @param classNames    the classes, one per output column
 * @param kind          what the log's numbers are (the reference's kind unless --output-kind says otherwise)
 * @param source        the file(s) it came from, for messages
 * @param kindFromAudit the kind was read from an audit, not stated with --output-kind
 */
record ResolvedReference(Reference reference, List<String> classNames, OutputKind kind, String source,
                         boolean kindFromAudit) {
    ResolvedReference(Reference reference, List<String> classNames, OutputKind kind, String source) {
        this(reference, classNames, kind, source, false);
    }

    /**
     * An audit of a model stores {@code logits} (calibkit takes the model's logits), while a
     * deployment's log often holds its softmax outputs: read as logits they would give other
     * probabilities without a word. When the kind came from the audit (no --output-kind) and
     * is logits, rows that are a distribution (or log-distribution) each are refused, with the
     * flag that reads them right.
     */
    void checkLogKind(double[] firstRows, int n, int k, Path log) {
        if (!kindFromAudit || kind != OutputKind.LOGITS || n == 0) {
            return;
        }
        OutputKind seen;
        try {
            seen = OutputKind.detect(firstRows, n, k);
        } catch (IllegalArgumentException e) {
            return; // NaN and the like are reported where the rows are read
        }
        if (seen == OutputKind.PROBABILITIES || seen == OutputKind.LOG_PROBABILITIES) {
            throw new CalibkitException("prediction log " + log + " holds " + seen.id().replace('_', ' ') + " (each of "
                    + "its first " + n + " rows " + (seen == OutputKind.PROBABILITIES ? "sums" : "exponentiates and sums")
                    + " to 1), but the reference in " + source + " was fitted on the model's logits: pass "
                    + "--output-kind " + seen.id() + " to read them as the model's " + seen.id().replace('_', ' '));
        }
    }

    /** The first {@code min(n, 1000)} rows of a row-major n x k matrix, for {@link #checkLogKind}. */
    static double[] head(double[] rowMajor, int n, int k) {
        return java.util.Arrays.copyOf(rowMajor, Math.min(n, 1000) * k);
    }

    /** Fitted from the job's validation outputs, or read from the audit JSON it names. */
    static ResolvedReference of(MonitorJob job, MonitorOptions options, Consumer<String> progress) {
        if (job.referenceAudit() != null) {
            String where = job.referenceAudit() + "'s monitor_reference";
            Reference.Stored st;
            try {
                com.fasterxml.jackson.databind.JsonNode root = AuditJson.read(job.referenceAudit());
                if (!root.has("monitor_reference")) {
                    throw new CalibkitException("audit JSON " + job.referenceAudit() + " holds no monitor_reference: audit the "
                            + "model (or its predictions) with a validation split, or give --reference-predictions and "
                            + "--reference-labels");
                }
                st = Reference.fromJson(root.get("monitor_reference"), where);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new CalibkitException(e.getMessage(), e);
            }
            if (st.unfamiliarTpr() != options.unfamiliarTpr()) {
                throw new CalibkitException(where + " set its unfamiliarity threshold at " + st.unfamiliarTpr()
                        + " TPR, but this monitor uses " + options.unfamiliarTpr());
            }
            OutputKind kind;
            try {
                kind = job.opts().outputKind().orElse(OutputKind.parse(st.outputKind()));
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(where + ": " + e.getMessage(), e);
            }
            List<String> names = job.opts().classNames().orElse(st.classNames());
            if (names.size() != st.classNames().size()) {
                throw new CalibkitException("--class-names names " + names.size() + " classes, but " + where + " has "
                        + st.classNames().size());
            }
            progress.accept("monitor: reference " + job.referenceAudit() + ": fitted on " + st.reference().n()
                    + " validation rows x " + names.size() + " classes when audited (" + kind.id().replace('_', ' ') + ")");
            return new ResolvedReference(st.reference(), names, kind, job.referenceAudit().toString(), job.opts().outputKind().isEmpty());
        }
        SavedPredictions ref = SavedPredictions.read(job.referenceOutputs(), job.referenceLabels(), null, null, Map.of(), job.opts());
        progress.accept("monitor: reference " + job.referenceOutputs() + ": " + ref.test().labels().length + " validation rows x "
                + ref.classNames().size() + " classes (" + ref.outputKind().id().replace('_', ' ') + ")");
        return new ResolvedReference(Reference.fit(ref.test().logits(), ref.test().labels(), options), ref.classNames(),
                ref.outputKind(), job.referenceOutputs().toString());
    }
}
