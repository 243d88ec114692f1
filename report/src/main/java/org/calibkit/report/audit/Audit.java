package org.calibkit.report.audit;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.Quantiles;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.calibration.calibrators.Calibrator;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.ood.OodScore;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.probes.ProbeImages;
import org.calibkit.report.probes.ProbeKind;
import org.calibkit.report.probes.ProbeOutcome;

/**
 * The overconfidence audit: a model, its validation and test splits and a list of probes in, an
 * {@link AuditResult} out. Calibration is fitted on the validation split only, never on test;
 * every test metric comes with a bootstrap interval, and the change calibration makes with a
 * paired-bootstrap interval, so the report can say when calibration did not help.
 *
 * <pre>{@code
 * AuditResult r = Audit.of(model, test).validation(validation).probes(outcomes).run();
 * AuditResult p = Audit.ofPredictions(SavedPredictions.read(...)).dataName("mnist").run();
 * }</pre>
 * Two entry points onto one {@link AuditResult}: from a model and images ({@link #of}), or from
 * predictions a model already made ({@link #ofPredictions}: the test split's outputs, optionally
 * the validation split's and named probes'). Without a model nothing can be generated: the
 * built-in probes handed in are listed as skipped, there is no input-range check and no gallery
 * thumbnail. A probe prediction file is out-of-distribution unless its labels are given
 * ({@link Builder#probeLabels}), which makes it a labelled shift probe.
 *
 * <p>Calibration is fitted on the validation split ({@link Builder#calibration}), or a map fitted
 * earlier is applied as it is ({@link Builder#calibrationMap}: a model bundle's stored map).
 * Immutable settings, one {@link Builder#run()}; {@link Builder} holds the options.
 */
public final class Audit {
    /** Default bootstrap resamples of the audit (each resample recomputes every metric twice). */
    public static final int DEFAULT_RESAMPLES = 200;
    /** Equal-width bins of the confidence histograms in the result. */
    public static final int HISTOGRAM_BINS = 20;
    /** Thumbnails per gallery section. */
    public static final int GALLERY_PER_SECTION = 12;
    /** Thumbnails per probe in the gallery. */
    public static final int GALLERY_PER_PROBE = 4;

    private Audit() {
    }

    /** Starts an audit of {@code model} on its {@code test} split. */
    public static Builder of(LogitSource model, ImageSet test) {
        return new Builder(Objects.requireNonNull(model, "model"), Objects.requireNonNull(test, "test"), null);
    }

    /**
     * Starts an audit of predictions already made: the same {@link AuditResult}, with the probes
     * that need the model (every one handed to {@link Builder#probes}) listed as skipped, and the
     * prediction files' probes audited from their outputs.
     */
    public static Builder ofPredictions(SavedPredictions predictions) {
        return new Builder(null, null, Objects.requireNonNull(predictions, "predictions"));
    }

    /** The options of one audit. */
    public static final class Builder {
        private final LogitSource model;
        private final ImageSet test;
        private final SavedPredictions predictions;
        private ImageSet validation;
        private CalibrationMap given;
        private final Map<String, int[]> probeLabels = new LinkedHashMap<>();
        private String dataLocation;
        private CalibrationChoice choice = CalibrationChoice.fit(CalibrationMethod.TEMPERATURE.create());
        private List<ProbeOutcome> probes = List.of();
        private double threshold = 0.9;
        private int bins = CalibrationMetrics.DEFAULT_BINS;
        private int resamples = DEFAULT_RESAMPLES;
        private double level = 0.95;
        private long seed = 0;
        private int probeSize = 1000;
        private double alpha = AuditStatistics.DEFAULT_ALPHA;
        private Thresholds thresholds = Thresholds.defaults();
        private AuditResult.ModelInfo modelInfo;
        private List<AuditResult.Verdict> leading = List.of();
        private String dataName;
        private Consumer<String> progress = s -> { };
        private final Map<String, Double> earlierTimings = new LinkedHashMap<>();

