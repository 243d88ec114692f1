package org.calibkit.cli.compare;

import java.util.Map;

import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelData;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.cli.audit.ModelInfos;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.compare.Comparison;
import org.calibkit.report.compare.ComparisonHtml;
import org.calibkit.report.compare.ComparisonJson;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;

/**
 * Several saved model bundles audited on the same data as one call: load the data set's test and
 * validation splits once, generate the probes once (same pixels for every model), run
 * {@link Audit} on each model with the same settings, and write one HTML page with a column per
 * model and its JSON twin. What {@code calibkit compare} calls.
 *
 * @param input   the bundles and the data
 * @param out     the HTML page and its JSON twin (or null) to write
 * @param options calibration (a calibrator name or {@code none}, fitted for each model on the
 *                validation split), probes, threshold, probe size, seed and resamples; the
 *                single-model settings (limit, gates, model type and options) do not apply
 */
public record ComparisonJob(Input input, AuditJob.Outputs out, AuditJob.Options options) {
    /**
     * What is compared.
     *
     * @param models  the bundle files, in column order (at least one)
     * @param data    a data set name ({@code mnist}, ...) or a directory with {@code test/} (and
     *                optionally {@code validation/}) class folders
     * @param dataDir the user's data directory for named data sets, or null
     */
    public record Input(List<Path> models, String data, Path dataDir) {
        public Input {
            Objects.requireNonNull(models, "models");
            models = List.copyOf(models);
            Objects.requireNonNull(data, "data");
        }
    }

    public ComparisonJob {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
    }

    /**
     * Runs the job, printing progress lines; returns the comparison after both files are written.
     *
     * @throws IllegalArgumentException for no model, a bad probe list or size, or models that expect
     *                                  differently scaled pixels (the probes are generated once for all)
     */
    public Comparison run(Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        List<Path> models = input.models();
        int probeSize = options.probeSize();
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one model, but got none");
        }
        var selected = Probes.select(options.probes()); // fail on bad options before loading anything
        if (probeSize < 1) {
            throw new IllegalArgumentException("Expected the probe size to be at least 1, but got " + probeSize);
        }
        for (Path m : models) {
            if (!Files.isRegularFile(m)) {
                throw new IllegalArgumentException("model bundle " + m + " does not exist or is not a file");
            }
        }
        OutputFiles.check(out.byOption(), models); // before any work
        List<OpenedModel> bundles = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < models.size(); i++) {
                OpenedModel b = OpenedModel.open(models.get(i), ModelType.BUNDLE, null); // native code in a worker
                bundles.add(b);
                progress.accept(String.format(Locale.ROOT, "compare: model %d/%d %s (%s, %d classes)", i + 1, models.size(),
                        models.get(i), b.info().kind(), b.source().classNames().size()));
                double scale = bundles.get(0).inputScale();
                if (Double.compare(b.inputScale(), scale) != 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "cannot compare %s and %s: they scale "
                            + "pixels differently (%s against %s), and the probes are generated once for all models",
                            models.get(0), models.get(i), b.inputScale(), scale));
                }
            }
            AuditJob.Splits splits = load(progress);
            double loading = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            ProbeContext ctx = new ProbeContext(splits.test(), splits.name(), probeSize, options.seed(),
                    input.dataDir(), bundles.get(0).inputScale());
            List<ProbeOutcome> outcomes = Probes.generate(selected, ctx, progress);
            double generating = (System.nanoTime() - t1) / 1e9;

            List<AuditResult> audits = new ArrayList<>();
            for (int i = 0; i < bundles.size(); i++) {
                String prefix = String.format(Locale.ROOT, "compare: [%d/%d %s] ", i + 1, bundles.size(),
                        models.get(i).getFileName());
                progress.accept(prefix + "auditing");
                Consumer<String> lines = line -> progress.accept(prefix + line);
                ModelOutputs run = Audit.outputs(bundles.get(i).source(), ModelData.of(splits.test())
                        .withValidation(splits.validation()).withProbes(outcomes), lines)
                        .withModel(ModelInfos.of(bundles.get(i).info())).withDataName(splits.name())
                        .withTiming("load_models_and_data", loading).withTiming("generate_probes", generating);
                audits.add(Audit.ofOutputs(run, AuditOptions.defaults().withCalibration(options.calibration())
                        .withThreshold(options.threshold()).withProbeSize(probeSize).withSeed(options.seed())
                        .withResamples(options.resamples()).withProgress(lines)));
            }
            Comparison c = Comparison.of(audits);
            long t2 = System.nanoTime();
            OutputFiles.writeTogether(OutputFiles.pageAndJson(out.html(), ComparisonHtml.render(c), out.json(),
                    () -> ComparisonJson.toJson(c) + "\n")); // both land, or neither
            progress.accept(String.format(Locale.ROOT, "compare: wrote %s%s in %.2f s", out.html(),
                    out.json() == null ? "" : " and " + out.json(), (System.nanoTime() - t2) / 1e9));
            return c;
        } finally {
            for (OpenedModel b : bundles) {
                b.close();
            }
        }
    }

    /** The test and validation splits, read as {@link AuditJob} reads them. */
    private AuditJob.Splits load(Consumer<String> progress) {
        AuditJob.Splits splits = AuditJob.Splits.load(input.data(), input.dataDir());
        ImageSet test = splits.test();
        ImageSet validation = splits.validation();
        String name = splits.name();
        progress.accept(String.format(Locale.ROOT, "compare: data %s, %d test and %d validation images", name,
                test.size(), validation == null ? 0 : validation.size()));
        if (validation == null && CalibrationChoice.parse(options.calibration()).calibrates()) {
            progress.accept("compare: no validation split: nothing is calibrated (calibration is never fitted on test)");
        }
        return splits;
    }
}
