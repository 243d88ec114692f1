// Over 400 lines: the audit's result type: one small record per report section, kept in one file so the schema reads as one.
package org.calibkit.report.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.OperatingPoint;
import org.calibkit.core.Checks;

/**
 * Everything an audit report shows, as plain data: HTML, JSON and the terminal summary are
 * renderings of it, and none of them computes anything. Built by {@link Audit}.
 *
 * <p>Conventions: probabilities and shares are in [0, 1]; a value that could not be computed is
 * {@code NaN} (JSON {@code null}); class indices refer to {@link ModelInfo#classNames()}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}: the version of the JSON twin
 * @param model         what was audited
 * @param data          which data it was audited on
 * @param settings      the settings of the run
 * @param verdicts      pass / warn / fail per check, worst first, for passing checks too
 * @param test          the test split before and after calibration
 * @param inputRange    pixel statistics of the data handed in against the model's preprocessing (null when unknown)
 * @param probes        one entry per probe, run or skipped, in probe order
 * @param gallery       the most overconfident inputs, as thumbnails
 * @param provenance    versions, date, checksums
 * @param statistics    calibration tests, exact bin intervals, conformal sets and selective prediction
 *                      (null when not computed)
 * @param shift         the shift sweeps and the label-free accuracy estimates checked on them (null
 *                      when no sweep was asked for)
 * @param doctor        what the doctor's quick input check found (null when it did not run: {@code --no-doctor},
 *                      a calibkit bundle, saved predictions)
 */