        private Builder(LogitSource model, ImageSet test, SavedPredictions predictions) {
            this.model = model;
            this.test = test;
            this.predictions = predictions;
        }

        /** The split calibration is fitted on (without one, nothing is calibrated). Model audits only. */
        public Builder validation(ImageSet v) { this.validation = v; return this; }
        /** Calibration by name, as {@link CalibrationChoice#parse} reads it (default temperature). */
        public Builder calibration(String m) { return calibration(CalibrationChoice.parse(m)); }
        /**
         * How to calibrate (default: fit temperature scaling): {@code auto} and {@code stored} apply the
         * {@link #calibrationMap} when one is given ({@code auto} fits temperature scaling otherwise), a
         * {@link CalibrationChoice.Fit} fits its configured calibrator on the validation split.
         */
        public Builder calibration(CalibrationChoice c) { this.choice = Objects.requireNonNull(c, "calibration"); return this; }
        /**
         * A calibration map fitted earlier (a model bundle's stored map), applied as it is: nothing
         * is fitted and no validation split is needed. The settings record the method as {@code stored}.
         */
        public Builder calibrationMap(CalibrationMap m) { this.given = Objects.requireNonNull(m, "map"); return this; }
        /**
         * The generated or loaded probes (see {@link org.calibkit.report.probes.Probes#generate}).
         * For {@link #ofPredictions} only skipped outcomes are accepted: there is no model to run.
         */
        public Builder probes(List<ProbeOutcome> p) { this.probes = List.copyOf(p); return this; }
        /**
         * Labels of a prediction file's probe (by its name): its labels are the model's classes, so it
         * is audited as a labelled shift probe (accuracy, ECE) instead of as out-of-distribution.
         */
        public Builder probeLabels(String probe, int[] labels) {
            this.probeLabels.put(Objects.requireNonNull(probe, "probe"), Objects.requireNonNull(labels, "labels").clone());
            return this;
        }
        /** Where the data came from, as shown (default: the test split's origin; for predictions, unknown). */
        public Builder dataLocation(String where) { this.dataLocation = where; return this; }
        /** The confidence counted as overconfident on probes (default 0.9). */
        public Builder threshold(double t) { this.threshold = t; return this; }
        /** Equal-width bins (default 15). */
        public Builder bins(int b) { this.bins = b; return this; }
        /** Bootstrap resamples (default {@value #DEFAULT_RESAMPLES}... see {@link Audit#DEFAULT_RESAMPLES}). */
        public Builder resamples(int r) { this.resamples = r; return this; }
        /** Confidence level of the intervals (default 0.95). */
        public Builder level(double l) { this.level = l; return this; }
        /** Seed of the bootstrap (and recorded for the probes). */
        public Builder seed(long s) { this.seed = s; return this; }
        /** Miscoverage level of the conformal prediction sets (default 0.1: sets hold the label 90% of the time). */
        public Builder alpha(double a) { this.alpha = a; return this; }
        /** Recorded probe size. */
        public Builder probeSize(int n) { this.probeSize = n; return this; }
        /** Verdict thresholds (default {@link Thresholds#defaults()}). */
        public Builder thresholds(Thresholds t) { this.thresholds = Objects.requireNonNull(t, "thresholds"); return this; }
        /** What to show about the model (default: a description from the source). */
        public Builder modelInfo(AuditResult.ModelInfo m) { this.modelInfo = m; return this; }

        /** Verdicts found before the audit (the doctor's input check), placed first in the result. */
        public Builder leadingVerdicts(List<AuditResult.Verdict> v) { this.leading = List.copyOf(v); return this; }
        /** The data set's name as shown (default: the test split's origin). */
        public Builder dataName(String d) { this.dataName = d; return this; }
        /** Seconds spent before the audit (loading, probe generation), shown first in the timings. */
        public Builder timing(String step, double seconds) { this.earlierTimings.put(step, seconds); return this; }
        /** Progress lines for long steps. */
        public Builder progress(Consumer<String> p) { this.progress = Objects.requireNonNull(p, "progress"); return this; }

