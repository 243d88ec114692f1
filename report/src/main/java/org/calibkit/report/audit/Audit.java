package org.calibkit.report.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ScoreCheck;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.Calibrator;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.ood.OodScore;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.Checks;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.shift.ShiftSection;
import org.calibkit.report.shift.Sweeps;

/**
 * The overconfidence audit: a model's outputs on its test split, validation split and probes
 * in, an {@link AuditResult} out. Calibration is fitted on the validation split only, never on
 * test; every test metric comes with a bootstrap interval, and the change calibration makes with
 * a paired-bootstrap interval, so the report can say when calibration did not help.
 *
 * <p>Predictions first, as scikit-learn's {@code from_predictions}: one path audits a
 * {@link ModelOutputs} ({@link #ofOutputs}). {@link #of} runs a model once over
 * {@link ModelData} into that value (keeping the images for thumbnails, checking the input
 * range); {@link #ofPredictions} reads saved predictions into it. Without a model nothing can be
 * generated: built-in probes are listed as skipped, there is no input-range check and no
 * thumbnail.
 *
 * <pre>{@code
 * AuditOptions o = AuditOptions.defaults().withResamples(100).withSeed(1);
 * AuditResult r = Audit.of(model, ModelData.of(test).withValidation(validation).withProbes(outcomes), o);
 * AuditResult p = Audit.ofPredictions(SavedPredictions.read(...), o);
 * }</pre>
 */
public final class Audit {
    /** Default bootstrap resamples of the audit (each resample recomputes every metric twice). */
    public static final int DEFAULT_RESAMPLES = AuditOptions.DEFAULT_RESAMPLES;
    /** Thumbnails per gallery section. */
    public static final int GALLERY_PER_SECTION = GallerySelection.PER_SECTION;
    /**
     * The key of the model section's detail saying that outputs read as logits look like scores
     * ({@link ScoreCheck}) and what the audit does with them; absent when they look like logits.
     */
    public static final String SCORES_DETAIL = "scores";
    /**
     * The key of the model section's detail saying which parts an audit computed elsewhere
     * ({@link #ofSections}, e.g. on Spark) did not compute, and why; the renderings show that
     * reason where those parts would be.
     */
    public static final String NOT_COMPUTED_DETAIL = "not computed";

    private Audit() {
    }

    /** Runs {@code model} once over {@code data} and audits its outputs. */
    public static AuditResult of(LogitSource model, ModelData data, AuditOptions options) {
        return ofOutputs(outputs(model, data, options.progress()), options);
    }

    /**
     * Runs {@code model} once over the test split, the validation split and every probe that has
     * images: the value {@link #ofOutputs} audits, for callers that add a description, leading
     * verdicts or timings first.
     *
     * @throws CalibkitException when the test split is empty, its classes do not fit the model's,
     *         or its pixels are outside the range the model was trained on
     */
    public static ModelOutputs outputs(LogitSource model, ModelData data, java.util.function.Consumer<String> progress) {
        return ModelRun.outputs(Objects.requireNonNull(model, "model"), Objects.requireNonNull(data, "data"),
                Objects.requireNonNull(progress, "progress"));
    }

    /** Audits saved predictions as they are (see {@link ModelOutputs#of(SavedPredictions)}). */
    public static AuditResult ofPredictions(SavedPredictions predictions, AuditOptions options) {
        return ofOutputs(ModelOutputs.of(predictions), options);
    }

    /** Audits a model's outputs: the one path every entry point takes. */
    public static AuditResult ofOutputs(ModelOutputs outputs, AuditOptions options) {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(options, "options");
        if (options.storedMap().isPresent() && options.storedMap().get().numClasses() != outputs.classNames().size()) {
            CalibrationMap m = options.storedMap().get();
            throw new CalibkitException("a " + m.method() + " map for " + m.numClasses()
                    + " classes cannot calibrate a model with " + outputs.classNames().size());
        }
        return new Run(outputs, options).run();
    }

    /** One run: all state of the computation. */
    private static final class Run {
        private final ModelOutputs in;
        private final AuditOptions o;
        private final Map<String, Double> timings = new LinkedHashMap<>();
        private final List<String> classes;
        private final Head head;

