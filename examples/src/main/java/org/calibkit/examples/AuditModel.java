package org.calibkit.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelData;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;
import org.calibkit.report.terminal.TerminalSummary;

/**
 * Audits a model and writes the HTML report with its JSON twin: calibration on MNIST's test split
 * before and after temperature scaling (fitted on the validation split), and every probe (blank
 * images, noise, unscaled pixels, letters, other digits, rotations and shifts; probes whose data is
 * not on this machine are skipped with the reason).
 *
 * <p>Without arguments it trains a softmax regression and audits it through {@link Audit}, the
 * way any {@link LogitSource} is audited. Given a saved bundle ({@code calibkit train ... --out
 * F.ckb}) it makes the same call the {@code calibkit audit} command makes, {@link AuditJob}. Run:
 * {@code java -cp ... org.calibkit.examples.AuditModel [MODEL.ckb]}; the report goes to
 * {@code example-output/audit-model/report.html}.
 */
public final class AuditModel extends NamedExample<AuditModel.Result> {
    /**
     * What one run wrote.
     *
     * @param audit the result the report renders
     * @param html  the report
     * @param json  its JSON twin
     */
    public record Result(AuditResult audit, Path html, Path json) {
    }

    private final Path bundle;

    /** Trains a softmax regression and audits it. */
    public AuditModel() {
        this(null);
    }

    /** Audits the saved bundle {@code bundle} (null: train one). */
    public AuditModel(Path bundle) {
        super("audit-model", "audit a model on MNIST with every probe; write report.html and report.json");
        this.bundle = bundle;
    }

    @Override
    public Result run(Setup setup) {
        Path html = setup.outDir().resolve("report.html");
        Path json = setup.outDir().resolve("report.json");
        Consumer<String> progress = setup.out()::println;
        AuditResult r;
        if (bundle != null) {
            // a saved model: one call loads it and the data, probes, audits and writes both files
            r = AuditJob.ofModel(new AuditJob.ModelInput(bundle, "mnist", setup.dataDir()), new AuditJob.Outputs(html, json),
                    AuditJob.Options.defaults().withCalibration("temperature").withProbeSize(setup.probeSize())
                            .withResamples(setup.resamples())).run(progress);
        } else {
            ImageSet train = DataCatalog.load("mnist", "train", setup.dataDir()).limit(setup.trainImages());
            ImageSet validation = DataCatalog.load("mnist", "validation", setup.dataDir());
            ImageSet test = DataCatalog.load("mnist", "test", setup.dataDir()).limit(setup.testImages());
            try (ModelBundle model = LogisticTrainer.defaults(1).train(train, validation, progress)) {
                r = audit(model, "mnist", validation, test, setup);
            }
            HtmlReport.write(r, html);
            AuditJson.write(r, json);
        }
        setup.out().println(TerminalSummary.summary(r, html, json));
        return new Result(r, html, json);
    }

    /**
     * The audit of any {@link LogitSource}: the same probes for every model of a data set (same
     * seed, same size), temperature scaling fitted on {@code validation}.
     */
    static AuditResult audit(LogitSource model, String dataset, ImageSet validation, ImageSet test, Setup setup) {
        double scale = model.inputPreprocessing().map(Preprocessing::scale).orElse(ProbeContext.UNIT_SCALE);
        ProbeContext probes = new ProbeContext(test, dataset, setup.probeSize(), 0, setup.dataDir(), scale);
        List<ProbeOutcome> outcomes = Probes.generate(Probes.all(), probes, setup.out()::println);
        ModelOutputs outputs = Audit.outputs(model, ModelData.of(test).withValidation(validation).withProbes(outcomes),
                s -> { }).withDataName(dataset);
        return Audit.ofOutputs(outputs, AuditOptions.defaults().withCalibration("temperature")
                .withProbeSize(setup.probeSize()).withResamples(setup.resamples()));
    }

    public static void main(String[] args) {
        Examples.runFull(new AuditModel(args.length > 0 ? Path.of(args[0]) : null));
    }
}