        /** Runs the audit. */
        public AuditResult run() {
            validate();
            return new Run(this).run();
        }

        private void validate() {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("Expected the overconfidence threshold in (0, 1], but got " + threshold);
            }
            if (bins < 1) {
                throw new IllegalArgumentException("Expected bins to be at least 1, but got " + bins);
            }
            if (resamples < 2) {
                throw new IllegalArgumentException("Expected resamples to be at least 2, but got " + resamples);
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("Expected alpha (conformal miscoverage) in (0, 1), but got " + alpha);
            }
            if (choice instanceof CalibrationChoice.Stored && given == null) {
                throw new IllegalArgumentException("calibration 'stored' needs the stored map (calibrationMap)");
            }
            List<String> classes = predictions != null ? predictions.classNames() : model.classNames();
            if (given != null && given.numClasses() != classes.size()) {
                throw new CalibkitException("a " + given.method() + " map for " + given.numClasses()
                        + " classes cannot calibrate a model with " + classes.size());
            }
            if (predictions != null) {
                if (validation != null) {
                    throw new IllegalArgumentException("an audit of predictions takes its validation split from the "
                            + "predictions, not from images");
                }
                for (ProbeOutcome p : probes) {
                    if (!p.skipped()) {
                        throw new IllegalArgumentException("probe " + p.name() + " has images, but an audit of predictions "
                                + "has no model to run them; hand it as a skipped outcome or as a prediction file");
                    }
                }
                for (Map.Entry<String, int[]> e : probeLabels.entrySet()) {
                    Logits z = predictions.probes().get(e.getKey());
                    if (z == null) {
                        throw new CalibkitException("labels were given for probe '" + e.getKey()
                                + "', but the predictions have no such probe; probes: " + predictions.probes().keySet());
                    }
                    requireLabels("probe '" + e.getKey() + "'", e.getValue(), z.n(), classes.size());
                }
                for (String name : predictions.probes().keySet()) {
                    for (ProbeOutcome p : probes) {
                        if (p.name().equals(name)) {
                            throw new CalibkitException("probe name '" + name + "' is both a built-in probe and a "
                                    + "prediction file; rename the file's probe");
                        }
                    }
                }
                return;
            }
            if (!probeLabels.isEmpty()) {
                throw new IllegalArgumentException("probe labels apply to prediction files' probes only");
            }
            if (test.size() == 0) {
                throw new CalibkitException("the test split " + test.origin().location() + " is empty");
            }
            if (!test.classNames().equals(model.classNames()) && test.numClasses() != model.classNames().size()) {
                throw new CalibkitException("the model has " + model.classNames().size() + " classes " + model.classNames()
                        + " but the test data " + test.origin().dataset() + " has " + test.numClasses() + " " + test.classNames());
            }
        }

