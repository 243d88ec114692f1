package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.Checks;
import org.calibkit.core.ImageSet;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.probes.ProbeKind;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.shift.ExampleGrid;
import org.calibkit.report.shift.ShiftSet;
import org.calibkit.report.shift.SweepOptions;

/**
 * What an audit audits: a model's outputs on the test split, optionally on the validation split
 * and on probes, with their labels and what the outputs are. The one value both entry points
 * produce: {@link Audit#of} runs a model into it ({@link ModelRun}), saved predictions are read
 * into it ({@link #of(SavedPredictions)}), and prediction logs (Spark, DuckDB) can build it the
 * same way; {@link Audit#ofOutputs} audits it.
 *
 * <p>When a model ran, each split may also carry its images (for the gallery's thumbnails) and
 * the input-range check of the test images is recorded.
 *
 * @param classNames one per output column
 * @param head       softmax, or sigmoid for independent probabilities
 * @param outputKind what the model's raw outputs were (logits, probabilities, ...), as shown
 * @param test       the test split (not empty)
 * @param validation the validation split calibration is fitted on, if any
 * @param probes     the probes in the order they are reported, skipped ones included
 * @param inputRange the check of the test images against the model's expected input range, if one ran
 * @param model      what the report shows about the model
 * @param data       what the report shows about the data
 * @param leading    verdicts found before the audit (the doctor's input check), placed first
 * @param timings    seconds spent before the audit, by step, shown first in the timings
 * @param shifts     the outputs on shift sweep points, with the sweep's settings (empty: no sweep)
 */
