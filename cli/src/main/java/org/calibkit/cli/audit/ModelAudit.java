package org.calibkit.cli.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelData;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.shift.Sweep;
import org.calibkit.report.shift.SweepOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.core.data.images.ClassAlignment;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.report.doctor.DoctorSection;
import org.calibkit.report.doctor.InputCheck;
import org.calibkit.report.probes.Probe;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;

/**
 * The audit of a model on a data set: open the model, load and align the splits, generate the
 * probes, run the doctor's quick input check on a model calibkit did not write, and audit its
 * outputs. A bundle opens in the background from the start while the data load and the probes
 * are generated (with the pixel scale its manifest declares); everything is still reported, and
 * every error thrown, in that order: the bundle's error first, then the data's, then the probes'.
 * The timings say what was waited for: {@code load_model_and_data} is the time until the probes,
 * less the time spent generating them, so the two add up to the time before the first inference.
 */
final class ModelAudit {
    private final Path model;
    private final String data;
    private final Path dataDir;
    private final AuditJob.Options settings;
    private final boolean doctor;

    ModelAudit(Path model, String data, Path dataDir, AuditJob.Options settings, boolean doctor) {
        this.model = model;
        this.data = data;
        this.dataDir = dataDir;
        this.settings = settings;
        this.doctor = doctor;
    }

    /** Opens the model, loads the data, generates the probes and audits; {@code base}: the audit options to start from. */
    AuditJob.Audited run(CalibrationChoice choice, List<Probe> selected, Supplier<AuditOptions> base,
                         Consumer<String> progress) {
        long t0 = System.nanoTime();
        ModelType type = settings.modelType() != null ? settings.modelType() : ModelType.detect(model);
        // a bundle starts opening before the data load (in the background: the data and the probes do
        // not wait for the worker, and a damaged bundle's error still comes first); other models need
        // the images' shape
        Background<OpenedModel> opening = type == ModelType.BUNDLE
                ? Background.start("calibkit-model-open", () -> OpenedModel.open(model, type, settings.modelOptions())) : null;
        try {
            return run(opening, type, choice, selected, base, progress, t0);
        } finally {
            if (opening != null) {
                opening.finish(OpenedModel::close);
            }
        }
    }

    /**
     * Probes generated while the bundle opens, with the pixel scale its manifest declares; their
     * progress lines kept for the place they are written in, and what generating threw, kept for
     * the moment it was thrown when the probes came after the model.
     */
    private record EarlyProbes(double inputScale, List<ProbeOutcome> outcomes, List<String> lines,
                               RuntimeException failure, double seconds) {
    }

    private EarlyProbes early(Background<OpenedModel> opening, ImageSet test, String datasetName, List<Probe> selected) {
        if (opening == null || ImageFolders.DATASET.equals(test.origin().dataset())) {
            return null; // folder data are aligned to the model's classes before the probes see them
        }
        java.util.Optional<org.calibkit.core.model.Preprocessing> p = org.calibkit.core.model.ModelBundle
                .peekPreprocessing(model);
        if (p.isEmpty()) {
            return null;
        }
        long t1 = System.nanoTime();
        List<String> lines = new java.util.ArrayList<>();
        double scale = p.get().scale();
        try {
            List<ProbeOutcome> outcomes = Probes.generate(selected, new ProbeContext(test, datasetName,
                    settings.probeSize(), settings.seed(), dataDir, scale), lines::add);
            return new EarlyProbes(scale, outcomes, lines, null, (System.nanoTime() - t1) / 1e9);
        } catch (RuntimeException e) {
            return new EarlyProbes(scale, null, lines, e, (System.nanoTime() - t1) / 1e9);
        }
    }