public record AuditResult(int schemaVersion, ModelInfo model, DataInfo data, Settings settings,
                          List<Verdict> verdicts, TestSection test, InputRange inputRange,
                          List<ProbeResult> probes, List<GalleryItem> gallery, Provenance provenance,
                          Statistics statistics, org.calibkit.report.shift.ShiftSection shift,
                          org.calibkit.report.doctor.DoctorSection doctor) {

    /** The JSON schema version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    public AuditResult {
        Checks.nonNull("model, data, settings, test", model, data, settings, test);
        verdicts = List.copyOf(verdicts);
        probes = List.copyOf(probes);
        gallery = List.copyOf(gallery);
        Objects.requireNonNull(provenance, "provenance");
    }

    /** A result without the doctor's section. */
    public AuditResult(int schemaVersion, ModelInfo model, DataInfo data, Settings settings, List<Verdict> verdicts,
                       TestSection test, InputRange inputRange, List<ProbeResult> probes, List<GalleryItem> gallery,
                       Provenance provenance, Statistics statistics, org.calibkit.report.shift.ShiftSection shift) {
        this(schemaVersion, model, data, settings, verdicts, test, inputRange, probes, gallery, provenance, statistics, shift,
                null);
    }

    /** The same result with the doctor's section (null for none). */
    public AuditResult withDoctor(org.calibkit.report.doctor.DoctorSection d) {
        return new AuditResult(schemaVersion, model, data, settings, verdicts, test, inputRange, probes, gallery, provenance,
                statistics, shift, d);
    }

    /** A result without the shift section. */
    public AuditResult(int schemaVersion, ModelInfo model, DataInfo data, Settings settings, List<Verdict> verdicts,
                       TestSection test, InputRange inputRange, List<ProbeResult> probes, List<GalleryItem> gallery,
                       Provenance provenance, Statistics statistics) {
        this(schemaVersion, model, data, settings, verdicts, test, inputRange, probes, gallery, provenance, statistics, null);
    }

    /** A result without the statistics section. */
    public AuditResult(int schemaVersion, ModelInfo model, DataInfo data, Settings settings, List<Verdict> verdicts,
                       TestSection test, InputRange inputRange, List<ProbeResult> probes, List<GalleryItem> gallery,
                       Provenance provenance) {
        this(schemaVersion, model, data, settings, verdicts, test, inputRange, probes, gallery, provenance, null, null);
    }

    /**
     * The audited model.
     *
     * @param name         a short name (file name without directories, or a label given by the caller)
     * @param location     the file or directory it was read from, or {@code (in memory)}
     * @param sha256       hex SHA-256 of the model file, or null
     * @param kind         e.g. {@code cnn}, {@code logistic}, {@code onnx}, {@code predictions}
     * @param head         {@code softmax} or {@code sigmoid}
     * @param outputKind   what the model outputs: {@code logits}, {@code probabilities}, {@code log_probabilities}, {@code independent_probabilities}
     * @param classNames   class names in column order
     * @param preprocessing one line describing the input transform, or null when unknown
     * @param details      free-form facts worth showing (training data, hyper-parameters, stored calibration), in order
     * @param hyperparameters the model's hyper-parameters as typed values (numbers, strings, booleans) by name,
     *                     e.g. {@code l2_alpha -> 16.0}; empty when unknown. Shown only through {@code details}.
     */
    public record ModelInfo(String name, String location, String sha256, String kind, String head, String outputKind,
                            List<String> classNames, String preprocessing, Map<String, String> details,
                            Map<String, Object> hyperparameters) {
        public ModelInfo {
            classNames = List.copyOf(classNames);
            details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
            hyperparameters = hyperparameters == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
        }

        /** A model whose hyper-parameters are unknown. */
        public ModelInfo(String name, String location, String sha256, String kind, String head, String outputKind,
                         List<String> classNames, String preprocessing, Map<String, String> details) {
            this(name, location, sha256, kind, head, outputKind, classNames, preprocessing, details, Map.of());
        }
    }

    /**
     * The data the audit used.
     *
     * @param dataset         the data set's name (e.g. {@code mnist}) or a directory
     * @param validationCount images used to fit calibration (0 when none)
     * @param testCount       images of the test split
     * @param location        where they were read from
     * @param sha256          hex SHA-256 of the test file(s), or null
     * @param verified        whether the files matched their published checksums
     */
    public record DataInfo(String dataset, int validationCount, int testCount, String location, String sha256,
                           boolean verified) {
    }

    /**
     * The settings of the run.
     *
     * @param calibration  the calibration method asked for ({@code none} for none)
     * @param threshold    the confidence counted as "overconfident" on probes (default 0.9)
     * @param bins         equal-width bins of the ECE family and the diagrams
     * @param probeSize    images per generated probe
     * @param seed         the seed of probes and bootstrap
     * @param resamples    bootstrap resamples
     * @param level        confidence level of the intervals
     * @param probes       probe names asked for
     * @param thresholds   the verdict thresholds in force
     */
    public record Settings(String calibration, double threshold, int bins, int probeSize, long seed, int resamples,
                           double level, List<String> probes, Thresholds thresholds) {
        public Settings {
            probes = List.copyOf(probes);
        }
    }

    /** Status of one check, worst last in declaration order. */
    public enum Status { PASS, INFO, WARN, FAIL }

    /**
     * One check and its outcome.
     *
     * @param check     a stable id, e.g. {@code test.ece}, {@code probe.blank-black.overconfident_share}
     * @param title     a short title for the report
     * @param status    pass / info / warn / fail
     * @param value     the measured value (NaN when not applicable)
     * @param warnAt    the threshold from which it warns (NaN when none)
     * @param failAt    the threshold from which it fails (NaN when none)
     * @param lower     lower end of the value's interval (NaN when none)
     * @param upper     upper end of the value's interval (NaN when none)
     * @param reason    one plain sentence explaining the cause, not only the number
     */
    public record Verdict(String check, String title, Status status, double value, double warnAt, double failAt,
                          double lower, double upper, String reason) {
    }

    /**
     * The test split.
     *
     * @param n              rows
     * @param method         the calibration method ({@code none} when not calibrated)
     * @param calibration    a short description of the fitted map (e.g. {@code temperature T=1.320}), or null
     * @param temperature    T when the method is temperature scaling, else NaN
     * @param parameters     the map's parameters and fit statistics, or empty
     * @param uncalibrated   every metric of the model as it is
     * @param calibrated     every metric after calibration, or null when not calibrated
     * @param intervals      per metric key: the intervals before and after and of the paired difference
     *                       (when not calibrated, {@code after} and {@code difference} repeat {@code before} and 0)
     * @param binsBefore     reliability bins of the uncalibrated model
     * @param binsAfter      reliability bins after calibration, or null
     * @param perClass       per-class calibration, one row per class
     * @param sigmoid        one-vs-rest statistics for sigmoid heads, else null
     * @param confidenceHistogram share of test images per confidence bin (20 equal-width bins of the top probability)
     */
    public record TestSection(int n, String method, String calibration, double temperature, Map<String, Object> parameters,
                              MetricSummary uncalibrated, MetricSummary calibrated,
                              Map<String, Bootstrap.Paired> intervals, ReliabilityBins binsBefore,
                              ReliabilityBins binsAfter, List<ClassRow> perClass, SigmoidStats sigmoid,
                              double[] confidenceHistogram) {
        public TestSection {
            parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
            intervals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(intervals));
            perClass = List.copyOf(perClass);
        }
    }

    /**
     * Calibration of one class's own probability (one-vs-rest view), before and after calibration.
     *
     * @param name           class name
     * @param support        test images of this class
     * @param meanProbability mean predicted probability of this class over all test images
     * @param frequency      share of test images that are this class
     * @param ece            this class's classwise ECE (equal-width bins) before calibration
     * @param eceCalibrated  the same after calibration (NaN when not calibrated)
     * @param recall         share of this class's images predicted as it
     */
    public record ClassRow(String name, int support, double meanProbability, double frequency, double ece,
                           double eceCalibrated, double recall) {
    }

    /**
     * What a one-vs-rest (sigmoid) head says, on one set of inputs.
     *
     * @param rowSumMean     mean of the row sums of the independent probabilities
     * @param rowSumQuantiles 5%, 25%, 50%, 75%, 95% quantiles of the row sums
     * @param noneShare      share of inputs for which no class exceeds 0.5 ("none of these")
     */
    public record SigmoidStats(double rowSumMean, double[] rowSumQuantiles, double noneShare) {
    }

    /**
     * The pixel statistics of the data handed to the model against its preprocessing.
     *
     * @param ok            whether they fit
     * @param min           smallest pixel value seen
     * @param max           largest
     * @param mean          mean
     * @param expectedMin   the raw range the model was trained on
     * @param expectedMax   the raw range the model was trained on
     * @param message       what was checked, with the numbers
     * @param fix           what to do when it does not fit (e.g. "divide by 255"), else null
     */
    public record InputRange(boolean ok, double min, double max, double mean, double expectedMin, double expectedMax,
                             String message, String fix) {
        /** The check a model's preprocessing made of some images. */
        public static InputRange of(org.calibkit.core.model.Preprocessing.RangeCheck rc) {
            return new InputRange(rc.ok(), rc.min(), rc.max(), rc.mean(), rc.expectedMin(), rc.expectedMax(), rc.message(),
                    rc.fix());
        }
    }

    /** OOD detection of a probe against the test split, one entry per score. */
    public record OodScores(Map<String, OodMetrics.Result> uncalibrated, Map<String, OodMetrics.Result> calibrated) {
        public OodScores {
            uncalibrated = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(uncalibrated));
            calibrated = calibrated == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(calibrated));
        }
    }

    /**
     * One probe.
     *
     * @param name                  the probe's name, e.g. {@code blank-black}
     * @param kind                  {@code no_signal}, {@code out_of_distribution}, {@code shift}, {@code preprocessing}
     * @param description           one sentence
     * @param skipReason            why it did not run, or null when it ran
     * @param count                 images
     * @param labelled              whether its labels are the model's classes (shift probes)
     * @param meanConfidence        mean top probability, uncalibrated
     * @param overconfidentShare    share with top probability &ge; the threshold, uncalibrated
     * @param meanConfidenceCalibrated    the same after calibration (NaN when none)
     * @param overconfidentShareCalibrated the same after calibration (NaN when none)
     * @param accuracy              for labelled probes, accuracy (else NaN)
     * @param ece                   for labelled probes, ECE uncalibrated (else NaN)
     * @param eceCalibrated         for labelled probes, ECE calibrated (else NaN)
     * @param predictedHistogram    images predicted as each class
     * @param confidenceHistogram   share per confidence bin (20 equal-width bins of the top probability)
     * @param ood                   detection against the test split per score, or null when skipped
     * @param sigmoid               one-vs-rest statistics for sigmoid heads, else null
     */
    public record ProbeResult(String name, String kind, String description, String skipReason, int count,
                              boolean labelled, double meanConfidence, double overconfidentShare,
                              double meanConfidenceCalibrated, double overconfidentShareCalibrated,
                              double accuracy, double ece, double eceCalibrated, int[] predictedHistogram,
                              double[] confidenceHistogram, OodScores ood, SigmoidStats sigmoid) {
        /** True when the probe did not run. */
        public boolean skipped() {
            return skipReason != null;
        }
    }

    /**
     * One of the most overconfident inputs.
     *
     * @param source       the probe's name, or {@code test} for a wrong test image
     * @param index        its row in that set
     * @param predicted    the predicted class's name
     * @param confidence   its top probability (calibrated when calibration was fitted)
     * @param trueLabel    the true class's name, or null when the input has none
     * @param image        the image as the model's data set shows it (not the preprocessed input), when a
     *                     model ran on images; empty for saved predictions. The HTML layer draws the thumbnail.
     */
    public record GalleryItem(String source, int index, String predicted, double confidence, String trueLabel,
                              java.util.Optional<Pixels> image) {
        public GalleryItem {
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * The pixels of one image, channel-major (c, y, x), on the data set's own scale (0..255).
     *
     * @param channels 1 (grey) or 3 (RGB)
     * @param height   rows
     * @param width    columns
     * @param values   channels x height x width values
     */
    public record Pixels(int channels, int height, int width, float[] values) {
        public Pixels {
            if (values.length != channels * height * width) {
                throw new IllegalArgumentException("an image of " + channels + "x" + height + "x" + width + " needs "
                        + channels * height * width + " values, but got " + values.length);
            }
            values = values.clone();
        }

        /** A copy of the values. */
        @Override
        public float[] values() {
            return values.clone();
        }
    }

    /**
     * Where the result came from.
     *
     * @param calibkitVersion the version that wrote it
     * @param createdAt       ISO-8601 instant
     * @param javaVersion     the runtime
     * @param seconds         wall time of the audit
     * @param timings         seconds per step (inference, bootstrap, probes, ...), in order
     * @param runId           this run's random id, written into the HTML report and its JSON twin alike,
     *                        so the two files of one run can be told from those of another
     */
    public record Provenance(String calibkitVersion, String createdAt, String javaVersion, double seconds,
                             Map<String, Double> timings, String runId) {
        public Provenance {
            timings = timings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
            Objects.requireNonNull(runId, "runId");
        }

        /** A fresh run id: a random (version 4) UUID. */
        public static String newRunId() {
            return java.util.UUID.randomUUID().toString();
        }
    }

    /** The number of verdicts with a status. */
    public long count(Status s) {
        return verdicts.stream().filter(v -> v.status() == s).count();
    }

    /**
     * What the statistics of {@code org.calibkit.calibration.stats} say about the test split (built by
     * {@link AuditStatistics}): whether miscalibration is more than noise, how sure each bin's accuracy
     * is, what sets of classes can be promised at a coverage, and how much the model must abstain to
     * reach an error rate.
     *
     * @param alpha             miscoverage level of the conformal sets (sets contain the label with
     *                          probability at least 1 - alpha)
     * @param significance      the level at which the tests are read in words, e.g. 0.05
     * @param level             confidence level of the binomial intervals (bins, coverage)
     * @param testsUncalibrated Spiegelhalter, Hosmer-Lemeshow, Kolmogorov-Smirnov and Kuiper on the test split, as the model is
     * @param testsCalibrated   the same after calibration, or null
     * @param binsUncalibrated  exact intervals of the reliability bins of {@link TestSection#binsBefore()}
     * @param binsCalibrated    the same for {@link TestSection#binsAfter()}, or null
     * @param conformal         one entry per conformal score (LAC, APS, RAPS); empty without a validation split
     * @param selective         one entry per confidence score (msp, max_logit, energy, msp_calibrated)
     */
    public record Statistics(double alpha, double significance, double level, List<CalibrationTest> testsUncalibrated,
                             List<CalibrationTest> testsCalibrated, BinStats binsUncalibrated, BinStats binsCalibrated,
                             List<ConformalResult> conformal, List<SelectiveResult> selective) {
        public Statistics {
            testsUncalibrated = List.copyOf(testsUncalibrated);
            testsCalibrated = testsCalibrated == null ? null : List.copyOf(testsCalibrated);
            Objects.requireNonNull(binsUncalibrated, "binsUncalibrated");
            conformal = List.copyOf(conformal);
            selective = List.copyOf(selective);
        }
    }

    /**
     * The binomial intervals of each reliability bin's accuracy, given its count.
     *
     * @param clopperPearson exact (Clopper-Pearson) intervals: the ones drawn on the diagrams
     * @param wilson         Wilson score intervals
     */
    public record BinStats(BinIntervals clopperPearson, BinIntervals wilson) {
    }

    /**
     * Split conformal prediction sets of one score, fitted on the validation split.
     *
     * @param score       {@code lac}, {@code aps} or {@code raps}
     * @param description the score and its settings in words
     * @param predictor   the fitted threshold
     * @param test        coverage and set sizes on the test split
     * @param probes      set sizes on every probe that ran, in probe order
     */
    public record ConformalResult(String score, String description, ConformalPredictor predictor,
                                  ConformalEvaluation test, List<ProbeSets> probes) {
        public ConformalResult {
            probes = List.copyOf(probes);
        }
    }

    /**
     * Conformal set sizes on one probe's images (no labels: no coverage).
     *
     * @param probe         the probe's name
     * @param count         images
     * @param meanSize      mean set size
     * @param sizeHistogram images per set size 0..K
     */
    public record ProbeSets(String probe, int count, double meanSize, long[] sizeHistogram) {
        /** Share of the images whose set holds every class (the model says "could be anything"). */
        public double fullShare() {
            return count == 0 ? Double.NaN : (double) sizeHistogram[sizeHistogram.length - 1] / count;
        }
    }

    /**
     * Selective prediction with one confidence score on the test split.
     *
     * @param score     {@code msp}, {@code max_logit}, {@code energy} or {@code msp_calibrated}
     * @param aurc      area under the risk-coverage curve (torch-uncertainty's convention)
     * @param eaurc     AURC minus that of the oracle order
     * @param coverage  points of the risk-coverage curve (a subset of at most about 200 of its points, highest score first)
     * @param risk      error rate among the accepted rows at each point
     * @param threshold the score threshold of each point (accept when the score is at least it)
     * @param targets   the largest coverage whose risk stays at most each target risk, in the order asked
     */
    public record SelectiveResult(String score, double aurc, double eaurc, double[] coverage, double[] risk,
                                  double[] threshold, List<RiskTarget> targets) {
        public SelectiveResult {
            targets = List.copyOf(targets);
        }
    }

    /**
     * "How much must the model abstain to keep its error at most {@code targetRisk}?"
     *
     * @param targetRisk the error rate asked for, e.g. 0.01
     * @param point      the operating point: threshold, coverage, risk reached (coverage 0 when none reaches it)
     */
    public record RiskTarget(double targetRisk, OperatingPoint point) {
    }
}
