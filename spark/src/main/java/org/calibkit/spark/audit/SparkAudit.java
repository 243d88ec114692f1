package org.calibkit.spark.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Quantiles;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.Calibrator;
import org.calibkit.calibration.calibrators.LinearCalibrator;
import org.calibkit.calibration.calibrators.LinearMap;
import org.calibkit.calibration.calibrators.MatrixScaling;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.VectorScaling;
import org.calibkit.spark.DistributedLinearScaling;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.ClasswiseBins;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.CalibrationTests;
import org.calibkit.calibration.stats.SpiegelhalterTest;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLog;

/**
 * The streamed audit of a prediction log, on Apache Spark or through DuckDB on one machine (any
 * {@link PredictionLog}: both give the same numbers for the same file): the same {@link AuditResult} as
 * {@link Audit#ofOutputs} gives the same rows on one machine, computed from mergeable
 * per-partition state without collecting the rows to the driver, and assembled by
 * {@link Audit#ofSections} (so settings, verdicts and provenance are the single-machine audit's).
 *
 * <ul>
 * <li>Calibration: temperature scaling (Guo et al. 2017) fitted on the validation log by
 *     {@link org.calibkit.spark.DistributedTemperature} (the single-machine iteration, its
 *     safeguards and optimum); vector and matrix scaling by {@link DistributedLinearScaling}
 *     (distributed Newton passes to calibration's optimum); or a stored map of those kinds; other
 *     calibrators do not run here.</li>
 * <li>One pass over the test log ({@link AuditFold}) sums every metric that reduces to sums,
 *     before and after calibration ({@link SplitSums}), and the same sums of
 *     {@code resamples} Poisson(1)-bootstrap replicates over row buckets: a row's bucket depends
 *     only on (seed, row id) and a bucket's weight only on (seed, bucket, replicate), so the
 *     intervals do not depend on partitioning, and their cost not on the number of rows
 *     ({@link SplitSums}).</li>
 * <li>A distributed sort ({@link OrderStatistics}) gives the exact order statistics: equal-mass
 *     ECE, ACE, debiased ECE, and the Hosmer-Lemeshow, Kolmogorov-Smirnov and Kuiper tests of the
 *     statistics section (Spiegelhalter's comes from sums, the exact bin intervals from the bins).</li>
 * <li>Conformal sets ({@link StreamedConformal}): LAC, APS and RAPS fitted on the validation log's
 *     scores, their test sets summed by the same pass ({@link AuditFold}).</li>
 * <li>What is not computed on Spark is absent with a reason ({@link #NOT_COMPUTED}, in the
 *     model's details), never a made-up value: its metrics are NaN and have no interval.</li>
 * </ul>
 */
public final class SparkAudit {
    /** The key of the model detail listing what the Spark audit does not compute, and why. */
    public static final String NOT_COMPUTED = Audit.NOT_COMPUTED_DETAIL;
    /** Its text. */
    public static final String NOT_COMPUTED_TEXT = notComputed("on Spark");

    /** {@link #NOT_COMPUTED_TEXT} for an engine: "on Spark", "in DuckDB's streamed audit". */
    private static String notComputed(String where) {
        return "Not computed " + where + ": smooth ECE (its bandwidth is a fixed "
            + "point over all sorted confidences), the bootstrap intervals of the equal-mass metrics (equal-mass ECE, "
            + "ACE, debiased ECE: exact values, but a replicate's edges would need every row's weight at every sorted "
            + "position), selective-prediction curves (every row's score in order), conformal sets when the validation "
            + "log holds more than " + String.format(java.util.Locale.ROOT, "%,d", StreamedConformal.MAX_CALIBRATION_ROWS)
            + " rows, probes, the gallery and the "
            + "input-range check (a log holds no images). Randomised conformal scores (APS, RAPS) draw a row's u from "
            + "its id, not its position. Metrics without a value show as n/a.";
    }

    private SparkAudit() {
    }

    /**
     * What the audit shows besides the numbers, and how it runs.
     *
     * @param audit      bins, resamples, level, seed, calibration choice and verdict thresholds (as on one machine)
     * @param classNames one per output column; empty for "0".."K-1"
     * @param model      the model as the report shows it, or null for the single-machine default of saved predictions
     * @param data       the data as the report shows it, or null for that default; its counts are the logs' own
     * @param probes     probes asked for, each skipped (a log has no images)
     */
    public record Options(AuditOptions audit, List<String> classNames, AuditResult.ModelInfo model,
                          AuditResult.DataInfo data, List<ModelOutputs.Probe> probes) {
        public Options {
            Objects.requireNonNull(audit, "audit");
            classNames = List.copyOf(classNames);
            probes = List.copyOf(probes);
        }

        /** The audit's options, numbered classes, default descriptions, no probes. */
        public static Options of(AuditOptions audit) {
            return new Options(audit, List.of(), null, null, List.of());
        }
    }