public record ModelOutputs(List<String> classNames, Head head, OutputKind outputKind, Split test,
                           Optional<Split> validation, List<Probe> probes, Optional<AuditResult.InputRange> inputRange,
                           AuditResult.ModelInfo model, AuditResult.DataInfo data, List<AuditResult.Verdict> leading,
                           Map<String, Double> timings, Shifts shifts) {

    /**
     * Outputs on the points of shift sweeps.
     *
     * @param sets     one per sweep point, in sweep order
     * @param options  bins and the shifts' seed they were made with
     * @param examples one test image under every corruption and severity, when there are corruption sweeps
     */
    public record Shifts(List<ShiftSet> sets, SweepOptions options, Optional<ExampleGrid> examples) {
        public Shifts {
            sets = List.copyOf(sets);
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(examples, "examples");
        }

        /** Outputs on sweep points without example images (saved or logged outputs). */
        public Shifts(List<ShiftSet> sets, SweepOptions options) {
            this(sets, options, Optional.empty());
        }

        /** No sweep. */
        public static Shifts none() {
            return new Shifts(List.of(), SweepOptions.defaults());
        }
    }

    /** Outputs without shift sweeps. */
    public ModelOutputs(List<String> classNames, Head head, OutputKind outputKind, Split test, Optional<Split> validation,
                        List<Probe> probes, Optional<AuditResult.InputRange> inputRange, AuditResult.ModelInfo model,
                        AuditResult.DataInfo data, List<AuditResult.Verdict> leading, Map<String, Double> timings) {
        this(classNames, head, outputKind, test, validation, probes, inputRange, model, data, leading, timings, Shifts.none());
    }

    /** The sentence describing a probe prediction file without labels. */
    static final String PREDICTED_OOD = "The model's saved outputs on inputs that are none of its classes "
            + "(a prediction file without labels, so treated as out-of-distribution).";
    /** The sentence describing a probe prediction file with labels. */
    static final String PREDICTED_SHIFT = "The model's saved outputs on labelled inputs of its own classes "
            + "(a prediction file with labels, so audited as a shift probe).";

    /**
     * One split's outputs.
     *
     * @param logits the outputs as logits for the head
     * @param labels one label in [0, K) per row
     * @param images the images the outputs were computed on, when a model ran (for thumbnails)
     */
    public record Split(Logits logits, int[] labels, Optional<ImageSet> images) {
        public Split {
            Objects.requireNonNull(logits, "logits");
            Objects.requireNonNull(images, "images");
            labels = Objects.requireNonNull(labels, "labels").clone();
            if (labels.length != logits.n()) {
                throw new CalibkitException("a split has " + logits.n() + " rows of outputs but " + labels.length + " labels");
            }
        }

        /** A split of outputs without images. */
        public static Split of(Logits logits, int[] labels) {
            return new Split(logits, labels, Optional.empty());
        }

        /** A copy of the labels. */
        @Override
        public int[] labels() {
            return labels.clone();
        }

        int n() {
            return labels.length;
        }
    }

    /**
     * One probe: the model's outputs on it, or why it was skipped.
     *
     * @param name        its name
     * @param kind        out-of-distribution, shift, ... for this model
     * @param description one sentence saying what it is
     * @param logits      the outputs; empty when skipped
     * @param labels      the labels of a labelled probe (its inputs are of the model's classes); empty otherwise
     * @param images      its images, when a model ran (for thumbnails)
     * @param skipReason  why it was skipped, a sentence a user can act on; empty when it ran
     */
    public record Probe(String name, ProbeKind kind, String description, Optional<Logits> logits, Optional<int[]> labels,
                        Optional<ImageSet> images, Optional<String> skipReason) {
        public Probe {
            Checks.nonNull("name, kind, description, logits, images, skipReason",
                    name, kind, description, logits, images, skipReason);
            labels = Objects.requireNonNull(labels, "labels").map(int[]::clone);
            if (logits.isPresent() == skipReason.isPresent()) {
                throw new IllegalArgumentException("probe " + name + " needs exactly one of outputs and a skip reason");
            }
            if (labels.isPresent() && labels.get().length != logits.map(Logits::n).orElse(-1)) {
                throw new CalibkitException("the labels of probe '" + name + "' are " + labels.get().length
                        + " but its predictions have " + logits.map(Logits::n).orElse(0) + " rows");
            }
        }

        /** The outputs on an unlabelled probe (out-of-distribution unless {@code kind} says otherwise). */
        public static Probe unlabelled(String name, ProbeKind kind, String description, Logits logits) {
            return new Probe(name, kind, description, Optional.of(logits), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** A probe that did not run. */
        public static Probe skipped(ProbeOutcome p) {
            if (!p.skipped()) {
                throw new IllegalArgumentException("probe " + p.name() + " has images; run the model on them first");
            }
            return new Probe(p.name(), p.kind(), p.description(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(p.skipReason()));
        }

        /** Whether it was skipped. */
        public boolean isSkipped() {
            return skipReason.isPresent();
        }

        /** Whether it has labels (a shift probe: accuracy and ECE are measured on it). */
        public boolean labelled() {
            return labels.isPresent();
        }

        /** A copy of the labels. */
        @Override
        public Optional<int[]> labels() {
            return labels.map(int[]::clone);
        }
    }

    public ModelOutputs {
        Checks.nonNull("head, outputKind, test, validation, inputRange, model, data, shifts",
                head, outputKind, test, validation, inputRange, model, data, shifts);
        classNames = List.copyOf(classNames);
        probes = List.copyOf(probes);
        leading = List.copyOf(leading);
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        int k = classNames.size();
        if (test.n() == 0) {
            throw new CalibkitException("the test split " + data.location() + " is empty");
        }
        requireColumns("the test split", test.logits(), k);
        requireLabels("the test split", test.labels, k);
        if (validation.isPresent()) {
            requireColumns("the validation split", validation.get().logits(), k);
            requireLabels("the validation split", validation.get().labels, k);
        }
        List<String> names = new ArrayList<>();
        for (Probe p : probes) {
            if (names.contains(p.name())) {
                throw new CalibkitException("probe name '" + p.name() + "' is given twice (a built-in probe and a "
                        + "prediction file of the same name?); rename one");
            }
            names.add(p.name());
            if (p.logits().isPresent()) {
                requireColumns("probe '" + p.name() + "'", p.logits().get(), k);
            }
            if (p.labels.isPresent()) {
                requireLabels("probe '" + p.name() + "'", p.labels.get(), k);
            }
        }
    }

    /**
     * Saved predictions as they are: the test and validation splits, and each probe file as
     * out-of-distribution (see {@link #withProbeLabels} for a labelled one); model and data shown
     * as "predictions" held in memory until {@link #withModel}/{@link #withData} say more.
     */
    public static ModelOutputs of(SavedPredictions p) {
        List<Probe> probes = new ArrayList<>();
        p.probes().forEach((name, z) -> probes.add(Probe.unlabelled(name, ProbeKind.OUT_OF_DISTRIBUTION, PREDICTED_OOD, z)));
        AuditResult.ModelInfo model = new AuditResult.ModelInfo("predictions", "(in memory)", null, "predictions",
                p.head().id(), p.outputKind().id(), p.classNames(), null, Map.of());
        AuditResult.DataInfo data = new AuditResult.DataInfo("predictions",
                p.validation().map(v -> v.labels().length).orElse(0), p.test().labels().length, "(in memory)", null, false);
        return new ModelOutputs(p.classNames(), p.head(), p.outputKind(), Split.of(p.test().logits(), p.test().labels()),
                p.validation().map(v -> Split.of(v.logits(), v.labels())), probes, Optional.empty(), model, data,
                List.of(), Map.of());
    }

    /**
     * The same outputs with probe {@code name}'s labels: its inputs are of the model's classes, so
     * it is audited as a labelled shift probe (accuracy, ECE) instead of as out-of-distribution.
     *
     * @throws CalibkitException when there is no such probe, or the labels do not fit its rows or the classes
     */
    public ModelOutputs withProbeLabels(String name, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        List<Probe> out = new ArrayList<>();
        boolean found = false;
        for (Probe p : probes) {
            if (p.name().equals(name) && p.logits().isPresent()) {
                found = true;
                out.add(new Probe(name, ProbeKind.SHIFT, PREDICTED_SHIFT, p.logits(), Optional.of(labels), p.images(),
                        Optional.empty()));
            } else {
                out.add(p);
            }
        }
        if (!found) {
            List<String> names = probes.stream().filter(p -> !p.isSkipped()).map(Probe::name).toList();
            throw new CalibkitException("labels were given for probe '" + name + "', but the predictions have no such "
                    + "probe; probes: " + names);
        }
        return withProbes(out);
    }

    /** The same outputs with {@code skipped} (probes that need a model) listed before the others. */
    public ModelOutputs withSkipped(List<ProbeOutcome> skipped) {
        List<Probe> out = new ArrayList<>();
        skipped.forEach(p -> out.add(Probe.skipped(p)));
        out.addAll(probes);
        return withProbes(out);
    }

    /** The same outputs with these probes. */
    public ModelOutputs withProbes(List<Probe> p) {
        return new ModelOutputs(classNames, head, outputKind, test, validation, p, inputRange, model, data, leading, timings, shifts);
    }

    /** The same outputs with these shift sweep outputs. */
    public ModelOutputs withShifts(Shifts s) {
        return new ModelOutputs(classNames, head, outputKind, test, validation, probes, inputRange, model, data, leading,
                timings, s);
    }

    /** The same outputs, shown with this model description. */
    public ModelOutputs withModel(AuditResult.ModelInfo m) {
        return new ModelOutputs(classNames, head, outputKind, test, validation, probes, inputRange, m, data, leading, timings, shifts);
    }

    /** The same outputs, shown with this data description. */
    public ModelOutputs withData(AuditResult.DataInfo d) {
        return new ModelOutputs(classNames, head, outputKind, test, validation, probes, inputRange, model, d, leading, timings, shifts);
    }

    /** The same outputs, with the data set's name and location as shown. */
    public ModelOutputs withData(String dataset, String location) {
        return withData(new AuditResult.DataInfo(dataset, data.validationCount(), data.testCount(), location,
                data.sha256(), data.verified()));
    }

    /** The same outputs, with the data set's name as shown (its location and checksum kept). */
    public ModelOutputs withDataName(String dataset) {
        return withData(dataset, data.location());
    }

    /** The same outputs with verdicts found before the audit (the doctor's input check), placed first. */
    public ModelOutputs withLeadingVerdicts(List<AuditResult.Verdict> v) {
        return new ModelOutputs(classNames, head, outputKind, test, validation, probes, inputRange, model, data, v, timings, shifts);
    }

    /** The same outputs with {@code seconds} spent on {@code step} before the audit (loading, generating probes). */
    public ModelOutputs withTiming(String step, double seconds) {
        Map<String, Double> t = new LinkedHashMap<>(timings);
        t.put(Objects.requireNonNull(step, "step"), seconds);
        return new ModelOutputs(classNames, head, outputKind, test, validation, probes, inputRange, model, data, leading, t, shifts);
    }

    private static void requireColumns(String what, Logits z, int k) {
        if (z.k() != k) {
            throw new CalibkitException(what + " has " + z.k() + " output columns, but the model has " + k + " classes");
        }
    }

    private static void requireLabels(String what, int[] y, int k) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= k) {
                throw new CalibkitException("the labels of " + what + ": label " + y[i] + " at index " + i
                        + " is outside [0, " + k + ")");
            }
        }
    }
}