    private AuditJob.Audited run(Background<OpenedModel> opening, ModelType type, CalibrationChoice choice, List<Probe> selected,
                                 Supplier<AuditOptions> base, Consumer<String> progress, long t0) {
        AuditJob.Splits splits;
        try {
            splits = AuditJob.Splits.load(data, dataDir);
        } catch (RuntimeException e) {
            if (opening != null) {
                opening.get(); // a bundle that does not open fails first, as when it opened before the data
            }
            throw e;
        }
        ImageSet test = splits.test();
        ImageSet validation = splits.validation();
        String datasetName = splits.name();
        if (settings.limit() > 0) {
            test = test.limit(Math.min(settings.limit(), test.size()));
            validation = validation == null ? null : validation.limit(Math.min(settings.limit(), validation.size()));
        }
        ModelOptions options = settings.modelOptions();
        if (type != ModelType.BUNDLE) {
            options = options == null ? ModelOptions.defaults() : options;
            if (options.imageShape().isEmpty()) {
                options = options.withImageShape(test.channels(), test.height(), test.width());
            }
        }
        EarlyProbes early = early(opening, test, datasetName, selected);
        OpenedModel opened = opening == null ? null : opening.get();
        try (OpenedModel own = opened == null ? OpenedModel.open(model, type, options, test.numClasses()) : null) {
            OpenedModel m = opened != null ? opened : own;
            if (ImageFolders.DATASET.equals(test.origin().dataset())) { // folder names against the model's classes
                test = ClassAlignment.align(test, m.source().classNames(), "test folders of " + data, "the model's classes");
                validation = validation == null ? null : ClassAlignment.align(validation, m.source().classNames(),
                        "validation folders of " + data, "the model's classes");
            }
            progress.accept("audit: model " + model + " (" + m.type().id() + ", " + m.info().outputKind().replace('_', ' ')
                    + ", " + m.source().classNames().size() + " classes)");
            progress.accept(String.format(Locale.ROOT, "audit: data %s, %d test and %d validation images", datasetName,
                    test.size(), validation == null ? 0 : validation.size()));
            CalibrationMap stored = m.storedCalibration().orElse(null);
            if (choice instanceof CalibrationChoice.Stored && stored == null) {
                throw new CalibkitException("model " + model + " has no stored calibration (calibration 'stored'); "
                        + "'calibkit calibrate' writes a bundle with one, or name a method to fit");
            }
            boolean applyStored = stored != null
                    && (choice instanceof CalibrationChoice.Stored || choice instanceof CalibrationChoice.Auto);
            if (!applyStored && validation == null && choice.calibrates()) {
                progress.accept("audit: no validation split: nothing is calibrated (calibration is never fitted on test)");
            }
            List<ProbeOutcome> outcomes;
            double generating;
            double loading;
            // the early probes stand when the model's scale is the one they were made for (it is, for
            // a bundle: both come from its manifest); then the time spent on them is not loading time
            if (early != null && Double.compare(early.inputScale(), m.inputScale()) == 0) {
                loading = (System.nanoTime() - t0) / 1e9 - early.seconds();
                if (early.failure() != null) {
                    throw early.failure();
                }
                early.lines().forEach(progress);
                outcomes = early.outcomes();
                generating = early.seconds();
            } else {
                loading = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                ProbeContext ctx = new ProbeContext(test, datasetName, settings.probeSize(), settings.seed(), dataDir,
                        m.inputScale());
                outcomes = Probes.generate(selected, ctx, progress);
                generating = (System.nanoTime() - t1) / 1e9;
            }
            AuditOptions o = base.get();
            if (applyStored) {
                o = o.withStoredMap(stored);
            }
            List<AuditResult.Verdict> leading = List.of();
            DoctorSection doctorSection = null;
            if (doctor && type != ModelType.BUNDLE) { // the doctor's quick check: its verdict comes first, its section after the summary
                InputCheck.Quick q = InputCheck.quick(model, type, settings.modelOptions(),
                        validation != null ? validation : test, progress);
                doctorSection = q.section();
                leading = q.verdict().map(v -> List.of(new AuditResult.Verdict(InputCheck.CHECK, "The input fits the model",
                        AuditResult.Status.FAIL, v.given(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        v.message()))).orElse(List.of());
            }
            List<Sweep> sweepList = SweepNames.parse(settings.sweeps());
            ModelOutputs outputs = Audit.outputs(m.source(), ModelData.of(test).withValidation(validation)
                    .withProbes(outcomes).withSweeps(new ModelData.SweepRequest(sweepList, settings.probeSize(),
                            SweepOptions.defaults().withSeed(settings.seed()))), progress);
            outputs = outputs.withModel(ModelInfos.of(m.info())).withDataName(datasetName).withLeadingVerdicts(leading)
                    .withTiming("load_model_and_data", loading).withTiming("generate_probes", generating);
            return new AuditJob.Audited(Audit.ofOutputs(outputs, o).withDoctor(doctorSection), outputs);
        }
    }
}