        Run(ModelOutputs in, AuditOptions o) {
            this.in = in;
            this.o = o;
            this.classes = in.classNames();
            this.head = in.head();
            this.timings.putAll(in.timings());
        }

        AuditResult run() {
            long start = System.nanoTime();
            Logits z = in.test().logits();
            int[] y = in.test().labels();
            CalibrationMap map = calibrationMap();
            Predictions before = predictions(z, y);
            Predictions after = map == null ? null : map.predictions(z, y);
            o.progress().accept("audit: " + o.resamples() + " bootstrap resamples of every metric"
                    + (after == null ? "" : ", before and after calibration"));
            long t0 = System.nanoTime();
            Bootstrap boot = new Bootstrap(o.seed(), o.resamples(), o.level(),
                    Math.min(2, Runtime.getRuntime().availableProcessors()));
            Map<String, Bootstrap.Paired> intervals = boot.paired(before, after == null ? before : after, o.bins());
            timings.put("bootstrap", ModelRun.secs(t0));

            Map<String, double[]> testScores = OodScore.computeAll(OodScore.ALL, z, before.probabilities());
            Map<String, double[]> testScoresCalibrated = after == null ? null
                    : OodScore.computeAll(OodScore.ALL, map.outputLogits(z).orElse(null), after.probabilities());
            boolean stored = map != null && o.storedMap().isPresent() && map == o.storedMap().get();
            AuditResult.ModelInfo model = withScoresNote(in.model(), z, map, stored);
            AuditResult.TestSection testSection = TestSections.of(classes, head, y, before, after, intervals, map,
                    stored, o.bins());

            t0 = System.nanoTime();
            ProbeEvaluation probes = new ProbeEvaluation(classes, head, map, testScores, testScoresCalibrated,
                    o.threshold(), o.bins());
            List<AuditResult.ProbeResult> probeResults = new ArrayList<>();
            for (ModelOutputs.Probe p : in.probes()) {
                if (!p.isSkipped() && p.images().isEmpty()) {
                    o.progress().accept("audit: probe " + p.name() + " (" + p.logits().get().n() + " saved predictions"
                            + (p.labelled() ? ", labelled" : "") + ")");
                }
                probeResults.add(probes.evaluate(p));
            }
            timings.put("probes", ModelRun.secs(t0));
            List<AuditResult.GalleryItem> gallery = new ArrayList<>(testGallery(before, after, y));
            gallery.addAll(probes.gallery());

            t0 = System.nanoTime();
            AuditResult.Statistics statistics = statistics(y, before, after, testSection, testScores,
                    testScoresCalibrated, probes.probabilities());
            timings.put("statistics", ModelRun.secs(t0));
            ShiftSection shift = null;
            if (!in.shifts().sets().isEmpty()) {
                t0 = System.nanoTime();
                o.progress().accept("audit: " + in.shifts().sets().size() + " shift sweep points"
                        + (in.validation().isPresent() ? ", label-free accuracy estimates checked on each" : ""));
                shift = Sweeps.section(in.shifts().sets(), map, in.validation().map(ModelOutputs.Split::logits).orElse(null),
                        in.validation().map(ModelOutputs.Split::labels).orElse(null), in.shifts().options(),
                        in.shifts().examples());
                timings.put("shift", ModelRun.secs(t0));
            }
            return assemble(model, in.data(), in.leading(), in.probes(), probeResults, testSection,
                    in.inputRange().orElse(null), gallery, statistics, shift, map, head, o, timings, start);
        }

        /**
         * The model section with {@link #SCORES_DETAIL} when outputs read as logits look like
         * scores on the test split ({@link ScoreCheck}; checked on the test outputs, not at load,
         * because the noise images the output kind is detected on say nothing about a regression's
         * row sums on real images). They stay logits: softmax of scores has no meaningful scale,
         * and temperature or vector scaling fitted on the validation split learns one, so the note
         * says which calibration did, or that none was fitted. Also a progress line.
         */
        private AuditResult.ModelInfo withScoresNote(AuditResult.ModelInfo m, Logits z, CalibrationMap map, boolean stored) {
            if (!OutputKind.LOGITS.id().equals(m.outputKind())) {
                return m;
            }
            Optional<ScoreCheck.Finding> f = ScoreCheck.check(z);
            if (f.isEmpty()) {
                return m;
            }
            String note = f.get().describe() + " The audit reads them as logits: the uncalibrated probabilities are their "
                    + "softmax, whose scale means little, so "
                    + (map != null ? "read the calibrated numbers: " + map.describe()
                            + (stored ? " (stored with the model)" : " (fitted on the validation split)") + " learns the scale."
                            : "only accuracy and rankings mean something here; with a validation split, temperature or vector "
                            + "scaling learns the scale.");
            o.progress().accept("audit: " + note);
            Map<String, String> d = new LinkedHashMap<>(m.details());
            d.put(SCORES_DETAIL, note);
            return new AuditResult.ModelInfo(m.name(), m.location(), m.sha256(), m.kind(), m.head(), m.outputKind(),
                    m.classNames(), m.preprocessing(), d, m.hyperparameters());
        }