        private static void requireLabels(String what, int[] y, int n, int k) {
            if (y.length != n) {
                throw new CalibkitException("the labels of " + what + " are " + y.length + " but its predictions have "
                        + n + " rows");
            }
            for (int i = 0; i < y.length; i++) {
                if (y[i] < 0 || y[i] >= k) {
                    throw new CalibkitException("the labels of " + what + ": label " + y[i] + " at index " + i
                            + " is outside [0, " + k + ")");
                }
            }
        }
    }

    /** One run: all state of the computation. */
    private static final class Run {
        private final Builder o;
        private final Map<String, Double> timings = new LinkedHashMap<>();
        private final List<String> classes;
        private final Head head;
        private CalibrationMap map;
        private Map<String, double[]> testScores;
        private Map<String, double[]> testScoresCalibrated;
        private Logits validationLogits;
        private int[] validationLabels;
        /** Each probe's probabilities as the model gives them, for the conformal set sizes. */
        private final Map<String, Probabilities> probeProbabilities = new LinkedHashMap<>();

        Run(Builder o) {
            this.o = o;
            this.classes = o.predictions != null ? o.predictions.classNames() : o.model.classNames();
            this.timings.putAll(o.earlierTimings);
            this.head = o.predictions != null ? o.predictions.head() : o.model.head();
        }

        AuditResult run() {
            long start = System.nanoTime();
            AuditResult.InputRange range = o.model == null ? null : inputRange();
            if (range != null && !range.ok()) {
                throw new CalibkitException(range.message() + "; " + range.fix());
            }
            long t0 = System.nanoTime();
            Logits z;
            int[] y;
            if (o.predictions != null) {
                z = o.predictions.test().logits();
                y = o.predictions.test().labels();
            } else {
                o.progress.accept("audit: predicting the " + o.test.size() + " test images");
                z = o.model.logits(o.test);
                y = o.test.labels();
                timings.put("inference_test", secs(t0));
            }

            if (o.given != null) {
                map = o.given;
                o.progress.accept("audit: applying the stored calibration " + map.describe() + " (nothing is fitted)");
            } else if (o.choice.calibrates() && (o.validation != null
                    || (o.predictions != null && o.predictions.validation().isPresent()))) {
                t0 = System.nanoTime();
                Logits zv;
                int[] yv;
                if (o.predictions != null) {
                    zv = o.predictions.validation().get().logits();
                    yv = o.predictions.validation().get().labels();
                } else {
                    zv = o.model.logits(o.validation);
                    yv = o.validation.labels();
                }
                Calibrator calibrator = o.choice instanceof CalibrationChoice.Fit f ? f.calibrator()
                        : new CalibrationChoice.Auto().fallback();
                o.progress.accept("audit: fitting " + calibrator.method() + " calibration on the " + yv.length + " validation "
                        + (o.predictions != null ? "predictions" : "images"));
                validationLogits = zv;
                validationLabels = yv;
                map = calibrator.fit(zv, yv);
                timings.put("calibration", secs(t0));
            }
            Predictions before = predictions(z, y);
            Predictions after = map == null ? null : calibrated(z, y);
            o.progress.accept("audit: " + o.resamples + " bootstrap resamples of every metric"
                    + (after == null ? "" : ", before and after calibration"));
            t0 = System.nanoTime();
            Bootstrap boot = new Bootstrap(o.seed, o.resamples, o.level, Math.min(2, Runtime.getRuntime().availableProcessors()));
            Map<String, Bootstrap.Paired> intervals = boot.paired(before, after == null ? before : after, o.bins);
            timings.put("bootstrap", secs(t0));

            testScores = scores(z, before.probabilities());
            testScoresCalibrated = after == null ? null : scores(map.outputLogits(z).orElse(null),
                    after.probabilities());
            AuditResult.TestSection testSection = testSection(z, y, before, after, intervals);

            t0 = System.nanoTime();
            List<AuditResult.ProbeResult> probeResults = new ArrayList<>();
            List<AuditResult.GalleryItem> gallery = new ArrayList<>(gallery(before, after));
            for (ProbeOutcome p : o.probes) {
                if (p.skipped()) {
                    probeResults.add(skipped(p));
                    continue;
                }
                ProbeImages pi = p.images();
                o.progress.accept("audit: probe " + p.name() + " (" + pi.images().size() + " images)");
                LogitSource source = pi.bypassRangeCheck() ? o.model.withoutRangeCheck() : o.model;
                probeResults.add(probe(pi.name(), pi.kind(), pi.description(), source.logits(pi.images()),
                        pi.images().labels(), pi.labelled(), pi.images(), gallery));
            }
            if (o.predictions != null) {
                for (Map.Entry<String, Logits> e : o.predictions.probes().entrySet()) {
                    int[] labels = o.probeLabels.get(e.getKey());
                    boolean labelled = labels != null;
                    o.progress.accept("audit: probe " + e.getKey() + " (" + e.getValue().n() + " saved predictions"
                            + (labelled ? ", labelled" : "") + ")");
                    probeResults.add(probe(e.getKey(), labelled ? ProbeKind.SHIFT : ProbeKind.OUT_OF_DISTRIBUTION,
                            labelled ? PREDICTED_SHIFT : PREDICTED_OOD, e.getValue(),
                            labelled ? labels : new int[e.getValue().n()], labelled, null, gallery));
                }
            }
            timings.put("probes", secs(t0));
            AuditResult.Statistics statistics = statistics(y, before, after, testSection);
            List<AuditResult.Verdict> verdicts = new ArrayList<>(o.leading);
            verdicts.addAll(Verdicts.of(o.thresholds, o.threshold, testSection, range, probeResults, map, head));
            timings.put("total", secs(start));
            return new AuditResult(AuditResult.SCHEMA_VERSION, modelInfo(), dataInfo(), settings(), verdicts,
                    testSection, range, probeResults, gallery, new AuditResult.Provenance(version(),
                            Instant.now().toString(), System.getProperty("java.version"), secs(start), timings),
                    statistics);
        }

        /** Tests, exact bin intervals, conformal sets (fitted on validation) and selective prediction: {@link AuditStatistics}. */
        private AuditResult.Statistics statistics(int[] y, Predictions before, Predictions after,
                                                  AuditResult.TestSection ts) {
            long t0 = System.nanoTime();
            Probabilities calibration = null;
            int[] calibrationLabels = null;
            if (validationLogits == null && o.validation != null && o.model != null) {
                validationLogits = o.model.logits(o.validation);
                validationLabels = o.validation.labels();
            }
            if (validationLogits == null && o.predictions != null && o.predictions.validation().isPresent()) {
                validationLogits = o.predictions.validation().get().logits();
                validationLabels = o.predictions.validation().get().labels();
            }
            if (validationLogits != null) {
                calibration = head.apply(validationLogits);
                calibrationLabels = validationLabels;
            }
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
            AuditResult.Statistics st = AuditStatistics.of(before.probabilities(), ts.binsBefore(),
                    after == null ? null : after.probabilities(), ts.binsAfter(), y, calibration, calibrationLabels,
                    before.probabilities(), probeProbabilities, scores, correct, o.alpha, o.level, o.seed);
            timings.put("statistics", secs(t0));
            return st;
        }

        private AuditResult.InputRange inputRange() {
            java.util.Optional<Preprocessing> prep = o.model.inputPreprocessing();
            if (prep.isEmpty()) {
                return null;
            }
            Preprocessing.RangeCheck rc = prep.get().checkRange(o.test);
            String fix = null;
            if (!rc.ok()) {
                fix = rc.max() > rc.expectedMax() ? String.format(Locale.ROOT,
                        "divide the pixels by %s so they lie in [%s, %s] as in training", num(rc.max() > 255.5 ? rc.max() / rc.expectedMax() : 255),
                        num(rc.expectedMin()), num(rc.expectedMax()))
                        : "multiply the pixels by 255: this model scales raw 0..255 pixels itself";
            }
            return new AuditResult.InputRange(rc.ok(), rc.min(), rc.max(), rc.mean(), rc.expectedMin(), rc.expectedMax(),
                    rc.message(), fix);
        }

        private Predictions predictions(Logits z, int[] y) {
            return head == Head.SOFTMAX ? Predictions.of(z, y) : Predictions.of(z.sigmoid(), y);
        }

        private Predictions calibrated(Logits z, int[] y) {
            return map.predictions(z, y);
        }

        /** The OOD scores of every row, by key in {@link OodScore#ALL} order; null logits -> msp only. */
        private Map<String, double[]> scores(Logits z, Probabilities p) {
            return OodScore.computeAll(OodScore.ALL, z, p);
        }

        private AuditResult.TestSection testSection(Logits z, int[] y, Predictions before, Predictions after,
                                                     Map<String, Bootstrap.Paired> intervals) {
            // the paired bootstrap already computed every metric on the full data: its estimates are the summaries
            Map<String, Double> vb = new LinkedHashMap<>();
            Map<String, Double> va = new LinkedHashMap<>();
            intervals.forEach((key, p) -> {
                vb.put(key, p.before().estimate());
                va.put(key, p.after().estimate());
            });
            MetricSummary sb = new MetricSummary(before.n(), vb);
            MetricSummary sa = after == null ? null : new MetricSummary(after.n(), va);
            ReliabilityBins rb = ReliabilityBins.of(before.topLabel().confidences(), before.topLabel().correct(), o.bins);
            ReliabilityBins ra = after == null ? null
                    : ReliabilityBins.of(after.topLabel().confidences(), after.topLabel().correct(), o.bins);
            List<AuditResult.ClassRow> rows = new ArrayList<>();
            int k = classes.size();
            int[] pred = before.probabilities().argmax();
            for (int j = 0; j < k; j++) {
                int support = 0;
                int hit = 0;
                double sum = 0;
                for (int i = 0; i < y.length; i++) {
                    sum += before.probabilities().get(i, j);
                    if (y[i] == j) {
                        support++;
                        if (pred[i] == j) {
                            hit++;
                        }
                    }
                }
                rows.add(new AuditResult.ClassRow(classes.get(j), support, sum / y.length, (double) support / y.length,
                        classEce(before.probabilities(), y, j), after == null ? Double.NaN : classEce(after.probabilities(), y, j),
                        support == 0 ? Double.NaN : (double) hit / support));
            }
            double temperature = map instanceof org.calibkit.calibration.calibrators.TemperatureMap t ? t.temperature() : Double.NaN;
            return new AuditResult.TestSection(y.length, map == null ? CalibrationChoice.None.ID : map.method(),
                    map == null ? null : map.describe() + (o.given != null ? " (stored)" : ""), temperature, map == null ? Map.of() : map.parameters(),
                    sb, sa, intervals, rb, ra, rows, head == Head.SIGMOID ? sigmoid(before.probabilities()) : null,
                    histogram((after == null ? before : after).probabilities().maxProbability()));
        }

        /** ECE of class j's own probability against "is class j", equal-width bins. */
        private double classEce(Probabilities p, int[] y, int j) {
            double[] c = new double[y.length];
            boolean[] t = new boolean[y.length];
            for (int i = 0; i < y.length; i++) {
                c[i] = p.get(i, j);
                t[i] = y[i] == j;
            }
            return CalibrationMetrics.ece(ReliabilityBins.of(c, t, o.bins));
        }

        private AuditResult.ProbeResult skipped(ProbeOutcome p) {
            return new AuditResult.ProbeResult(p.name(), kindId(p.kind()), p.description(), p.skipReason(), 0, false,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new int[0],
                    new double[0], null, null);
        }

        /** One probe from the model's logits on it; {@code images} (for thumbnails) may be null. */
        private AuditResult.ProbeResult probe(String name, ProbeKind kind, String description, Logits z, int[] y,
                                              boolean labelled, ImageSet images, List<AuditResult.GalleryItem> gallery) {
            Probabilities p = head.apply(z);
            probeProbabilities.put(name, p);
            double[] conf = p.maxProbability();
            Probabilities pc = null;
            Logits zc = null;
            if (map != null) {
                zc = map.outputLogits(z).orElse(null);
                pc = zc != null ? zc.softmax() : map.apply(z);
            }
            double[] confC = pc == null ? null : pc.maxProbability();
            int[] predicted = p.argmax();
            int[] hist = new int[classes.size()];
            for (int c : predicted) {
                hist[c]++;
            }
            double acc = Double.NaN;
            double ece = Double.NaN;
            double eceC = Double.NaN;
            if (labelled) {
                acc = CalibrationMetrics.accuracy(p, y);
                ece = CalibrationMetrics.ece(p, y, o.bins);
                eceC = pc == null ? Double.NaN : CalibrationMetrics.ece(pc, y, o.bins);
            }
            AuditResult.OodScores ood = null;
            if (!labelled || kind != ProbeKind.SHIFT) {
                ood = new AuditResult.OodScores(ood(testScores, scores(z, p)),
                        pc == null ? null : ood(testScoresCalibrated, scores(zc, pc)));
            }
            // most confident images of this probe, for the gallery
            double[] shown = confC != null ? confC : conf;
            Integer[] order = new Integer[shown.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -shown[i]));
            int probeShown = 0;
            for (int r = 0; r < order.length && probeShown < GALLERY_PER_PROBE; r++) {
                int i = order[r];
                if (labelled && predicted[i] == y[i]) {
                    continue; // a right answer on a shift probe is no finding
                }
                gallery.add(new AuditResult.GalleryItem(name, i, classes.get(argmax(pc != null ? pc : p, i)), shown[i],
                        labelled ? classes.get(y[i]) : null, images == null ? null : Thumbnails.png(images, i)));
                probeShown++;
            }
            return new AuditResult.ProbeResult(name, kindId(kind), description, null, z.n(),
                    labelled, mean(conf), share(conf, o.threshold), confC == null ? Double.NaN : mean(confC),
                    confC == null ? Double.NaN : share(confC, o.threshold), acc, ece, eceC, hist,
                    histogram(shown), ood, head == Head.SIGMOID ? sigmoid(p) : null);
        }

        private Map<String, OodMetrics.Result> ood(Map<String, double[]> in, Map<String, double[]> out) {
            Map<String, OodMetrics.Result> m = new LinkedHashMap<>();
            for (String key : OodScore.keys()) {
                if (in.get(key) != null && out.get(key) != null) {
                    m.put(key, OodMetrics.evaluate(in.get(key), out.get(key)));
                }
            }
            return m;
        }

        private List<AuditResult.GalleryItem> gallery(Predictions before, Predictions after) {
            Predictions shown = after != null ? after : before;
            double[] conf = shown.topLabel().confidences();
            boolean[] ok = shown.topLabel().correct();
            int[] pred = shown.probabilities().argmax();
            int[] y = o.predictions != null ? o.predictions.test().labels() : o.test.labels();
            List<Integer> wrong = new ArrayList<>();
            for (int i = 0; i < ok.length; i++) {
                if (!ok[i]) {
                    wrong.add(i);
                }
            }
            wrong.sort(Comparator.comparingDouble((Integer i) -> -conf[i]));
            List<AuditResult.GalleryItem> out = new ArrayList<>();
            for (int r = 0; r < Math.min(GALLERY_PER_SECTION, wrong.size()); r++) {
                int i = wrong.get(r);
                out.add(new AuditResult.GalleryItem("test", i, classes.get(pred[i]), conf[i], classes.get(y[i]),
                        o.test == null ? null : Thumbnails.png(o.test, i)));
            }
            return out;
        }

        private AuditResult.ModelInfo modelInfo() {
            if (o.modelInfo != null) {
                return o.modelInfo;
            }
            if (o.predictions != null) {
                return new AuditResult.ModelInfo("predictions", o.dataLocation != null ? o.dataLocation : "(in memory)", null,
                        "predictions", head.id(), o.predictions.outputKind().id(), classes, null, Map.of());
            }
            return new AuditResult.ModelInfo(o.model.getClass().getSimpleName(), "(in memory)", null,
                    o.model.getClass().getSimpleName(), head.id(), "logits", classes,
                    o.model.inputPreprocessing().map(Object::toString).orElse(null), Map.of());
        }

        private AuditResult.DataInfo dataInfo() {
            if (o.predictions != null) {
                return new AuditResult.DataInfo(o.dataName != null ? o.dataName : "predictions",
                        o.predictions.validation().map(v -> v.labels().length).orElse(0), o.predictions.test().labels().length,
                        o.dataLocation != null ? o.dataLocation : "(in memory)", null, false);
            }
            return new AuditResult.DataInfo(o.dataName != null ? o.dataName : o.test.origin().dataset(),
                    o.validation == null ? 0 : o.validation.size(), o.test.size(), o.test.origin().location(),
                    o.test.origin().sha256(), o.test.origin().verified());
        }

        private AuditResult.Settings settings() {
            List<String> names = new ArrayList<>();
            o.probes.forEach(p -> names.add(p.name()));
            if (o.predictions != null) {
                names.addAll(o.predictions.probes().keySet());
            }
            return new AuditResult.Settings(o.given != null ? CalibrationChoice.Stored.ID : map == null ? CalibrationChoice.None.ID : map.method(), o.threshold, o.bins, o.probeSize, o.seed,
                    o.resamples, o.level, names, o.thresholds);
        }
    }

    private static final String PREDICTED_OOD = "The model's saved outputs on inputs that are none of its classes "
            + "(a prediction file without labels, so treated as out-of-distribution).";
    private static final String PREDICTED_SHIFT = "The model's saved outputs on labelled inputs of its own classes "
            + "(a prediction file with labels, so audited as a shift probe).";

    static String kindId(ProbeKind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    static AuditResult.SigmoidStats sigmoid(Probabilities p) {
        int n = p.n();
        int k = p.k();
        double[] sums = new double[n];
        int none = 0;
        double total = 0;
        double[] v = p.raw();
        for (int i = 0; i < n; i++) {
            double s = 0;
            double m = 0;
            for (int j = 0; j < k; j++) {
                s += v[i * k + j];
                m = Math.max(m, v[i * k + j]);
            }
            sums[i] = s;
            total += s;
            if (m <= 0.5) {
                none++;
            }
        }
        Arrays.sort(sums);
        double[] q = {0.05, 0.25, 0.5, 0.75, 0.95};
        double[] qs = new double[q.length];
        for (int j = 0; j < q.length; j++) {
            qs[j] = Quantiles.linear(sums, q[j]);
        }
        return new AuditResult.SigmoidStats(total / n, qs, (double) none / n);
    }

    static double[] histogram(double[] conf) {
        double[] h = new double[HISTOGRAM_BINS];
        for (double c : conf) {
            h[ReliabilityBins.binOf(c, HISTOGRAM_BINS)]++;
        }
        for (int b = 0; b < h.length; b++) {
            h[b] /= conf.length;
        }
        return h;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double share(double[] v, double threshold) {
        int c = 0;
        for (double x : v) {
            if (x >= threshold) {
                c++;
            }
        }
        return (double) c / v.length;
    }

    private static int argmax(Probabilities p, int i) {
        int best = 0;
        for (int j = 1; j < p.k(); j++) {
            if (p.get(i, j) > p.get(i, best)) {
                best = j;
            }
        }
        return best;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The calibkit version of this build (from the jar manifest), or {@code dev}. */
    static String version() {
        String v = Audit.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** Small PNGs of images as their data set shows them. */
    static final class Thumbnails {
        private Thumbnails() {
        }

        static byte[] png(ImageSet set, int i) {
            float[] px = set.image(i);
            int c = set.channels();
            int h = set.height();
            int w = set.width();
            BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    if (c == 1) {
                        int g = clamp(px[yy * w + xx]);
                        img.getRaster().setSample(xx, yy, 0, g);
                    } else {
                        int r = clamp(px[(0 * h + yy) * w + xx]);
                        int g = clamp(px[(1 * h + yy) * w + xx]);
                        int b = clamp(px[(2 * h + yy) * w + xx]);
                        img.setRGB(xx, yy, (r << 16) | (g << 8) | b);
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "png", out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private static int clamp(float v) {
            return Math.max(0, Math.min(255, Math.round(v)));
        }
    }
}