    /**
     * Audits {@code test}, calibrated on {@code validation} when given.
     *
     * @throws PredictionLogException for a bad row (naming file, id and column), a log of the wrong
     *         number of classes, or a calibration that does not run on Spark
     */
    public static AuditResult run(PredictionLog test, Optional<? extends PredictionLog> validation, Options options) {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(options, "options");
        AuditOptions o = options.audit();
        int k = test.numClasses();
        if (validation.isPresent() && validation.get().numClasses() != k) {
            throw new PredictionLogException("the validation log has " + validation.get().numClasses()
                    + " classes, but the test log has " + k);
        }
        List<String> classes = options.classNames().isEmpty()
                ? IntStream.range(0, k).mapToObj(Integer::toString).toList() : options.classNames();
        if (classes.size() != k) {
            throw new PredictionLogException("the test log has " + k + " classes, but " + classes.size()
                    + " class names were given");
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        long start = System.nanoTime();
        long t0 = start;
        boolean[] stored = {false};
        CalibrationMap map = calibration(validation, o, k, stored);
        RowMap rowMap = RowMap.of(map, k);
        if (map != null && !stored[0]) {
            timings.put("calibration", secs(t0));
        }
        long validationRows = validation.map(PredictionLog::count).orElse(0L);
        StreamedConformal.Fitted conformal = null;
        if (validation.isPresent()) {
            t0 = System.nanoTime();
            conformal = StreamedConformal.fit(validation.get(), k, o.alpha(), o.seed(), o.progress());
            timings.put("conformal", secs(t0));
        }
        o.progress().accept("audit: one pass over the test log on " + test.engine() + ": every sum metric"
                + (map == null ? "" : " before and after " + map.describe()) + ", " + o.resamples()
                + " Poisson-bootstrap replicates over " + SplitSums.buckets(k, o.bins()) + " row buckets");
        t0 = System.nanoTime();
        AuditFold fold = new AuditFold(k, o.bins(), test.schema().kind(), rowMap,
                o.seed(), o.resamples(), conformal);
        AuditFold.State all = AuditFold.merge(test.fold(fold, AuditFold.State.class), fold);
        timings.put("bootstrap", secs(t0));
        if (all.before.n == 0) {
            throw new PredictionLogException("the test log holds no rows");
        }
        if (all.before.n > Integer.MAX_VALUE) {
            throw new PredictionLogException("the test log holds " + all.before.n + " rows; the audit result counts at most "
                    + Integer.MAX_VALUE);
        }
        o.progress().accept("audit: exact order statistics (equal-mass ECE, ACE, debiased ECE, Hosmer-Lemeshow, "
                + "Kolmogorov-Smirnov, Kuiper) by exact selection passes, without a sort");
        t0 = System.nanoTime();
        OrderStatistics.Side[] ordered = OrderStatistics.compute(test, k, rowMap,
                o.bins(), all.before.n, all.first, o.progress());
        timings.put("order_statistics", secs(t0));
        AuditResult.TestSection section = testSection(classes, all, ordered, map, stored[0], o);
        AuditResult.Statistics statistics = statistics(all, ordered, section, conformal, o);
        String head = Head.SOFTMAX.id();
        AuditResult.ModelInfo model = options.model() != null ? options.model()
                : new AuditResult.ModelInfo("predictions", "(in memory)", null, "predictions", head,
                test.schema().kind().id(), classes, null, Map.of());
        Map<String, String> details = new LinkedHashMap<>(model.details());
        details.put(NOT_COMPUTED, test.engine().equals("Apache Spark") ? NOT_COMPUTED_TEXT
                : notComputed("in " + test.engine() + "'s streamed audit"));
        model = new AuditResult.ModelInfo(model.name(), model.location(), model.sha256(), model.kind(), model.head(),
                model.outputKind(), model.classNames(), model.preprocessing(), details, model.hyperparameters());
        AuditResult.DataInfo given = options.data() != null ? options.data()
                : new AuditResult.DataInfo("predictions", 0, 0, "(in memory)", null, false);
        AuditResult.DataInfo data = new AuditResult.DataInfo(given.dataset(), (int) Math.min(Integer.MAX_VALUE, validationRows),
                (int) all.before.n, given.location(), given.sha256(), given.verified());
        return Audit.ofSections(new Audit.Sections(model, data, options.probes(), section, statistics, map, Head.SOFTMAX,
                timings, start), o);
    }

    /**
     * The stored map (temperature, vector or matrix scaling), one fitted on the validation log
     * (temperature scaling by distributed Halley/Newton passes, vector and matrix scaling by
     * distributed Newton passes), or null (nothing calibrated).
     */
    private static CalibrationMap calibration(Optional<? extends PredictionLog> validation, AuditOptions o, int k,
                                              boolean[] stored) {
        CalibrationChoice c = o.calibration();
        if (o.storedMap().isPresent() && (c instanceof CalibrationChoice.Stored || c instanceof CalibrationChoice.Auto)) {
            CalibrationMap m = o.storedMap().get();
            if (m.numClasses() != k) {
                throw new PredictionLogException("the stored calibration " + m.describe() + " has " + m.numClasses()
                        + " classes, but the test log has " + k);
            }
            RowMap.of(m, k); // refuses, in one line, a map that does not run on Spark
            stored[0] = true;
            return m;
        }
        if (!c.calibrates() || validation.isEmpty()) {
            return null;
        }
        Calibrator cal = c instanceof CalibrationChoice.Fit f ? f.calibrator() : new CalibrationChoice.Auto().fallback();
        if (cal instanceof TemperatureScaling ts) {
            o.progress().accept("audit: fitting temperature scaling on the validation log by distributed Newton passes");
            return validation.get().temperatureMap(ts);
        }
        if (cal instanceof VectorScaling || cal instanceof MatrixScaling) {
            LinearCalibrator lc = (LinearCalibrator) cal;
            boolean diagonal = cal instanceof VectorScaling;
            o.progress().accept("audit: fitting " + cal.method() + " scaling on the validation log by distributed Newton passes");
            DistributedLinearScaling.Fit f = DistributedLinearScaling.fit(validation.get(), diagonal, lc.lambda(), lc.mu());
            if (!f.converged()) {
                throw new PredictionLogException(cal.method() + " scaling did not converge on the validation log in "
                        + f.passes() + " passes (largest gradient entry " + f.gradientNorm() + ")");
            }
            double[][] w = new double[k][k];
            for (int r = 0; r < k; r++) {
                System.arraycopy(f.weights(), r * k, w[r], 0, k);
            }
            return LinearMap.of(cal.method(), LinearMap.Input.LOGITS, w, f.bias(), lc.lambda(), lc.mu(),
                    f.nllBefore(), f.nllAfter(), f.passes(), f.converged(), f.gradientNorm());
        }
        throw new PredictionLogException("calibration " + cal.method() + " does not run in the streamed audit ("
                + validation.get().engine() + "); "
                + "use temperature scaling (the default), vector or matrix scaling, or none");
    }

    /**
     * The statistics section: the four calibration tests from their sums and the sorted
     * confidences, the exact bin intervals from the bins, conformal sets ({@link StreamedConformal})
     * when fitted; no selective prediction (not computed on Spark).
     */
    private static AuditResult.Statistics statistics(AuditFold.State all, OrderStatistics.Side[] ordered,
                                                     AuditResult.TestSection t, StreamedConformal.Fitted conformal,
                                                     AuditOptions o) {
        List<CalibrationTest> before = tests(all.before, ordered[0]);
        List<CalibrationTest> after = all.after == null ? null : tests(all.after, ordered[1]);
        return new AuditResult.Statistics(o.alpha(), AuditStatistics.SIGNIFICANCE, o.level(), before, after,
                AuditStatistics.bins(t.binsBefore(), o.level()),
                t.binsAfter() == null ? null : AuditStatistics.bins(t.binsAfter(), o.level()),
                conformal == null ? List.of() : StreamedConformal.results(conformal, all.conformal, o.level()), List.of());
    }

    /** {@link AuditStatistics#tests}' four tests, in its order. */
    private static List<CalibrationTest> tests(SplitSums sums, OrderStatistics.Side side) {
        return List.of(CalibrationTests.spiegelhalter(sums.spiegelhalterNumerator, sums.spiegelhalterVariance, (int) sums.n,
                SpiegelhalterTest.Alternative.TWO_SIDED), side.hosmerLemeshow(), side.kolmogorovSmirnov(), side.kuiper());
    }

    private static AuditResult.TestSection testSection(List<String> classes, AuditFold.State all,
                                                       OrderStatistics.Side[] ordered, CalibrationMap map,
                                                       boolean stored, AuditOptions o) {
        SplitSums before = all.before;
        SplitSums after = all.after;
        SplitSums.SumValues vb = before.values();
        SplitSums.SumValues va = after == null ? null : after.values();
        Map<String, Double> sb = new LinkedHashMap<>();
        Map<String, Double> sa = new LinkedHashMap<>();
        Map<String, Bootstrap.Paired> intervals = new LinkedHashMap<>();
        int reps = o.resamples();
        for (Metric m : Metrics.ALL) {
            boolean sorted = OrderStatistics.KEYS.contains(m.key());
            sb.put(m.key(), sorted ? ordered[0].get(m.key()) : vb.get(m.key()));
            sa.put(m.key(), va == null ? Double.NaN : sorted ? ordered[1].get(m.key()) : va.get(m.key()));
        }
        for (String key : SplitSums.SumValues.KEYS) {
            double[] rb = new double[reps];
            double[] ra = new double[reps];
            double[] d = new double[reps];
            for (int r = 0; r < reps; r++) {
                SplitSums.SumValues b = before.replicate(r);
                SplitSums.SumValues a = after == null ? b : after.replicate(r);
                if (b == null) {
                    throw new PredictionLogException("bootstrap replicate " + r + " drew no rows (seed " + o.seed()
                            + "); the test log is too small for a bootstrap");
                }
                rb[r] = b.get(key);
                ra[r] = a.get(key);
                d[r] = ra[r] - rb[r];
            }
            double eb = vb.get(key);
            double ea = va == null ? eb : va.get(key);
            intervals.put(key, new Bootstrap.Paired(interval(eb, rb, o.level()), interval(ea, ra, o.level()),
                    interval(ea - eb, d, o.level())));
        }
        ReliabilityBins binsBefore = before.top.toBins();
        ReliabilityBins binsAfter = after == null ? null : after.top.toBins();
        ClasswiseBins cb = before.classwise.toBins();
        ClasswiseBins ca = after == null ? null : after.classwise.toBins();
        int n = (int) before.n;
        List<AuditResult.ClassRow> rows = new ArrayList<>();
        for (int j = 0; j < classes.size(); j++) {
            long support = 0;
            double probability = 0;
            for (int b = 0; b < cb.numBins(); b++) {
                support += cb.positives(j, b);
                probability += cb.probabilitySum(j, b);
            }
            rows.add(new AuditResult.ClassRow(classes.get(j), (int) support, probability / n, (double) support / n,
                    classEce(cb, j), ca == null ? Double.NaN : classEce(ca, j),
                    support == 0 ? Double.NaN : (double) before.hits[j] / support));
        }
        ReliabilityBins h = (after == null ? before : after).histogram.toBins();
        double[] histogram = new double[h.numBins()];
        for (int b = 0; b < histogram.length; b++) {
            histogram[b] = (double) h.count(b) / n;
        }
        return new AuditResult.TestSection(n, map == null ? CalibrationChoice.None.ID : map.method(),
                map == null ? null : map.describe() + (stored ? " (stored)" : ""),
                map instanceof TemperatureMap t ? t.temperature() : Double.NaN, map == null ? Map.of() : map.parameters(),
                new MetricSummary(n, sb), va == null ? null : new MetricSummary(n, sa), intervals, binsBefore, binsAfter,
                rows, null, histogram);
    }

    /** Class j's own ECE (its probability against "is class j", equal-width bins) from the classwise bins. */
    private static double classEce(ClasswiseBins cb, int j) {
        double s = 0;
        for (int b = 0; b < cb.numBins(); b++) {
            s += Math.abs(cb.positives(j, b) - cb.probabilitySum(j, b));
        }
        return s / cb.total();
    }

    /** The percentile interval of the replicate values, as {@link Bootstrap}'s default method reads it. */
    private static Bootstrap.Interval interval(double estimate, double[] values, double level) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new Bootstrap.Interval(estimate, Quantiles.linear(sorted, alpha), Quantiles.linear(sorted, 1 - alpha), level,
                values.length);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
