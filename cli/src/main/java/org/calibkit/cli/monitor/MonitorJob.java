package org.calibkit.cli.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.cli.predict.PredictInputs;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ClassAlignment;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.report.html.MonitorHtml;
import org.calibkit.report.json.MonitorJson;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;

/**
 * {@code calibkit monitor}: the reference (the model's outputs on its labelled validation split)
 * and a prediction log in, the monitor page and its JSON twin out, both or neither.
 *
 * <p>The log forms are read by their own classes: {@link LocalLog} (.csv with or without a time
 * column, a Parquet log through DuckDB, .npy/.csv outputs), {@link NpyLogStream} (.npy streamed
 * window by window), {@link SparkMonitorRun} (a Parquet log on Spark) and {@link ImageLog} (a
 * model run over image folders, here); {@link ResolvedReference} is what they are compared with.
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
    ModelOptions opts() {
        return modelOptions == null ? ModelOptions.defaults() : modelOptions;
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
        Map<String, Path> outputs = new AuditJob.Outputs(html, json).byOption();
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
        ResolvedReference ref = ResolvedReference.of(this, options, progress);
        long seconds = seconds(window);
        if (seconds == 0 && NpyLogStream.streams(log, logLabels)) {
            return single(NpyLogStream.monitor(this, ref, progress));
        }
        LocalLog read = LocalLog.read(this, ref, seconds);
        Logits z = read.z();
        int[] y = read.y();
        List<Monitor.Slice> slices = read.slices();
        ref.checkLogKind(ResolvedReference.head(z.raw(), z.n(), z.k()), Math.min(z.n(), 1000), z.k(), log);
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
            ResolvedReference ref;
            if (validation != null) {
                if (org.calibkit.core.data.images.ImageFolders.DATASET.equals(validation.origin().dataset())) {
                    validation = ClassAlignment.align(validation, names, "validation folders of " + model.data(),
                            "the model's classes");
                }
                progress.accept("monitor: reference: running the model on " + validation.size() + " validation images of "
                        + splits.name());
                Logits zv = source.logits(validation);
                ref = new ResolvedReference(Reference.fit(zv, validation.labels(), options), names, OutputKind.LOGITS,
                        "the validation split of " + splits.name());
            } else {
                ref = ResolvedReference.of(this, options, progress);
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
        ResolvedReference ref = ResolvedReference.of(this, options, progress);
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
}
