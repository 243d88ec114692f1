package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.report.probes.ProbeImages;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.report.shift.ExampleGrid;
import org.calibkit.report.shift.Sweeps;

/**
 * Runs a model once over what an audit needs (test split, validation split, every probe that
 * has images) and returns its {@link ModelOutputs}, with the images kept for thumbnails and the
 * test images' input-range check recorded. A test set outside the range the model was trained
 * on is refused here, before anything is computed on outputs that would mean nothing.
 */
final class ModelRun {
    private ModelRun() {
    }

    static ModelOutputs outputs(LogitSource model, ModelData data, Consumer<String> progress) {
        ImageSet test = data.test();
        if (test.size() == 0) {
            throw new CalibkitException("the test split " + test.origin().location() + " is empty");
        }
        if (!test.classNames().equals(model.classNames()) && test.numClasses() != model.classNames().size()) {
            throw new CalibkitException("the model has " + model.classNames().size() + " classes " + model.classNames()
                    + " but the test data " + test.origin().dataset() + " has " + test.numClasses() + " " + test.classNames());
        }
        Optional<AuditResult.InputRange> range = inputRange(model, test);
        if (range.isPresent() && !range.get().ok()) {
            throw new CalibkitException(range.get().message() + "; " + range.get().fix());
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        progress.accept("audit: predicting the " + test.size() + " test images");
        ModelOutputs.Split testSplit = new ModelOutputs.Split(model.logits(test), test.labels(), Optional.of(test));
        timings.put("inference_test", secs(t0));
        Optional<ModelOutputs.Split> validation = Optional.empty();
        if (data.validation().isPresent()) {
            ImageSet v = data.validation().get();
            t0 = System.nanoTime();
            progress.accept("audit: predicting the " + v.size() + " validation images");
            validation = Optional.of(new ModelOutputs.Split(model.logits(v), v.labels(), Optional.of(v)));
            timings.put("inference_validation", secs(t0));
        }
        t0 = System.nanoTime();
        List<ModelOutputs.Probe> probes = new ArrayList<>();
        for (ProbeOutcome p : data.probes()) {
            if (p.skipped()) {
                probes.add(ModelOutputs.Probe.skipped(p));
                continue;
            }
            ProbeImages pi = p.images();
            progress.accept("audit: probe " + p.name() + " (" + pi.images().size() + " images)");
            LogitSource source = pi.bypassRangeCheck() ? model.withoutRangeCheck() : model;
            Logits z = source.logits(pi.images());
            probes.add(new ModelOutputs.Probe(pi.name(), pi.kind(), pi.description(), Optional.of(z),
                    pi.labelled() ? Optional.of(pi.images().labels()) : Optional.empty(), Optional.of(pi.images()),
                    Optional.empty()));
        }
        if (!data.probes().isEmpty()) {
            timings.put("inference_probes", secs(t0));
        }
        ModelOutputs.Shifts shifts = ModelOutputs.Shifts.none();
        ModelData.SweepRequest sweeps = data.sweeps();
        if (!sweeps.sweeps().isEmpty()) {
            t0 = System.nanoTime();
            ImageSet clean = test.limit(Math.min(sweeps.images(), test.size()));
            progress.accept("audit: " + sweeps.sweeps().stream().mapToInt(s -> s.points().size()).sum()
                    + " shift sweep points on " + clean.size() + " test images");
            List<Corruption> corruptions = sweeps.sweeps().stream().map(s -> Corruptions.byKey(s.name()))
                    .flatMap(Optional::stream).toList();
            Optional<ExampleGrid> examples = corruptions.isEmpty() ? Optional.empty()
                    : Optional.of(ExampleGrid.of(clean, 0, corruptions, sweeps.options().seed(), 2));
            shifts = new ModelOutputs.Shifts(Sweeps.predictSets(model, clean, sweeps.sweeps(), sweeps.options(), progress),
                    sweeps.options(), examples);
            timings.put("inference_sweeps", secs(t0));
        }
        String name = model.getClass().getSimpleName();
        AuditResult.ModelInfo info = new AuditResult.ModelInfo(name, "(in memory)", null, name, model.head().id(),
                OutputKind.LOGITS.id(), model.classNames(), model.inputPreprocessing().map(Object::toString).orElse(null),
                Map.of());
        AuditResult.DataInfo dataInfo = new AuditResult.DataInfo(test.origin().dataset(),
                data.validation().map(ImageSet::size).orElse(0), test.size(), test.origin().location(),
                test.origin().sha256(), test.origin().verified());
        ModelOutputs out = new ModelOutputs(model.classNames(), model.head(), OutputKind.LOGITS, testSplit, validation, probes,
                range, info, dataInfo, List.of(), Map.of(), shifts);
        for (Map.Entry<String, Double> e : timings.entrySet()) {
            out = out.withTiming(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The model's expected input range against the test images, when the model knows its preprocessing. */
    private static Optional<AuditResult.InputRange> inputRange(LogitSource model, ImageSet test) {
        Optional<Preprocessing> prep = model.inputPreprocessing();
        if (prep.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AuditResult.InputRange.of(prep.get().checkRange(test)));
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
