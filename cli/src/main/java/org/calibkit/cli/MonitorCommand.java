package org.calibkit.cli;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.cli.monitor.MonitorJob;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code calibkit monitor}: parses options, runs {@link MonitorJob}, prints the alerts. */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch a deployed model's prediction log (or, with --model, a folder of the images it saw) against "
                + "its labelled validation outputs (an audit's stored reference, the outputs themselves, or the model run "
                + "on --data's validation split): per window of rows or time, "
                + "accuracy estimated without labels (ATC on negative entropy after temperature scaling), the share of "
                + "unfamiliar inputs, the predicted-class mix (chi-square), and realised accuracy and ECE where labels "
                + "exist; alerts when a window leaves the reference's band. Writes a self-contained HTML page and, with "
                + "--json, its JSON twin.",
                "Exit code 0 (alerts or not), 1 with --fail-on-alert (or --fail-on KINDS) when a window alerts, or on bad "
                        + "input; 2 when the "
                        + "command line does not parse."})
public final class MonitorCommand extends CalibkitCommand {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ReferenceChoice reference;

    /** The reference: an audit's JSON, or the validation outputs and labels to fit it from. */
    static final class ReferenceChoice {
        @Option(names = "--reference", required = true, paramLabel = "AUDIT.json",
                description = "the JSON of an audit with a validation split (calibkit audit --json): its "
                        + "monitor_reference, fitted when the model was audited")
        Path audit;

        @ArgGroup(exclusive = false)
        ReferenceFiles files;
    }

    /** Validation outputs and their labels. */
    static final class ReferenceFiles {
        @Option(names = "--reference-predictions", required = true, paramLabel = "FILE",
                description = "or: the model's outputs on its labelled validation split, n x K (.npy or .csv)")
        Path predictions;

        @Option(names = "--reference-labels", required = true, paramLabel = "FILE", description = "their labels")
        Path labels;
    }

    @Option(names = "--model", paramLabel = "FILE",
            description = "run this model (any file calibkit audit opens): on --inputs DIR for the log, and with --data on "
                    + "its validation split for the reference")
    Path model;

    @Option(names = "--data", paramLabel = "NAME|DIR",
            description = "with --model: the data set whose labelled validation split is the reference (mnist, "
                    + "fashion-mnist, svhn, or a folder with validation/ class folders)")
    String data;

    @Mixin
    DataDirOption where = new DataDirOption();

    @Option(names = "--inputs", paramLabel = "DIR",
            description = "with --model: a folder of images the deployed model saw, in time order by modification time, "
                    + "or by DIR/manifest.csv (file,timestamp[,label])")
    Path inputs;

