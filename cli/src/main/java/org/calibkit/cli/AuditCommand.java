package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.report.audit.Audit;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.cli.audit.PredictionLogs;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.cli.audit.SparkLogs;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.cli.compare.ComparisonJob;
import org.calibkit.report.gates.Gate;
import org.calibkit.report.gates.GateException;
import org.calibkit.report.gates.Gates;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.terminal.TerminalSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calibkit audit}: parses options and runs {@link AuditJob} on a model (any kind
 * {@link org.calibkit.core.open.OpenedModel} opens) or on prediction files, then checks the
 * {@code --fail-on} gates with {@link Gates}. Exit 0 when every gate holds (or none is given), 1
 * when a gate fails or on bad input, 2 on a command line or gate that does not parse.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Audit a model: calibration on the test split before and after calibration (fitted on the "
                + "validation split), and probes it should not be sure about (blank images, noise, unscaled pixels, "
                + "letters, other digits, rotations). The model: a calibkit bundle (.ckb), an ONNX file, a TensorFlow "
                + "SavedModel directory or a Tribuo model file; or, without a model, prediction files "
                + "(--predictions/--labels). Writes a self-contained HTML report and, with --json, its JSON twin; "
                + "prints a five-line summary.",
                "Exit code 0 when every --fail-on gate holds (or none is given); 1 when a gate fails or on bad input; "
                        + "2 when the command line or a gate does not parse or a gate names an unknown key."})
public final class AuditCommand extends CalibkitCommand {
    @Option(names = "--model", paramLabel = "FILE",
            description = "the model: calibkit bundle (.ckb), ONNX file, SavedModel directory or Tribuo model file; "
                    + "repeat it with bundles to compare models in one report (as 'calibkit compare')")
    List<Path> models = new ArrayList<>();

    @Option(names = "--data", paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist, svhn, synthetic-svhn, or a directory with test/ (and validation/) class "
                    + "folders; with --predictions only the name shown in the report")
    String data;

    @Mixin
    DataDirOption where = new DataDirOption();

