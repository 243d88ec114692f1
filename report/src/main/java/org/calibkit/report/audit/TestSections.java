package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Predictions;

/**
 * The test split's section: every metric before and after calibration (the paired bootstrap's
 * full-data estimates), reliability bins, the per-class table and the confidence histogram.
 */
final class TestSections {
    private TestSections() {
    }

    /**
     * @param map    the calibration map applied, or null
     * @param stored whether the map was stored with the model (not fitted here)
     * @param after  the calibrated predictions, or null when nothing is calibrated
     */
    static AuditResult.TestSection of(List<String> classes, Head head, int[] y, Predictions before, Predictions after,
                                      Map<String, Bootstrap.Paired> intervals, CalibrationMap map, boolean stored,
                                      int bins) {
        // the paired bootstrap already computed every metric on the full data: its estimates are the summaries
        Map<String, Double> vb = new LinkedHashMap<>();
        Map<String, Double> va = new LinkedHashMap<>();
        intervals.forEach((key, p) -> {
            vb.put(key, p.before().estimate());
            va.put(key, p.after().estimate());
        });
        MetricSummary sb = new MetricSummary(before.n(), vb);
        MetricSummary sa = after == null ? null : new MetricSummary(after.n(), va);
        ReliabilityBins rb = ReliabilityBins.of(before.topLabel().confidences(), before.topLabel().correct(), bins);
        ReliabilityBins ra = after == null ? null
                : ReliabilityBins.of(after.topLabel().confidences(), after.topLabel().correct(), bins);
        double temperature = map instanceof TemperatureMap t ? t.temperature() : Double.NaN;
        return new AuditResult.TestSection(y.length, map == null ? CalibrationChoice.None.ID : map.method(),
                map == null ? null : map.describe() + (stored ? " (stored)" : ""), temperature,
                map == null ? Map.of() : map.parameters(), sb, sa, intervals, rb, ra,
                classRows(classes, y, before, after, bins), head == Head.SIGMOID ? Summaries.sigmoid(before.probabilities()) : null,
                Summaries.histogram((after == null ? before : after).probabilities().maxProbability()));
    }

    /** Per class: support, mean probability against frequency, its own ECE before and after, recall. */
    private static List<AuditResult.ClassRow> classRows(List<String> classes, int[] y, Predictions before,
                                                        Predictions after, int bins) {
        List<AuditResult.ClassRow> rows = new ArrayList<>();
        int[] pred = before.probabilities().argmax();
        for (int j = 0; j < classes.size(); j++) {
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
                    classEce(before.probabilities(), y, j, bins),
                    after == null ? Double.NaN : classEce(after.probabilities(), y, j, bins),
                    support == 0 ? Double.NaN : (double) hit / support));
        }
        return rows;
    }

    /** ECE of class j's own probability against "is class j", equal-width bins. */
    private static double classEce(Probabilities p, int[] y, int j, int bins) {
        double[] c = new double[y.length];
        boolean[] t = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            c[i] = p.get(i, j);
            t[i] = y[i] == j;
        }
        return CalibrationMetrics.ece(ReliabilityBins.of(c, t, bins));
    }
}