        /** The stored map, or one fitted on the validation split, or null (nothing calibrated). */
        private CalibrationMap calibrationMap() {
            boolean useStored = o.calibration() instanceof CalibrationChoice.Stored
                    || o.calibration() instanceof CalibrationChoice.Auto;
            if (o.storedMap().isPresent() && useStored) {
                CalibrationMap map = o.storedMap().get();
                o.progress().accept("audit: applying the stored calibration " + map.describe() + " (nothing is fitted)");
                return map;
            }
            if (!o.calibration().calibrates() || in.validation().isEmpty()) {
                return null;
            }
            long t0 = System.nanoTime();
            ModelOutputs.Split v = in.validation().get();
            Calibrator calibrator = o.calibration() instanceof CalibrationChoice.Fit f ? f.calibrator()
                    : new CalibrationChoice.Auto().fallback();
            o.progress().accept("audit: fitting " + calibrator.method() + " calibration on the " + v.n() + " validation "
                    + (v.images().isPresent() ? "images" : "predictions"));
            CalibrationMap map = calibrator.fit(v.logits(), v.labels());
            timings.put("calibration", ModelRun.secs(t0));
            return map;
        }

        /** Tests, exact bin intervals, conformal sets (fitted on validation) and selective prediction: {@link AuditStatistics}. */
        private AuditResult.Statistics statistics(int[] y, Predictions before, Predictions after,
                                                  AuditResult.TestSection ts, Map<String, double[]> testScores,
                                                  Map<String, double[]> testScoresCalibrated,
                                                  Map<String, Probabilities> probeProbabilities) {
            Probabilities calibration = in.validation().map(v -> head.apply(v.logits())).orElse(null);
            int[] calibrationLabels = in.validation().map(ModelOutputs.Split::labels).orElse(null);
            Map<String, double[]> scores = new LinkedHashMap<>();
            Map<String, boolean[]> correct = new LinkedHashMap<>();
            boolean[] ok = before.topLabel().correct();
            for (OodScore s : OodScore.SELECTIVE) {
                scores.put(s.key(), testScores.get(s.key()));
                correct.put(s.key(), ok);
            }
            if (after != null) {
                scores.put(OodScore.MSP_CALIBRATED, testScoresCalibrated.get(OodScore.MSP.key()));
                correct.put(OodScore.MSP_CALIBRATED, after.topLabel().correct());
            }
            return AuditStatistics.of(before.probabilities(), ts.binsBefore(),
                    after == null ? null : after.probabilities(), ts.binsAfter(), y, calibration, calibrationLabels,
                    before.probabilities(), probeProbabilities, scores, correct, o.alpha(), o.level(), o.seed());
        }

        private Predictions predictions(Logits z, int[] y) {
            return head == Head.SOFTMAX ? Predictions.of(z, y) : Predictions.of(z.sigmoid(), y);
        }

        /** The most confident wrong test answers (calibrated confidences when calibrated). */
        private List<AuditResult.GalleryItem> testGallery(Predictions before, Predictions after, int[] y) {
            Predictions shown = after != null ? after : before;
            double[] conf = shown.topLabel().confidences();
            int[] pred = shown.probabilities().argmax();
            List<AuditResult.GalleryItem> out = new ArrayList<>();
            for (int i : GallerySelection.mostConfidentWrong(conf, shown.topLabel().correct(), GallerySelection.PER_SECTION)) {
                out.add(new AuditResult.GalleryItem("test", i, classes.get(pred[i]), conf[i], classes.get(y[i]),
                        GallerySelection.pixels(in.test().images(), i)));
            }
            return out;
        }

    }

