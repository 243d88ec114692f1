package org.calibkit.report.metrics;

import org.calibkit.calibration.OutputKind;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
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
 */
public record MetricsReport(int classes, int bins, String input, Path logitsFile, Path labelsFile, Path fitFile,
                            Evaluated before, Evaluated after, CalibrationMap map, IntervalSettings intervals,
                            List<Path> plots) {

    /** Metrics of one set, with bootstrap intervals when asked for (else null). */
    public record Evaluated(MetricSummary summary, Map<String, Bootstrap.Interval> intervals) {
    }

    /** How the percentile intervals were made. */
    public record IntervalSettings(double level, int resamples, long seed) {
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
        return Json.write(root);
    }

    private void putMetrics(ObjectNode node, Evaluated e) {
        Json.putMetrics(node, e.summary());
        if (e.intervals() != null) {
            ObjectNode ci = node.putObject("ci");
            ci.put("level", intervals.level());
            ci.put("resamples", intervals.resamples());
            ci.put("seed", intervals.seed());
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
            out.printf(Locale.ROOT, "intervals: %.0f%% percentile bootstrap, %d resamples, seed %d%n",
                    100 * intervals.level(), intervals.resamples(), intervals.seed());
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
        if (!plots.isEmpty()) {
            out.println();
            out.println("charts:");
            plots.forEach(p -> out.println("  " + p));
        }
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
