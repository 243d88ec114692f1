package org.calibkit.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.audit.Audit;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.report.gates.Gate;
import org.calibkit.report.gates.Gates;
import org.calibkit.core.data.images.ClassAlignment;
import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.report.probes.Probe;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.Probes;

/**
 * The whole audit as one call: open the model (a calibkit bundle, an ONNX file, a SavedModel
 * directory or a Tribuo model file, see {@link OpenedModel}) and its data set's validation and
 * test splits, generate the probes, run {@link Audit}, check the gates, write the HTML report
 * and its JSON twin. Or, with {@link #ofPredictions}, the same from prediction files without a
 * model ({@link Audit#ofPredictions}). What {@code calibkit audit} and {@code calibkit demo} call.
 *
 * <p>Calibration ({@code calibration}): a calibrator name fits that calibrator on the validation
 * split; {@code none} calibrates nothing; {@code stored} applies the map stored in a model bundle
 * (written by {@code calibkit calibrate}) as it is; {@code auto} (or null) is {@code stored} when
 * the bundle carries a map and {@code temperature} otherwise.
 *
 * <p>Immutable: {@link #ofModel} or {@link #ofPredictions} with the files and an {@link Options}
 * record ({@link Options#defaults()} and its withers).
 */
public final class AuditJob {
    /** The calibration setting that picks the bundle's stored map when there is one, else temperature scaling. */
    public static final String AUTO = CalibrationChoice.Auto.ID;
    /** The calibration setting that applies the bundle's stored map. */
    public static final String STORED = CalibrationChoice.Stored.ID;

    /**
     * Test rows of a Parquet log above which DuckDB runs the streamed audit: the in-memory audit's
     * bootstrap and conformal sets hold and resample every row (measured on 2 cores, 10 classes:
     * 39 s at 200,000 rows, 129 s at a million), the streamed one sums row buckets (7 s and 14 s;
     * docs/scale.md).
     */
    public static final long STREAM_ABOVE = 100_000;