    @Option(names = "--predictions", paramLabel = "LOG",
            description = "the prediction log in time order: outputs n x K (.npy or .csv, the reference's kind), a CSV "
                    + "log with a header (id, timestamp, label where known, the K outputs), or a Parquet log (id, logits, label)")
    String predictions;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--group-by", paramLabel = "COLUMN",
            description = "with --engine spark: model or segment, one monitor per value of that column of the log, "
                    + "written to OUT-VALUE.html (and JSON-VALUE.json)")
    String groupBy;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels of every row of a .npy/.csv outputs log, or "
            + "id,label rows (labels that arrived later) joined by id to a CSV log with a header")
    Path labels;

    @Option(names = "--window", paramLabel = "N|DURATION", defaultValue = "500",
            description = "rows per window, or a duration (1d, 6h, 30m) for a CSV or Parquet log with a timestamp "
                    + "column (with --engine spark: a duration) (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--min-band", paramLabel = "D", defaultValue = "0.03",
            description = "the smallest estimated accuracy drop that alerts (default: ${DEFAULT-VALUE})")
    double minBand;

    @Mixin
    ModelOptionsMixin modelOptions = new ModelOptionsMixin();

    @Mixin
    ReportFilesMixin files = new ReportFilesMixin();

    @Option(names = "--fail-on-alert", description = "exit 1 when any window alerts (for CI and cron)")
    boolean failOnAlert;

    @Option(names = "--fail-on", paramLabel = "KINDS", split = ",",
            description = "exit 1 when a window raises an alert of these kinds: accuracy, unfamiliar, class_mix "
                    + "(--fail-on-alert is all three)")
    List<String> failOn = List.of();

    private static final List<String> KINDS = List.of("accuracy", "unfamiliar", "class_mix");

    @Override
    public Integer call() {
        for (String k : failOn) {
            if (!KINDS.contains(k)) {
                throw new CalibkitException("--fail-on takes alert kinds " + String.join(", ", KINDS) + ", but got '" + k + "'");
            }
        }
        MonitorOptions o = MonitorOptions.defaults().withMinBand(minBand);
        if (window.trim().matches("\\d{1,9}")) {
            o = o.withWindow(Integer.parseInt(window.trim()));
        }
        ReferenceFiles f = reference == null ? null : reference.files;
        if (model == null && (data != null || inputs != null || where.dataDir != null)) {
            throw new CalibkitException((data != null ? "--data" : inputs != null ? "--inputs" : "--data-dir")
                    + " needs --model (the monitor runs the model on those images)");
        }
        MonitorJob.ModelInput mi = model == null ? null
                : new MonitorJob.ModelInput(model, modelOptions.modelType, data, where.dataDir, inputs);
        boolean spark = false;
        if (predictions == null && !engine.engine.strip().equalsIgnoreCase("auto")) {
            throw new CalibkitException("--engine goes with --predictions LOG (a Parquet log)");
        }
        if (predictions != null) {
            try {
                spark = org.calibkit.cli.audit.SparkLogs.engine(engine.engine, predictions).equals("spark");
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(e.getMessage(), e);
            }
        }
        if (!spark && (engine.master != null || groupBy != null)) {
            throw new CalibkitException((engine.master != null ? "--master" : "--group-by") + " goes with --engine spark");
        }
        boolean cluster = predictions != null && org.calibkit.cli.audit.SparkLogs.isClusterPath(predictions);
        Path log = predictions == null || cluster ? null : Path.of(predictions);
        MonitorJob job = new MonitorJob(f == null ? null : f.predictions, f == null ? null : f.labels,
                reference == null ? null : reference.audit, log, labels, window,
                modelOptions.external().toOptions(), files.out, files.json, o, mi,
                spark ? new MonitorJob.OnSpark(predictions, engine.master, groupBy) : null);
        java.util.Map<String, MonitorResult> results = job.runGroups(progress());
        var w = out();
        java.util.Set<String> kinds = new java.util.HashSet<>(failOn);
        boolean fail = false;
        for (java.util.Map.Entry<String, MonitorResult> g : results.entrySet()) {
            MonitorResult r = g.getValue();
            w.println(String.format(java.util.Locale.ROOT, "monitor of %s%s: %d windows of %s, %d alerts%s",
                    predictions != null ? predictions : inputs, g.getKey().isEmpty() ? "" : " (" + groupBy + " "
                            + g.getKey() + ")",
                    r.windows().size(), r.windowing(), r.alerts().size(),
                    r.alerts().isEmpty() ? "" : ", the first in window " + r.firstAlertWindow()));
            r.alerts().forEach(a -> w.println("alert: " + a.message()));
            w.println("report: " + (g.getKey().isEmpty() ? files.out : MonitorJob.suffixed(files.out, g.getKey())));
            if (files.json != null) {
                w.println("json:   " + (g.getKey().isEmpty() ? files.json : MonitorJob.suffixed(files.json, g.getKey())));
            }
            fail |= r.alerts().stream().anyMatch(a -> failOnAlert || kinds.contains(a.kind()));
        }
        w.flush();
        if (fail) {
            w.println("failing: " + (failOnAlert ? "--fail-on-alert" : "--fail-on " + String.join(",", failOn)));
            w.flush();
        }
        return fail ? Main.EXIT_FAILURE : 0;
    }
}