    @Mixin
    ModelOptionsMixin modelOptions = new ModelOptionsMixin();

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "audit saved predictions instead of a model: the test split's outputs, n x K (.npy or .csv), "
                    + "or a Parquet prediction log (file or directory; columns id, logits array, label)")
    String predictions;   // a String: a cluster URL (s3a://...) is not a file path

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--stream-above", paramLabel = "ROWS", defaultValue = "" + AuditJob.STREAM_ABOVE,
            description = "with a Parquet log read through DuckDB: more test rows than this get the streamed audit "
                    + "(as on Spark: sums over row buckets and exact selection passes; no selective prediction or "
                    + "smooth ECE), fewer the in-memory one (default: ${DEFAULT-VALUE}; 0: always streamed)")
    long streamAbove;

    @Option(names = "--labels", paramLabel = "FILE", description = "with --predictions: the test labels (not for a "
            + "Parquet log, whose rows carry them)")
    Path labels;

    @Option(names = "--log-outputs", paramLabel = "COLUMN", defaultValue = "logits",
            description = "with --predictions LOG.parquet: the array column of the model's outputs (default: ${DEFAULT-VALUE})")
    String logOutputs;

    @Option(names = "--log-label", paramLabel = "COLUMN", defaultValue = "label",
            description = "with --predictions LOG.parquet: the integer label column (default: ${DEFAULT-VALUE})")
    String logLabel;

    @Option(names = "--log-id", paramLabel = "COLUMN", defaultValue = "id",
            description = "with --predictions LOG.parquet: the id column, named in error messages (default: ${DEFAULT-VALUE})")
    String logId;

    @Option(names = "--val-predictions", paramLabel = "FILE",
            description = "with --predictions: the validation split's outputs (to fit the calibration)")
    String valPredictions;

    @Option(names = "--val-labels", paramLabel = "FILE", description = "with --val-predictions: its labels")
    Path valLabels;

    @Option(names = "--probe-predictions", paramLabel = "NAME=FILE",
            description = "with --predictions: the model's outputs on a probe, out-of-distribution unless "
                    + "--probe-labels gives its labels (repeatable)")
    Map<String, Path> probePredictions = new LinkedHashMap<>();

    @Option(names = "--probe-labels", paramLabel = "NAME=FILE",
            description = "labels of a --probe-predictions probe whose images are of the model's classes (a shift probe)")
    Map<String, Path> probeLabels = new LinkedHashMap<>();

    @Option(names = "--calibration", paramLabel = "METHOD", defaultValue = AuditJob.AUTO,
            description = "temperature, vector, matrix, dirichlet, histogram, isotonic, platt (fitted on the validation "
                    + "split), stored (the bundle's own map, from 'calibkit calibrate'), none, or auto: stored when the "
                    + "bundle has a map, else temperature (default: ${DEFAULT-VALUE})")
    String calibration;

    @Mixin
    ProbeOptionsMixin probeOptions = new ProbeOptionsMixin();

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.1",
            description = "miscoverage level of the conformal prediction sets, fitted on the validation split "
                    + "(default: ${DEFAULT-VALUE}: sets that hold the true class 90%% of the time)")
    double alpha;

    @Option(names = "--limit", paramLabel = "N", description = "audit only the first N test and validation images (default: all)")
    Integer limit; // null: all ("--limit 0" is refused, not read as "all")

    @Option(names = "--fail-on", paramLabel = "GATES",
            description = "fail (exit 1) when any gate is true, e.g. \"ece>0.05,probe.blank-black.overconfident_share>0.5,"
                    + "probe.noise-uniform.auroc.energy<0.9\"; keys are the JSON report's (see docs/audit.md)")
    String failOn;

    @Option(names = "--sweeps", paramLabel = "NAMES", defaultValue = "",
            description = "with --model: shift sweeps on the first --probe-size test images, comma-separated: rotation "
                    + "(0-180 degrees by 15), translation (0-14 px), mnist-c (15 corruptions x 5 severities), cifar-c, "
                    + "or one corruption (mnist-c/fog); the report then plots accuracy, confidence and ECE against the "
                    + "shift and checks label-free accuracy estimates on every point")
    String sweeps;

    @Option(names = "--no-doctor", description = "skip the doctor's quick input check (on by default for models "
            + "calibkit did not write: a first verdict when the accuracy as given is near chance or far below another "
            + "input convention's, naming the flags that fix it)")
    boolean noDoctor;

    @Mixin
    ReportFilesMixin files = new ReportFilesMixin();

    @Override
    public Integer call() {
        List<Gate> gates = List.of();
        try {
            gates = failOn == null ? List.of() : Gates.parse(failOn);
        } catch (GateException e) {
            throw usage("--fail-on: " + e.getMessage());
        }
        if (models.size() > 1) {
            return compare();
        }
        Path model = models.isEmpty() ? null : models.get(0);
        if ((model == null) == (predictions == null)) {
            throw usage(model == null
                    ? "give the model (--model FILE --data D) or prediction files (--predictions F --labels F)"
                    : "give either --model or --predictions, not both");
        }
        if (!CalibrationChoice.names().contains(calibration)) {
            throw new IllegalArgumentException("--calibration must be one of " + CalibrationChoice.names()
                    + ", but got '" + calibration + "'");
        }
        ExternalModelOptions ext = modelOptions.external();
        AuditJob job;
        if (predictions != null) {
            if (!sweeps.isBlank()) {
                throw usage("--sweeps shifts images, so it needs --model and --data; "
                        + "prediction files have no images to shift");
            }
            String eng;
            try {
                eng = SparkLogs.engine(engine.engine, predictions);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            Path testPath = Path.of(predictions);
            boolean spark = eng.equals("spark");
            boolean log = spark || PredictionLogs.isLog(testPath);
            if (spark && (labels != null || valLabels != null || !probePredictions.isEmpty())) {
                throw usage("--engine spark audits Parquet logs, whose labels are a "
                        + "column: give no --labels, --val-labels or --probe-predictions");
            }
            if (streamAbove < 0) {
                throw usage("--stream-above must be 0 or more rows, but got " + streamAbove);
            }
            if (engine.master != null && !spark) {
                throw usage("--master goes with --engine spark (or a cluster path)");
            }
            if (labels == null && !log) {
                throw usage("--predictions needs --labels (the test labels)");
            }
            if (ext.scale() != null || ext.mean() != null || ext.std() != null || ext.invert() || ext.preprocessing() != null
                    || ext.layout() != null || ext.output() != null || ext.signature() != null || modelOptions.modelType != null) {
                throw usage("prediction files take --class-names, --output-kind and "
                        + "--head only; preprocessing, layout, output, signature and model type describe a model");
            }
            job = AuditJob.ofPredictions(new AuditJob.PredictionInputs(testPath, labels,
                    valPredictions == null ? null : Path.of(valPredictions), valLabels, probePredictions, probeLabels,
                    ext.toOptions(), PredictionLogSchema.defaults().withId(logId).withOutputs(logOutputs).withLabel(logLabel),
                    spark ? new SparkLogs.Where(predictions, valPredictions, engine.master) : null, streamAbove), data,
                    files.outputs(),
                    probeOptions.options(calibration).withProbeSize(ProbeContext.DEFAULT_SIZE) // --probe-size is for generated probes
                            .withGates(gates).withAlpha(alpha));
        } else {
            if (data == null) {
                throw usage("--model needs --data (the images to audit it on)");
            }
            if (labels != null || valPredictions != null || valLabels != null || !probePredictions.isEmpty()
                    || !probeLabels.isEmpty()) {
                throw usage("--labels, --val-predictions, --val-labels, "
                        + "--probe-predictions and --probe-labels go with --predictions, not --model");
            }
            job = AuditJob.ofModel(new AuditJob.ModelInput(model, data, where.dataDir), files.outputs(),
                    probeOptions.options(calibration)
                            .withModelType(modelOptions.modelType).withModelOptions(ext.toOptions()).withLimit(limit == null ? 0 : limit)
                            .withGates(gates).withAlpha(alpha).withDoctor(!noDoctor).withSweeps(sweeps));
        }
        AuditResult r;
        try {
            r = job.run(progress());
        } catch (GateException e) {
            throw usage("--fail-on: " + e.getMessage());
        }
        println(TerminalSummary.summary(r, files.out, files.json));
        PrintWriter err = err();
        if (gates.isEmpty()) {
            return 0;
        }
        List<Gates.Outcome> outcomes = Gates.evaluate(gates, r);
        int failed = 0;
        for (Gates.Outcome o : outcomes) {
            if (!o.holds()) {
                err.println("calibkit: gate failed: " + o.describe());
                failed++;
            }
        }
        err.println(failed == 0 ? "calibkit: all " + outcomes.size() + " gates hold"
                : "calibkit: " + failed + " of " + outcomes.size() + " gates failed");
        err.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** Several {@code --model}: one comparison report, as {@code calibkit compare} writes it. */
    private int compare() {
        if (predictions != null || failOn != null || limit != null) {
            throw usage("several --model compare bundles in one report; "
                    + "--predictions, --fail-on and --limit go with one model");
        }
        if (data == null) {
            throw usage("--model needs --data (the images to audit it on)");
        }
        String method = AuditJob.AUTO.equals(calibration) ? "temperature" : calibration;
        if (AuditJob.STORED.equals(method)) {
            throw usage("--calibration stored audits one bundle at a time");
        }
        return CompareCommand.run(this, new ComparisonJob.Input(models, data, where.dataDir), files.outputs(),
                probeOptions.options(method));
    }
}