    /**
     * Prediction files to audit instead of a model (see {@link SavedPredictions#read}).
     *
     * @param test             the model's outputs on the test split
     * @param testLabels       its labels
     * @param validation       outputs on the validation split (fits the calibration), or null
     * @param validationLabels its labels, or null
     * @param probes           probe name -> outputs file, in order
     * @param probeLabels      probe name -> labels file, for probes whose labels are the model's classes
     * @param options          output kind, head and class names when stated
     * @param logSchema        the columns of a Parquet prediction log
     * @param spark            where a Parquet log is audited on Apache Spark, or null (DuckDB, or prediction files)
     * @param streamAbove      a Parquet log read through DuckDB with more test rows than this gets the streamed
     *                         audit (as on Spark) instead of the in-memory one ({@link #STREAM_ABOVE} by default)
     */
    public record PredictionInputs(Path test, Path testLabels, Path validation, Path validationLabels,
                                   Map<String, Path> probes, Map<String, Path> probeLabels, ModelOptions options,
                                   PredictionLogSchema logSchema, SparkLogs.Where spark, long streamAbove) {
        /** Prediction files, or a Parquet log read through DuckDB. */
        public PredictionInputs(Path test, Path testLabels, Path validation, Path validationLabels,
                                Map<String, Path> probes, Map<String, Path> probeLabels, ModelOptions options,
                                PredictionLogSchema logSchema) {
            this(test, testLabels, validation, validationLabels, probes, probeLabels, options, logSchema, null, STREAM_ABOVE);
        }

        public PredictionInputs {
            Objects.requireNonNull(test, "test");
            if (streamAbove < 0) {
                throw new IllegalArgumentException("Expected streamAbove >= 0, but got " + streamAbove);
            }
            if (spark == null && !PredictionLogs.isLog(test)) {
                Objects.requireNonNull(testLabels, "testLabels");
            }
            logSchema = logSchema == null ? PredictionLogSchema.defaults() : logSchema;
            probes = probes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(probes));
            probeLabels = probeLabels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(probeLabels));
            options = options == null ? ModelOptions.defaults() : options;
        }
    }

    /**
     * The model to audit and the data to audit it on.
     *
     * @param model   the model file or SavedModel directory
     * @param data    a data set name ({@code mnist}, ...) or a directory with {@code test/} (and
     *                optionally {@code validation/}) class folders
     * @param dataDir the user's data directory for named data sets, or null
     */
    public record ModelInput(Path model, String data, Path dataDir) {
        public ModelInput {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The files the job writes.
     *
     * @param html the HTML report
     * @param json its JSON twin, or null for none
     */
    public record Outputs(Path html, Path json) {
        public Outputs {
            Objects.requireNonNull(html, "html");
        }

        /** The two files by the options that name them ({@code --out}, {@code --json}), for {@link OutputFiles#check}. */
        public Map<String, Path> byOption() {
            Map<String, Path> m = new LinkedHashMap<>();
            m.put("--out", html);
            m.put("--json", json);
            return m;
        }
    }

    /**
     * How the audit runs.
     *
     * @param calibration  a calibrator name, {@code none}, {@code stored} or {@code auto} (see the class comment)
     * @param probes       {@code all} or a comma-separated list of probe names
     * @param threshold    confidence counted as overconfident on probes
     * @param probeSize    images per probe (checked when the job runs, after the probe list)
     * @param seed         seed of probes and bootstrap
     * @param resamples    bootstrap resamples
     * @param limit        audit only the first this many test and validation images (0: all)
     * @param alpha        the miscoverage level of the conformal prediction sets
     * @param gates        gates checked before anything is written: one naming a key the result does not
     *                     have throws {@link org.calibkit.report.gates.GateException} and no file is
     *                     written; whether they hold is for the caller ({@link Gates#evaluate})
     * @param modelType    the model's type instead of detecting it (null: detect)
     * @param modelOptions options for a model calibkit did not write (null: none given; a bundle refuses them)
     */
    public record Options(String calibration, String probes, double threshold, int probeSize, long seed, int resamples,
                          int limit, double alpha, List<Gate> gates, ModelType modelType, ModelOptions modelOptions,
                          boolean doctor, String sweeps) {
        public Options {
            calibration = calibration == null ? AUTO : calibration;
            Objects.requireNonNull(probes, "probes");
            if (limit < 0) {
                throw new IllegalArgumentException("Expected the image limit to be at least 0, but got " + limit);
            }
            if (resamples < 2) { // before anything is loaded (the bootstrap would refuse it only after inference)
                throw new IllegalArgumentException("--resamples must be at least 2, but got " + resamples);
            }
            gates = List.copyOf(gates);
            sweeps = sweeps == null ? "" : sweeps;
            SweepNames.parse(sweeps); // refused here, before anything runs
        }

        /**
         * {@code auto} calibration, every probe of {@link ProbeContext#DEFAULT_SIZE} images,
         * threshold 0.9, seed 0, {@link Audit#DEFAULT_RESAMPLES} resamples, all images, the default
         * alpha, no gates, the model's type detected, no external-model options, the doctor's quick
         * input check on.
         */
        public static Options defaults() {
            return new Draft().build();
        }

        /** With calibration {@code c} (null: auto). */
        public Options withCalibration(String c) { return edit(d -> d.calibration = c); }

        /** With probes {@code p} ({@code all} or names separated by commas). */
        public Options withProbes(String p) { return edit(d -> d.probes = p); }

        /** Counting confidence of at least {@code t} on a probe as overconfident. */
        public Options withThreshold(double t) { return edit(d -> d.threshold = t); }

        /** With {@code n} images per probe. */
        public Options withProbeSize(int n) { return edit(d -> d.probeSize = n); }

        /** With seed {@code s}. */
        public Options withSeed(long s) { return edit(d -> d.seed = s); }

        /** With {@code r} bootstrap resamples. */
        public Options withResamples(int r) { return edit(d -> d.resamples = r); }

        /** Auditing only the first {@code n} test and validation images (0: all), for quick runs and tests. */
        public Options withLimit(int n) { return edit(d -> d.limit = n); }

        /** With conformal miscoverage {@code a}. */
        public Options withAlpha(double a) { return edit(d -> d.alpha = a); }

        /** With these gates. */
        public Options withGates(List<Gate> g) { return edit(d -> d.gates = g); }

        /** With the model's type {@code t} (null: detect). */
        public Options withModelType(ModelType t) { return edit(d -> d.modelType = t); }

        /** With options {@code o} for a model calibkit did not write (null: none). */
        public Options withModelOptions(ModelOptions o) { return edit(d -> d.modelOptions = o); }

        /**
         * Whether the audit first runs the doctor's quick input check on a model calibkit did not
         * write (default true): when the accuracy as given is near chance or far below another input
         * convention's, the first verdict says so and names the flags that fix it.
         */
        public Options withDoctor(boolean on) { return edit(d -> d.doctor = on); }

        /**
         * With shift sweeps {@code names} (e.g. {@code rotation,translation,mnist-c}; empty: none): the
         * first probe-size test images at every point, and the label-free accuracy estimates checked on them.
         */
        public Options withSweeps(String names) { return edit(d -> d.sweeps = names); }

        private Options edit(Consumer<Draft> change) {
            Draft d = new Draft(this);
            change.accept(d);
            return d.build();
        }

        /** The defaults, or a mutable copy the withers change one field of; {@link #build} calls the canonical constructor. */
        private static final class Draft {
            String calibration = AUTO;
            String probes = "all";
            double threshold = 0.9;
            int probeSize = ProbeContext.DEFAULT_SIZE;
            long seed;
            int resamples = Audit.DEFAULT_RESAMPLES;
            int limit;
            double alpha = AuditStatistics.DEFAULT_ALPHA;
            List<Gate> gates = List.of();
            ModelType modelType;
            ModelOptions modelOptions;
            boolean doctor = true;
            String sweeps = "";

            /** The defaults. */
            Draft() {
            }

            Draft(Options o) {
                calibration = o.calibration;
                probes = o.probes;
                threshold = o.threshold;
                probeSize = o.probeSize;
                seed = o.seed;
                resamples = o.resamples;
                limit = o.limit;
                alpha = o.alpha;
                gates = o.gates;
                modelType = o.modelType;
                modelOptions = o.modelOptions;
                doctor = o.doctor;
                sweeps = o.sweeps;
            }

            Options build() {
                return new Options(calibration, probes, threshold, probeSize, seed, resamples, limit, alpha, gates, modelType,
                        modelOptions, doctor, sweeps);
            }
        }
    }
    private final Path model;
    private final String data;
    private final Path dataDir;
    private final PredictionInputs predictions;
    private final Path html;
    private final Path json;
    private final Options settings;
    /** The doctor's quick check runs: asked for, and there is a model to check. */
    private final boolean doctor;

    private AuditJob(Path model, String data, Path dataDir, PredictionInputs predictions, Outputs out, Options o) {
        this.model = model;
        this.data = data;
        this.dataDir = dataDir;
        this.predictions = predictions;
        this.html = out.html();
        this.json = out.json();
        this.settings = o;
        this.doctor = o.doctor() && predictions == null;
    }

    /** An audit of a model on a data set. */
    public static AuditJob ofModel(ModelInput in, Outputs out, Options o) {
        Objects.requireNonNull(in, "in");
        return new AuditJob(in.model(), in.data(), in.dataDir(), null, Objects.requireNonNull(out, "out"),
                Objects.requireNonNull(o, "o"));
    }

    /**
     * An audit of prediction files, without a model.
     *
     * @param p        the files
     * @param dataName the data set's name as shown (or null: {@code predictions})
     * @param out      the files to write
     * @param o        the options ({@code modelType}, {@code modelOptions} and {@code limit} do not apply)
     */
    public static AuditJob ofPredictions(PredictionInputs p, String dataName, Outputs out, Options o) {
        return new AuditJob(null, dataName, null, Objects.requireNonNull(p, "predictions"),
                Objects.requireNonNull(out, "out"), Objects.requireNonNull(o, "o"));
    }

    /** Runs the job, printing progress lines; returns the result after both files are written. */
    public AuditResult run(Consumer<String> progress) {
        // fail on bad options before loading anything
        OutputFiles.check(new Outputs(html, json).byOption(), inputs());
        List<Probe> selected = Probes.select(settings.probes());
        if (settings.probeSize() < 1) {
            throw new IllegalArgumentException("Expected the probe size to be at least 1, but got " + settings.probeSize());
        }
        CalibrationChoice choice = CalibrationChoice.parse(settings.calibration());
        int reported = 0 < settings.probeSize() ? settings.probeSize() : ProbeContext.DEFAULT_SIZE; // as reported
        Audited a = predictions != null
                ? PredictionsAudit.run(predictions, data, choice, selected, () -> options(choice, reported, progress), progress)
                : new ModelAudit(model, data, dataDir, settings, doctor)
                        .run(choice, selected, () -> options(choice, settings.probeSize(), progress), progress);
        AuditResult r = a.result();
        if (!settings.gates().isEmpty()) {
            Gates.evaluate(settings.gates(), r); // unknown keys fail here, before any file is written
        }
        ReportFiles.write(html, json, r, a.outputs(), progress);
        return r;
    }

    private List<Path> inputs() {
        List<Path> in = new java.util.ArrayList<>();
        in.add(model);
        in.add(dataDir);
        if (data != null && !data.isEmpty() && !data.contains("\0")) {
            in.add(Path.of(data));
        }
        if (predictions != null) {
            in.addAll(java.util.Arrays.asList(predictions.test(), predictions.testLabels(), predictions.validation(),
                    predictions.validationLabels()));
            in.addAll(predictions.probes().values());
            in.addAll(predictions.probeLabels().values());
        }
        if (model != null && Files.isDirectory(model)) {
            in.add(model.resolve("saved_model.pb"));
        }
        return in;
    }

    /**
     * An audit's result and the outputs it was computed from (the monitor reference is fitted on
     * their validation split); null outputs for a log audited on Spark.
     */
    record Audited(AuditResult result, ModelOutputs outputs) {
    }

    private AuditOptions options(CalibrationChoice choice, int size, Consumer<String> progress) {
        return AuditOptions.defaults().withCalibration(choice).withThreshold(settings.threshold()).withProbeSize(size)
                .withSeed(settings.seed()).withResamples(settings.resamples()).withAlpha(settings.alpha())
                .withProgress(progress);
    }

    /**
     * The test and validation splits an audit runs on.
     *
     * @param test       the test split
     * @param validation the validation split, or null when there is none (a folder without {@code validation/})
     * @param name       the data set's name as the report shows it
     */
    public record Splits(ImageSet test, ImageSet validation, String name) {
        /**
         * Reads them: a data set name through {@link DataCatalog}, or a directory with {@code test/}
         * (and optionally {@code validation/}) class folders.
         */
        public static Splits load(String data, Path dataDir) {
            Path dir = Path.of(data);
            if (Files.isDirectory(dir) && Files.isDirectory(dir.resolve("test"))) {
                ImageSet test = ImageFolders.readFolders(dir.resolve("test"), "test", ImageFolders.Options.defaults());
                ImageSet validation = Files.isDirectory(dir.resolve("validation"))
                        ? ClassAlignment.align(ImageFolders.readFolders(dir.resolve("validation"), "validation",
                                ImageFolders.Options.defaults()), test.classNames(), "validation folders of " + data,
                                "the test folders")
                        : null;
                return new Splits(test, validation, dir.getFileName().toString());
            }
            return new Splits(DataCatalog.load(data, "test", dataDir), DataCatalog.load(data, "validation", dataDir), data);
        }
    }
}
