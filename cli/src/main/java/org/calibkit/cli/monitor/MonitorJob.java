package org.calibkit.cli.monitor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.cli.audit.PredictionLogs;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.html.MonitorHtml;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.json.MonitorJson;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;
import org.calibkit.spark.PredictionLogSchema;

/**
 * {@code calibkit monitor}: the reference (the model's outputs on its labelled validation split)
 * and a prediction log in, the monitor page and its JSON twin out, both or neither.
 *
 * @param referenceOutputs the validation outputs (.npy or .csv, n x K), or null with {@code referenceAudit}
 * @param referenceLabels  their labels (null with {@code referenceAudit})
 * @param referenceAudit   instead of the two: an audit's JSON, whose {@code monitor_reference} is the reference
 *                         fitted when it was audited (null: fit it from the two files)
 * @param log              the prediction log: .npy or .csv outputs in time order, or a Parquet log
 * @param logLabels        the log's labels: one per row for .npy/.csv outputs, or {@code id,label} rows joined by id
 *                         for a CSV log with a header (null: none; a Parquet log carries its own)
 * @param window           {@code N} rows per window, or a duration ({@code 1d}, {@code 6h}, {@code 30m}) for a CSV
 *                         log with a timestamp column
 * @param modelOptions     output kind and class names when stated
 * @param html             the page to write
 * @param json             the JSON twin to write, or null
 * @param options          window and bands
 */
