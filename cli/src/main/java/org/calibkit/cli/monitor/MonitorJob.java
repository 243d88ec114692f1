package org.calibkit.cli.monitor;

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
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.cli.audit.PredictionLogs;
import org.calibkit.cli.predict.PredictInputs;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ClassAlignment;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
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
 * <p>Over 400 lines because it is where the command's five log forms (.npy streamed window by window,
 * .csv with a time column, a Parquet log through DuckDB, a model run over image folders, a Parquet
 * log on Spark, grouped or not) meet the one {@link Monitor}; each form is a few dozen lines of
 * reading and validation. The next split is one class per form behind a common "windows of rows"
 * source (issue 13).
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
 * @param model            a model the monitor runs itself, or null
 * @param spark            the log monitored on Apache Spark, or null: on this machine
 */
public record MonitorJob(Path referenceOutputs, Path referenceLabels, Path referenceAudit, Path log, Path logLabels,
                         String window, ModelOptions modelOptions, Path html, Path json, MonitorOptions options,
                         ModelInput model, OnSpark spark) {
    /**
     * A Parquet log monitored on Apache Spark ({@code --engine spark}).
     *
     * @param location the log as given (a file, a directory of part files, or a cluster URL)
     * @param master   the Spark master, or null: spark-submit's, else local[*]
     * @param groupBy  {@code model} or {@code segment}: one monitor per value of that column; null: one for the log
     */
    public record OnSpark(String location, String master, String groupBy) {
        public OnSpark {
            Objects.requireNonNull(location, "location");
            if (groupBy != null && !groupBy.equals("model") && !groupBy.equals("segment")) {
                throw new CalibkitException("--group-by takes model or segment (a column of the log), but got '"
                        + groupBy + "'");
            }
        }
    }

    /** The job on this machine. */
    public MonitorJob(Path referenceOutputs, Path referenceLabels, Path referenceAudit, Path log, Path logLabels,
                      String window, ModelOptions modelOptions, Path html, Path json, MonitorOptions options,
                      ModelInput model) {
        this(referenceOutputs, referenceLabels, referenceAudit, log, logLabels, window, modelOptions, html, json, options,
                model, null);
    }

    /**
     * A model the monitor runs itself: on a folder of images (the log) and, with a data set, on its
     * labelled validation split (the reference).
     *
     * @param model   the model file (any type {@code calibkit audit} opens)
     * @param type    its type, or null to detect it
     * @param data    a data set whose validation split is the reference (a catalogue name or a folder), or null
     * @param dataDir where the catalogue's files are, or null
     * @param inputs  the folder of images the deployed model saw ({@link ImageLog}), or null for a --predictions log
     */
    public record ModelInput(Path model, ModelType type, String data, Path dataDir, Path inputs) {
        public ModelInput {
            Objects.requireNonNull(model, "model");
        }
    }

    /** The job without a model: the reference and the log are files of outputs. */
    public MonitorJob(Path referenceOutputs, Path referenceLabels, Path referenceAudit, Path log, Path logLabels,
                      String window, ModelOptions modelOptions, Path html, Path json, MonitorOptions options) {
        this(referenceOutputs, referenceLabels, referenceAudit, log, logLabels, window, modelOptions, html, json, options,
                null);
    }

    public MonitorJob {
        boolean fromData = model != null && model.data() != null;
        int forms = (referenceAudit != null ? 1 : 0) + (referenceOutputs != null || referenceLabels != null ? 1 : 0)
                + (fromData ? 1 : 0);
        if (forms != 1 || referenceAudit == null && !fromData && (referenceOutputs == null || referenceLabels == null)) {
            throw new CalibkitException("give the reference one way: --reference AUDIT.json, or --reference-predictions "
                    + "FILE with --reference-labels FILE, or --model FILE with --data D (its validation split)");
        }
        boolean images = model != null && model.inputs() != null;
        if ((log == null && spark == null) == !images) {
            throw new CalibkitException(images ? "give the log one way: --predictions LOG or --model FILE with --inputs DIR"
                    : "give the log: --predictions LOG, or --model FILE with --inputs DIR (a folder of images)");
        }
        if (images && logLabels != null) {
            throw new CalibkitException("--labels is for a --predictions log; images in --inputs " + model.inputs()
                    + " take their labels from its " + ImageLog.MANIFEST + " (a label column)");
        }
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(options, "options");
        if (spark != null && (images || logLabels != null)) {
            throw new CalibkitException("--engine spark monitors a Parquet --predictions log, whose labels are a column"
                    + " of it (" + (images ? "not --model with --inputs" : "not --labels") + ")");
        }
    }

    /** The options as given, or the defaults when none were (null: a bundle refuses any given). */
    private ModelOptions opts() {
        return modelOptions == null ? ModelOptions.defaults() : modelOptions;
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
    private record Resolved(Reference reference, List<String> classNames, OutputKind kind, String source,
                            boolean kindFromAudit) {
        Resolved(Reference reference, List<String> classNames, OutputKind kind, String source) {
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
    }

    /** The first {@code min(n, 1000)} rows of a row-major n x k matrix, for {@link Resolved#checkLogKind}. */
    private static double[] head(double[] rowMajor, int n, int k) {
        return java.util.Arrays.copyOf(rowMajor, Math.min(n, 1000) * k);
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
                kind = opts().outputKind().orElse(OutputKind.parse(st.outputKind()));
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(where + ": " + e.getMessage(), e);
            }
            List<String> names = opts().classNames().orElse(st.classNames());
            if (names.size() != st.classNames().size()) {
                throw new CalibkitException("--class-names names " + names.size() + " classes, but " + where + " has "
                        + st.classNames().size());
            }
            progress.accept("monitor: reference " + referenceAudit + ": fitted on " + st.reference().n()
                    + " validation rows x " + names.size() + " classes when audited (" + kind.id().replace('_', ' ') + ")");
            return new Resolved(st.reference(), names, kind, referenceAudit.toString(), opts().outputKind().isEmpty());
        }
        SavedPredictions ref = SavedPredictions.read(referenceOutputs, referenceLabels, null, null, Map.of(), opts());
        progress.accept("monitor: reference " + referenceOutputs + ": " + ref.test().labels().length + " validation rows x "
                + ref.classNames().size() + " classes (" + ref.outputKind().id().replace('_', ' ') + ")");
        return new Resolved(Reference.fit(ref.test().logits(), ref.test().labels(), options), ref.classNames(),
                ref.outputKind(), referenceOutputs.toString());
    }

    /** Checks the outputs, reads everything, monitors, writes both files; returns the result (the first group's with --group-by). */
    public MonitorResult run(Consumer<String> progress) {
        return runGroups(progress).values().iterator().next();
    }

    /**
     * {@link #run}, with one result per group of {@code --group-by} (sorted by group), each written
     * to its own files ({@link #suffixed}); without grouping the one key is {@code ""}.
     */
    public Map<String, MonitorResult> runGroups(Consumer<String> progress) {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--out", html);
        outputs.put("--json", json);
        List<Path> inputs = new ArrayList<>();
        for (Path p : java.util.Arrays.asList(referenceOutputs, referenceLabels, referenceAudit, log, logLabels,
                model == null ? null : model.model())) {
            if (p != null) {
                inputs.add(p);
            }
        }
        OutputFiles.check(outputs, inputs);
        if (model != null) {
            return single(withModel(progress));
        }
        if (spark != null) {
            return writeGroups(onSpark(progress), inputs);
        }
        Resolved ref = reference(options, progress);
        Logits z;
        int[] y = null;
        List<Monitor.Slice> slices = null;
        long seconds = seconds(window);
        if (seconds == 0 && streams(log, logLabels)) {
            return single(streamNpy(ref, progress));
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
        } else if (PredictionLogs.isLog(log)) {
            if (ref.kind() != OutputKind.LOGITS && ref.kind() != OutputKind.PROBABILITIES) {
                throw new CalibkitException("a Parquet prediction log holds logits or probabilities, but the reference's "
                        + "outputs are " + ref.kind().id().replace('_', ' '));
            }
            if (!Files.exists(log)) {
                throw new CalibkitException("prediction log " + log + " does not exist");
            }
            org.calibkit.spark.DuckDbPredictionLog.Monitored m;
            try {
                m = org.calibkit.spark.DuckDbPredictionLog.readForMonitor(log.toString(),
                        PredictionLogSchema.defaults().withTimestamp("timestamp").withKind(ref.kind()));
                z = ref.kind().toLogits(m.outputs(), m.n(), m.k());
            } catch (org.calibkit.spark.PredictionLogException e) {
                throw new CalibkitException(e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + log + ": " + e.getMessage(), e);
            }
            y = m.labels();
            if (logLabels != null) { // labels that arrived later, by id
                if (y == null) {
                    y = new int[m.n()];
                    java.util.Arrays.fill(y, -1);
                }
                LogCsv.join(logLabels, m.ids(), y, m.k());
            }
            if (seconds > 0) {
                if (m.timestamps() == null) {
                    throw new CalibkitException("--window " + window + " cuts the log by time, but the Parquet log " + log
                            + " has no timestamp column");
                }
                slices = LogCsv.timeWindows(m.timestamps(), seconds);
            }
        } else if (seconds > 0) {
            throw new CalibkitException("--window " + window + " cuts the log by time: it needs a CSV log with a header "
                    + "or a Parquet log, with a timestamp column, but " + log + " has neither");
        } else if (logLabels != null) {
            SavedPredictions p = SavedPredictions.read(log, logLabels, null, null, Map.of(),
                    opts().withOutputKind(ref.kind()));
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
        ref.checkLogKind(head(z.raw(), z.n(), z.k()), Math.min(z.n(), 1000), z.k(), log);
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
        return single(r);
    }

    /**
     * Runs the model: on the data set's validation split for the reference (when --data is given),
     * and on the --inputs images for the log (or reads the --predictions log as without a model).
     */
    private MonitorResult withModel(Consumer<String> progress) {
        ModelType type = model.type() != null ? model.type() : ModelType.detect(model.model());
        ImageLog images = model.inputs() == null ? null : ImageLog.read(model.inputs());
        AuditJob.Splits splits = model.data() == null ? null : AuditJob.Splits.load(model.data(), model.dataDir());
        ImageSet validation = splits == null ? null : splits.validation();
        if (splits != null && validation == null) {
            throw new CalibkitException("data set " + model.data() + " has no validation split to fit the reference on "
                    + "(a folder needs a validation/ folder of class folders)");
        }
        ModelOptions o = type == ModelType.BUNDLE ? modelOptions : opts(); // a bundle refuses any options given
        List<PredictInputs.Batch> batches = null;
        if (type != ModelType.BUNDLE && o.imageShape().isEmpty()) {
            if (validation != null) {
                o = o.withImageShape(validation.channels(), validation.height(), validation.width());
            } else if (images != null) { // as calibkit predict: the images' own shape
                batches = PredictInputs.read(images.files(), List.of(org.calibkit.core.data.images.ImageFolders.UNKNOWN),
                        null);
                ImageSet first = batches.get(0).images();
                o = o.withImageShape(first.channels(), first.height(), first.width());
            }
        }
        try (OpenedModel m = validation != null && type != ModelType.BUNDLE
                ? OpenedModel.open(model.model(), type, o, validation.numClasses())
                : OpenedModel.open(model.model(), type, o)) {
            LogitSource source = m.source();
            List<String> names = source.classNames();
            progress.accept("monitor: model " + model.model() + " (" + m.type().id() + ", " + names.size() + " classes)");
            Resolved ref;
            if (validation != null) {
                if (org.calibkit.core.data.images.ImageFolders.DATASET.equals(validation.origin().dataset())) {
                    validation = ClassAlignment.align(validation, names, "validation folders of " + model.data(),
                            "the model's classes");
                }
                progress.accept("monitor: reference: running the model on " + validation.size() + " validation images of "
                        + splits.name());
                Logits zv = source.logits(validation);
                ref = new Resolved(Reference.fit(zv, validation.labels(), options), names, OutputKind.LOGITS,
                        "the validation split of " + splits.name());
            } else {
                ref = reference(options, progress);
                if (ref.classNames().size() != names.size()) {
                    throw new CalibkitException("the model " + model.model() + " has " + names.size() + " classes, but the "
                            + "reference " + ref.source() + " has " + ref.classNames().size());
                }
                if (ref.kind() != OutputKind.LOGITS) {
                    throw new CalibkitException("the reference " + ref.source() + " was fitted on "
                            + ref.kind().id().replace('_', ' ') + ", but the model hands the monitor its logits: audit the "
                            + "model itself (calibkit audit --model) for a reference of its logits");
                }
            }
            if (images == null) {
                throw new CalibkitException("--model with --data fits the reference; the log then comes from --inputs DIR "
                        + "(the model runs on the images): a --predictions log needs no model, give --reference instead");
            }
            if (batches == null) {
                ModelOptions given = o;
                int[] shape = m.source().inputPreprocessing().map(p -> new int[] {p.channels(), p.height(), p.width()})
                        .orElseGet(() -> given == null ? null : given.imageShape().orElse(null));
                batches = PredictInputs.read(images.files(), names, shape);
            }
            progress.accept("monitor: log " + model.inputs() + ": running the model on " + images.files().size() + " images"
                    + (images.skipped() > 0 ? " (" + images.skipped() + " other files skipped)" : "")
                    + (images.labelNames() == null ? "" : ", labels from " + ImageLog.MANIFEST));
            List<Logits> parts = new ArrayList<>();
            for (PredictInputs.Batch b : batches) {
                parts.add(source.logits(b.images()));
            }
            Logits z = concat(parts);
            int[] y = images.labels(names);
            long seconds = seconds(window);
            List<Monitor.Slice> slices = seconds > 0 ? LogCsv.timeWindows(images.timestamps(), seconds) : null;
            try {
                return slices == null ? Monitor.run(ref.reference(), z, y, model.inputs().toString(), options, progress)
                        : Monitor.run(ref.reference(), z, y, slices, model.inputs().toString(), window, options, progress);
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("images " + model.inputs() + ": " + e.getMessage(), e);
            }
        }
    }

    private static Logits concat(List<Logits> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(Logits::n).sum();
        int k = parts.get(0).k();
        double[] all = new double[Math.multiplyExact(n, k)];
        int at = 0;
        for (Logits p : parts) {
            System.arraycopy(p.raw(), 0, all, at, p.raw().length);
            at += p.raw().length;
        }
        return Logits.of(all, n, k);
    }

    /** Writes the page and its twin together; returns {@code r}. */
    private MonitorResult write(MonitorResult r) {
        OutputFiles.writeTogether(OutputFiles.pageAndJson(html, MonitorHtml.render(r), json, () -> MonitorJson.toJson(r) + "\n"));
        return r;
    }

    /** The log monitored on Spark: one result per group ({@code ""} alone without --group-by). */
    private Map<String, MonitorResult> onSpark(Consumer<String> progress) {
        long seconds = seconds(window);
        if (seconds == 0) {
            throw new CalibkitException("--engine spark cuts the log by time: --window must be a duration (1d, 6h, 30m), "
                    + "not a number of rows (" + window + ")");
        }
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, MonitorJob.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CalibkitException("--engine spark needs Apache Spark 4 on the class path: run calibkit through "
                    + "spark-submit (docs/scale.md), or monitor a local log without --engine", e);
        }
        Resolved ref = reference(options, progress);
        if (ref.kind() != OutputKind.LOGITS && ref.kind() != OutputKind.PROBABILITIES) {
            throw new CalibkitException("a Parquet prediction log holds logits or probabilities, but the reference's "
                    + "outputs are " + ref.kind().id().replace('_', ' '));
        }
        try {
            return SparkMonitorRun.run(ref.reference(), ref.kind(), spark.location(), spark.master(), spark.groupBy(),
                    seconds, window, options, progress);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("prediction log " + spark.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the result (no grouping: {@code --out} and {@code --json} as on one machine) or, per
     * group, the files {@link GroupReports} names: all files or none.
     */
    private Map<String, MonitorResult> writeGroups(Map<String, MonitorResult> groups, List<Path> inputs) {
        if (groups.size() == 1 && groups.containsKey("")) {
            return single(groups.get(""));
        }
        GroupReports.write(groups, html, json, inputs, spark.location(), spark.groupBy());
        return groups;
    }

    /** {@code dir/report.html} with group {@code v1}: {@code dir/report-v1.html}. */
    public static Path suffixed(Path file, String group) {
        return GroupReports.suffixed(file, group);
    }

    /** Writes one result; it is the one group {@code ""}. */
    private Map<String, MonitorResult> single(MonitorResult r) {
        return Map.of("", write(r));
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
            int first = (int) Math.min(n, 1000);
            ref.checkLogKind(out.slice(0, first).doubles(), first, k, log);
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
