package org.calibkit.cli.metrics;

import org.calibkit.calibration.OutputKind;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.TopLabel;
import org.calibkit.calibration.ood.OodScore;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.OperatingPoint;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The metrics of one set of saved predictions, before and (optionally) after a calibrator, as
 * plain data with its two renderings: one JSON object and an aligned text table.
 *
 * @param classes       number of classes K
 * @param bins          number of confidence bins
 * @param input         {@code logits} or {@code probabilities}
 * @param logitsFile    the evaluated file
 * @param labelsFile    its labels
 * @param fitFile       the calibration set's file, or null
 * @param before        metrics of the predictions as given
 * @param after         metrics after calibration, or null
 * @param map           the fitted map, or null
 * @param intervals     bootstrap settings when intervals were computed, or null
 * @param plots         chart files written
 * @param statistics    calibration tests, bin intervals, conformal sets (fitted on the fit set) and
 *                      selective prediction, as the audit computes them ({@link AuditStatistics}); null when not computed
 */
public record MetricsReport(int classes, int bins, String input, Path logitsFile, Path labelsFile, Path fitFile,
                            Evaluated before, Evaluated after, CalibrationMap map, IntervalSettings intervals,
                            List<Path> plots, AuditResult.Statistics statistics) {

    /** A report without statistics. */
    public MetricsReport(int classes, int bins, String input, Path logitsFile, Path labelsFile, Path fitFile,
                         Evaluated before, Evaluated after, CalibrationMap map, IntervalSettings intervals,
                         List<Path> plots) {
        this(classes, bins, input, logitsFile, labelsFile, fitFile, before, after, map, intervals, plots, null);
    }

    /**
     * The statistics section of saved predictions, computed as the audit computes it.
     *
     * @param p          probabilities of the evaluation set, as given
     * @param logits     its logits, or null (then no max_logit and energy scores)
     * @param labels     its labels
     * @param calibrated its probabilities after calibration, or null
     * @param fit        probabilities (as given) of the calibration set the conformal sets are fitted on, or null
     * @param fitLabels  its labels, or null
     * @param alpha      conformal miscoverage level
     * @param level      level of the binomial intervals
     * @param seed       seed of the randomised conformal scores
     */
    public static AuditResult.Statistics statistics(Probabilities p, Logits logits, int[] labels, Probabilities calibrated,
                                                    Probabilities fit, int[] fitLabels, double alpha, double level,
                                                    int bins, long seed) {
        TopLabel before = TopLabel.of(p, labels);
        TopLabel after = calibrated == null ? null : TopLabel.of(calibrated, labels);
        Map<String, double[]> scores = new java.util.LinkedHashMap<>();
        Map<String, boolean[]> correct = new java.util.LinkedHashMap<>();
        scores.putAll(OodScore.computeAll(OodScore.SELECTIVE, logits, p)); // without logits: msp only
        scores.keySet().forEach(key -> correct.put(key, before.correct()));
        if (after != null) {
            scores.put(OodScore.MSP_CALIBRATED, after.confidences());
            correct.put(OodScore.MSP_CALIBRATED, after.correct());
        }
        return AuditStatistics.of(p, ReliabilityBins.of(before.confidences(), before.correct(), bins), calibrated,
                after == null ? null : ReliabilityBins.of(after.confidences(), after.correct(), bins), labels, fit,
                fitLabels, p, Map.of(), scores, correct, alpha, level, seed);
    }

    /** Metrics of one set, with bootstrap intervals when asked for (else null). */
    public record Evaluated(MetricSummary summary, Map<String, Bootstrap.Interval> intervals) {
    }

    /** How the bootstrap intervals were made. */
    public record IntervalSettings(double level, int resamples, long seed, Bootstrap.Method method) {
        /** Percentile intervals. */
        public IntervalSettings(double level, int resamples, long seed) {
            this(level, resamples, seed, Bootstrap.Method.PERCENTILE);
        }
    }

    /** One JSON object: the metrics at top level, {@code calibrated} for the calibrated ones. */
    public String toJson() {
        ObjectNode root = Json.object();
        putMetrics(root, before);
        root.put("classes", classes);
        root.put("bins", bins);
        root.put("input", input);
        root.put("logits_file", logitsFile.toString());
        root.put("labels_file", labelsFile.toString());
        if (map != null) {
            root.put("method", map.method());
            if (map instanceof TemperatureMap t) {
                Json.putNumber(root, "temperature", t.temperature());
            }
            root.set("parameters", Json.tree(map.parameters()));
            putMetrics(root.putObject("calibrated"), after);
        }
        if (!plots.isEmpty()) {
            ArrayNode a = root.putArray("plots");
            plots.forEach(p -> a.add(p.toString()));
        }
        if (statistics != null) {
            root.set("statistics", AuditJson.statistics(statistics));
        }
        return Json.write(root);
    }

    private void putMetrics(ObjectNode node, Evaluated e) {
        Json.putMetrics(node, e.summary());
        if (e.intervals() != null) {
            ObjectNode ci = node.putObject("ci");
            ci.put("level", intervals.level());
            ci.put("resamples", intervals.resamples());
            ci.put("seed", intervals.seed());
            ci.put("method", intervals.method().id());
            e.intervals().forEach((k, iv) -> ci.set(k, Json.interval(iv)));
        }
    }

    /** An aligned table, one metric a line, before and after side by side. */
    public void printTable(PrintWriter out) {
        out.printf(Locale.ROOT, "%d predictions, %d classes, %d bins (%s: %s)%n", before.summary().n(),
                classes, bins, input, logitsFile);
        if (map != null) {
            out.printf(Locale.ROOT, "calibrator: %s fitted on %s", map.method(), fitFile);
            if (map instanceof TemperatureMap t) {
                out.printf(Locale.ROOT, ", T = %.4f", t.temperature());
            }
            out.println();
        }
        if (intervals != null) {
            out.printf(Locale.ROOT, "intervals: %.0f%% %s bootstrap, %d resamples, seed %d%n",
                    100 * intervals.level(), intervals.method() == Bootstrap.Method.BCA ? "BCa" : "percentile",
                    intervals.resamples(), intervals.seed());
        }
        Map<String, Object> b = before.summary().toMap();
        Map<String, Object> a = after == null ? null : after.summary().toMap();
        int width = intervals != null ? 28 : 10;
        out.println();
        out.printf(Locale.ROOT, "%-16s %" + width + "s%s%n", "metric", after == null ? "value" : "before",
                after == null ? "" : String.format(Locale.ROOT, " %" + width + "s", "after"));
        for (String key : MetricSummary.KEYS) {
            String line = String.format(Locale.ROOT, "%-16s %" + width + "s", key, cell(key, b, before));
            if (a != null) {
                line += String.format(Locale.ROOT, " %" + width + "s", cell(key, a, after));
            }
            out.println(line);
        }
        if (statistics != null) {
            printStatistics(out, statistics);
        }
        if (!plots.isEmpty()) {
            out.println();
            out.println("charts:");
            plots.forEach(p -> out.println("  " + p));
        }
    }

    /** The statistics as short blocks of text: tests, conformal sets, selective prediction. */
    static void printStatistics(PrintWriter out, AuditResult.Statistics s) {
        out.println();
        out.printf(Locale.ROOT, "calibration tests (top label, read at %s):%n", pct(s.significance()));
        printTests(out, s.testsCalibrated() == null ? "" : "before: ", s.testsUncalibrated(), s.significance());
        if (s.testsCalibrated() != null) {
            printTests(out, "after:  ", s.testsCalibrated(), s.significance());
        }
        if (!s.conformal().isEmpty()) {
            AuditResult.ConformalResult first = s.conformal().get(0);
            out.println();
            out.printf(Locale.ROOT, "conformal sets (alpha %s, fitted on %d rows of the fit set, %d evaluated):%n",
                    fmtShort(s.alpha()), first.predictor().n(), first.test().n());
            out.printf(Locale.ROOT, "  %-6s %10s %8s %-19s %9s %7s %7s%n", "score", "threshold", "coverage",
                    "interval", "mean size", "size 1", "empty");
            for (AuditResult.ConformalResult c : s.conformal()) {
                long[] h = c.test().sizeHistogram();
                out.printf(Locale.ROOT, "  %-6s %10.4g %8.4f [%.4f, %.4f] %9.3f %7.4f %7.4f%n", c.score(),
                        c.predictor().threshold(), c.test().coverage(), c.test().coverageInterval().lower(),
                        c.test().coverageInterval().upper(), c.test().meanSize(), (double) h[1] / c.test().n(),
                        (double) h[0] / c.test().n());
            }
        }
        if (!s.selective().isEmpty()) {
            out.println();
            out.println("selective prediction (abstain below a threshold on the score):");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-15s %8s %8s", "score", "aurc", "e-aurc"));
            for (AuditResult.RiskTarget t : s.selective().get(0).targets()) {
                head.append(String.format(Locale.ROOT, "   %-38s", "error <= " + fmtShort(t.targetRisk())
                        + ": coverage at threshold"));
            }
            out.println(head.toString().stripTrailing());
            for (AuditResult.SelectiveResult r : s.selective()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-15s %8.5f %8.5f", r.score(),
                        r.aurc(), r.eaurc()));
                for (AuditResult.RiskTarget t : r.targets()) {
                    OperatingPoint p = t.point();
                    line.append(String.format(Locale.ROOT, "   %-38s", p.accepted() == 0 ? "not reachable"
                            : String.format(Locale.ROOT, "%.4f at %.6g", p.coverage(), p.threshold())));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    private static void printTests(PrintWriter out, String side, List<CalibrationTest> tests, double significance) {
        for (CalibrationTest t : tests) {
            out.printf(Locale.ROOT, "  %s%s%n", side, t.sentence(significance));
        }
    }

    private static String pct(double a) {
        return fmtShort(100 * a) + "%";
    }

    private static String fmtShort(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String cell(String key, Map<String, Object> m, Evaluated e) {
        Object v = m.get(key);
        if (v instanceof Integer i) {
            return Integer.toString(i);
        }
        String s = fmt(((Number) v).doubleValue());
        if (e.intervals() != null && e.intervals().containsKey(key)) {
            Bootstrap.Interval iv = e.intervals().get(key);
            s += " [" + fmt(iv.lower()) + ", " + fmt(iv.upper()) + "]";
        }
        return s;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    /**
     * A one-line warning when a file given as logits holds values {@link OutputKind#detect} takes
     * for probabilities (rows in [0, 1] summing to 1) or independent probabilities (values in
     * [0, 1]): softmax of probabilities is not the model's distribution, so the metrics would
     * silently describe something else. Null when the values look like logits or log-probabilities
     * (whose softmax is the distribution itself).
     */
    public static String outputKindWarning(java.nio.file.Path file, String option, org.calibkit.calibration.Logits z) {
        OutputKind kind = OutputKind.detect(z.raw(), z.n(), z.k());
        if (kind == OutputKind.PROBABILITIES) {
            return file + " (" + option + ") looks like probabilities, not logits: every value is in [0, 1] and every row "
                    + "sums to 1, so the metrics are of softmax(probabilities); pass --probabilities if that is what it holds";
        }
        if (kind == OutputKind.INDEPENDENT_PROBABILITIES) {
            return file + " (" + option + ") looks like independent (sigmoid) probabilities, not logits: every value is in "
                    + "[0, 1], so the metrics are of their softmax; save the logits, or state what the file holds";
        }
        return null;
    }
}