public record MonitorJob(Path referenceOutputs, Path referenceLabels, Path referenceAudit, Path log, Path logLabels,
                         String window, ModelOptions modelOptions, Path html, Path json, MonitorOptions options) {
    public MonitorJob {
        if (referenceAudit == null ? referenceOutputs == null || referenceLabels == null
                : referenceOutputs != null || referenceLabels != null) {
            throw new CalibkitException("give the reference either as --reference AUDIT.json or as "
                    + "--reference-predictions FILE with --reference-labels FILE, not both and not part of one");
        }
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(html, "html");
        modelOptions = modelOptions == null ? ModelOptions.defaults() : modelOptions;
        Objects.requireNonNull(options, "options");
    }

    /**
     * The reference the log is compared with: fitted here from validation outputs, or read from an
     * audit's JSON.
     *
     * @param reference  what each window is compared with
     * @param classNames the classes, one per output column
     * @param kind       what the log's numbers are (the reference's kind unless --output-kind says otherwise)
     * @param source     the file(s) it came from, for messages
     */
    private record Resolved(Reference reference, List<String> classNames, OutputKind kind, String source) {
    }

    private Resolved reference(MonitorOptions options, Consumer<String> progress) {
        if (referenceAudit != null) {
            String where = referenceAudit + "'s monitor_reference";
            Reference.Stored st;
            try {
                com.fasterxml.jackson.databind.JsonNode root = AuditJson.read(referenceAudit);
                if (!root.has("monitor_reference")) {
                    throw new CalibkitException("audit JSON " + referenceAudit + " holds no monitor_reference: audit the "
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
                kind = modelOptions.outputKind().orElse(OutputKind.parse(st.outputKind()));
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(where + ": " + e.getMessage(), e);
            }
            List<String> names = modelOptions.classNames().orElse(st.classNames());
            if (names.size() != st.classNames().size()) {
                throw new CalibkitException("--class-names names " + names.size() + " classes, but " + where + " has "
                        + st.classNames().size());
            }
            progress.accept("monitor: reference " + referenceAudit + ": fitted on " + st.reference().n()
                    + " validation rows x " + names.size() + " classes when audited (" + kind.id().replace('_', ' ') + ")");
            return new Resolved(st.reference(), names, kind, referenceAudit.toString());
        }
        SavedPredictions ref = SavedPredictions.read(referenceOutputs, referenceLabels, null, null, Map.of(), modelOptions);
        progress.accept("monitor: reference " + referenceOutputs + ": " + ref.test().labels().length + " validation rows x "
                + ref.classNames().size() + " classes (" + ref.outputKind().id().replace('_', ' ') + ")");
        return new Resolved(Reference.fit(ref.test().logits(), ref.test().labels(), options), ref.classNames(),
                ref.outputKind(), referenceOutputs.toString());
    }

    /** Checks the outputs, reads everything, monitors, writes both files; returns the result. */
    public MonitorResult run(Consumer<String> progress) {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--out", html);
        outputs.put("--json", json);
        List<Path> inputs = new ArrayList<>();
        for (Path p : java.util.Arrays.asList(referenceOutputs, referenceLabels, referenceAudit, log, logLabels)) {
            if (p != null) {
                inputs.add(p);
            }
        }
        OutputFiles.check(outputs, inputs);
        Resolved ref = reference(options, progress);
        Logits z;
        int[] y = null;
        List<Monitor.Slice> slices = null;
        long seconds = seconds(window);
        if (seconds == 0 && streams(log, logLabels)) {
            return write(streamNpy(ref, progress));
        }
        if (LogCsv.hasHeader(log)) {
            LogCsv c = LogCsv.read(log, logLabels);
            try {
                z = ref.kind().toLogits(c.outputs(), c.ids().size(), c.k());
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + log + " (" + ref.kind().id().replace('_', ' ')
                        + " like the reference): " + e.getMessage(), e);
            }
            y = c.labels();
            if (seconds > 0) {
                if (c.timestamps() == null) {
                    throw new CalibkitException("--window " + window + " cuts the log by time, but " + log
                            + " has no timestamp column");
                }
                slices = c.timeWindows(seconds);
            }
        } else if (seconds > 0) {
            throw new CalibkitException("--window " + window + " cuts the log by time: it needs a CSV log with a header "
                    + "and a timestamp column, but " + log + " has none");
        } else if (PredictionLogs.isLog(log)) {
            if (logLabels != null) {
                throw new CalibkitException("a Parquet prediction log " + log + " carries its labels in its label column; "
                        + "give no --labels");
            }
            SavedPredictions p = PredictionLogs.read(log, null, PredictionLogSchema.defaults(),
                    modelOptions.withOutputKind(ref.kind()));
            z = p.test().logits();
            y = p.test().labels();
        } else if (logLabels != null) {
            SavedPredictions p = SavedPredictions.read(log, logLabels, null, null, Map.of(),
                    modelOptions.withOutputKind(ref.kind()));
            z = p.test().logits();
            y = p.test().labels();
        } else {
            Logits raw = readMatrix(log);
            try {
                z = ref.kind().toLogits(raw.raw(), raw.n(), raw.k());
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + log + " (" + ref.kind().id().replace('_', ' ')
                        + " like the reference): " + e.getMessage(), e);
            }
        }
        if (z.k() != ref.classNames().size()) {
            throw new CalibkitException("prediction log " + log + " has " + z.k() + " output columns, but the reference "
                    + ref.source() + " has " + ref.classNames().size());
        }
        progress.accept("monitor: log " + log + ": " + z.n() + " rows" + (y == null ? " without labels" : " with labels"));
        Reference reference = ref.reference();
        MonitorResult r;
        try {
            r = slices == null ? Monitor.run(reference, z, y, log.toString(), options, progress)
                    : Monitor.run(reference, z, y, slices, log.toString(), window, options, progress);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("prediction log " + log + ": " + e.getMessage(), e);
        }
        return write(r);
    }

    /** Writes the page and its twin together; returns {@code r}. */
    private MonitorResult write(MonitorResult r) {
        List<OutputFiles.Output> files = new ArrayList<>();
        String page = MonitorHtml.render(r);
        files.add(new OutputFiles.Output("--out", html, tmp -> Files.writeString(tmp, page, StandardCharsets.UTF_8)));
        if (json != null) {
            String text = MonitorJson.toJson(r) + "\n";
            files.add(new OutputFiles.Output("--json", json, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8)));
        }
        OutputFiles.writeTogether(files);
        return r;
    }

    /** Whether the log is an .npy matrix (and its labels, if any, an .npy vector): read window by window. */
    private static boolean streams(Path log, Path labels) {
        return log.getFileName() != null && log.getFileName().toString().endsWith(".npy")
                && (labels == null || labels.getFileName() != null && labels.getFileName().toString().endsWith(".npy"));
    }

    /**
     * Monitors an .npy log without holding it: each window's rows (and labels) are read from the
     * files as the window comes, so memory stays that of one window however long the log is.
     */
    private MonitorResult streamNpy(Resolved ref, Consumer<String> progress) {
        int k = ref.classNames().size();
        Reference reference = ref.reference();
        try (org.calibkit.calibration.io.Npy.Rows out = openNpy(log, "prediction log");
             org.calibkit.calibration.io.Npy.Rows lab = logLabels == null ? null : openNpy(logLabels, "labels")) {
            if (out.rank() != 2) {
                throw new CalibkitException("prediction log " + log + " is a 1-D array of " + out.rows() + " values; "
                        + "expected one row of " + k + " outputs per prediction");
            }
            if (out.columns() != k) {
                throw new CalibkitException("prediction log " + log + " has " + out.columns() + " output columns, but the "
                        + "reference " + ref.source() + " has " + k);
            }
            if (lab != null && (lab.rank() != 1 || !lab.isInteger() || lab.rows() != out.rows())) {
                throw new CalibkitException("labels " + logLabels + " must be " + out.rows() + " integers (one per row of "
                        + log + ", -1 where none arrived), but hold " + lab.rows() + " x " + lab.columns() + " "
                        + lab.dtypeName());
            }
            long n = out.rows();
            progress.accept("monitor: log " + log + ": " + n + " rows" + (lab == null ? " without labels" : " with labels")
                    + ", read window by window");
            int size = options.window();
            java.util.Iterator<Monitor.WindowRows> windows = new java.util.Iterator<>() {
                private long next;

                @Override
                public boolean hasNext() {
                    return next < n;
                }

                @Override
                public Monitor.WindowRows next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    long from = next;
                    int m = (int) Math.min(size, n - from);
                    next += m;
                    Logits z;
                    try {
                        z = ref.kind().toLogits(out.slice(from, m).doubles(), m, k);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("rows " + from + "-" + (from + m - 1) + " ("
                                + ref.kind().id().replace('_', ' ') + " like the reference): " + e.getMessage(), e);
                    }
                    int[] y = null;
                    if (lab != null) {
                        long[] v = lab.slice(from, m).longs();
                        y = new int[m];
                        for (int j = 0; j < m; j++) {
                            if (v[j] < -1 || v[j] >= k) {
                                throw new IllegalArgumentException("label " + v[j] + " at row " + (from + j) + " of "
                                        + logLabels + " is outside [0, " + k + ") (or -1 for none)");
                            }
                            y[j] = (int) v[j];
                        }
                    }
                    return new Monitor.WindowRows("rows " + from + "-" + (from + m - 1), from, z, y);
                }
            };
            return Monitor.stream(reference, windows, log.toString(), size + " rows", options, progress);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException("prediction log " + log + ": " + e.getMessage(), e);
        }
    }

    private static org.calibkit.calibration.io.Npy.Rows openNpy(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException(what + " " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        try {
            return org.calibkit.calibration.io.Npy.open(file);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException(what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The duration of {@code window} in seconds ({@code 1d}, {@code 6h}, {@code 30m}, {@code 45s}), or 0 when it is
     * a row count.
     */
    static long seconds(String window) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([dhms])").matcher(window.trim());
        if (window.trim().matches("\\d{1,9}")) {
            return 0;
        }
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CalibkitException("--window must be a number of rows (500) or a duration (1d, 6h, 30m, 45s), but got '"
                    + window + "'");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2)) {
            case "d" -> 86_400L;
            case "h" -> 3_600L;
            case "m" -> 60L;
            default -> 1L;
        };
    }

    private static Logits readMatrix(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("prediction log " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        try {
            return PredictionFiles.readLogits(file);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException("prediction log " + file + ": " + e.getMessage(), e);
        }
    }
}