    /**
     * The parts of an audit computed elsewhere from the rows of a test split (a prediction log on
     * Spark, {@code org.calibkit.spark.audit.SparkAudit}), which {@link #ofSections} assembles as
     * {@link #ofOutputs} assembles its own.
     *
     * @param model      what the report shows about the model
     * @param data       what it shows about the data
     * @param probes     the probes asked for, each skipped (only the test split is computed there)
     * @param test       the test section
     * @param statistics the statistics section, or null when not computed
     * @param map        the calibration map applied, or null
     * @param head       the head the outputs were read with
     * @param timings    seconds per step so far
     * @param start      {@link System#nanoTime()} when the computation started (the provenance's total counts from it)
     */
    public record Sections(AuditResult.ModelInfo model, AuditResult.DataInfo data, List<ModelOutputs.Probe> probes,
                           AuditResult.TestSection test, AuditResult.Statistics statistics, CalibrationMap map, Head head,
                           Map<String, Double> timings, long start) {
        public Sections {
            Checks.nonNull("model, data, test, head", model, data, test, head);
            probes = List.copyOf(probes);
            for (ModelOutputs.Probe p : probes) {
                if (!p.isSkipped()) {
                    throw new IllegalArgumentException("probe " + p.name() + " ran; Sections carries skipped probes only");
                }
            }
            timings = new LinkedHashMap<>(timings);
        }
    }

    /**
     * An audit of sections computed elsewhere: the same settings, probe entries, verdicts
     * ({@link Verdicts}) and provenance as {@link #ofOutputs} gives the same rows.
     */
    public static AuditResult ofSections(Sections s, AuditOptions options) {
        Objects.requireNonNull(s, "sections");
        Objects.requireNonNull(options, "options");
        ProbeEvaluation none = new ProbeEvaluation(s.model().classNames(), s.head(), s.map(), Map.of(), null,
                options.threshold(), options.bins());
        List<AuditResult.ProbeResult> probeResults = new ArrayList<>();
        s.probes().forEach(p -> probeResults.add(none.evaluate(p)));
        return assemble(s.model(), s.data(), List.of(), s.probes(), probeResults, s.test(), null, List.of(), s.statistics(),
                null, s.map(), s.head(), options, new LinkedHashMap<>(s.timings()), s.start());
    }

    /** Verdicts, settings and provenance around the computed sections: the one assembly of every result. */
    private static AuditResult assemble(AuditResult.ModelInfo model, AuditResult.DataInfo data,
                                        List<AuditResult.Verdict> leading, List<ModelOutputs.Probe> probes,
                                        List<AuditResult.ProbeResult> probeResults, AuditResult.TestSection testSection,
                                        AuditResult.InputRange range, List<AuditResult.GalleryItem> gallery,
                                        AuditResult.Statistics statistics, ShiftSection shift, CalibrationMap map,
                                        Head head, AuditOptions o, Map<String, Double> timings, long start) {
        List<AuditResult.Verdict> verdicts = new ArrayList<>(leading);
        verdicts.addAll(Verdicts.of(o.thresholds(), o.threshold(), testSection, range, probeResults, map, head, shift));
        timings.put("total", ModelRun.secs(start));
        List<String> names = probes.stream().map(ModelOutputs.Probe::name).toList();
        String method = o.storedMap().isPresent() && map == o.storedMap().get() ? CalibrationChoice.Stored.ID
                : map == null ? CalibrationChoice.None.ID : map.method();
        AuditResult.Settings settings = new AuditResult.Settings(method, o.threshold(), o.bins(), o.probeSize(), o.seed(),
                o.resamples(), o.level(), names, o.thresholds());
        return new AuditResult(AuditResult.SCHEMA_VERSION, model, data, settings, verdicts, testSection, range,
                probeResults, gallery, new AuditResult.Provenance(version(), Instant.now().toString(),
                        System.getProperty("java.version"), ModelRun.secs(start), timings,
                        AuditResult.Provenance.newRunId()),
                statistics, shift);
    }

    /** The calibkit version of this build (from the jar manifest), or {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        String v = Audit.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
