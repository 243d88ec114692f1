package org.calibkit.report.html;

import static org.calibkit.report.html.ReportView.*;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.charts.BinAccuracyIntervals;
import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.ReliabilityDiagram;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.TestSection;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.render.Fields;
import org.calibkit.report.render.Format;

/** The calibration section (calibration.jte): reliability diagrams, the metrics table with intervals, the per-class table. Public because the precompiled templates live in another package. */
public record CalibrationView(Reliability reliability, MetricsTable metrics, PerClass perClass) {

    /** The view of an audit result. */
    public static CalibrationView of(AuditResult r) {
        return new CalibrationView(reliability(r), metrics(r.test()), perClass(r.test()));
    }

    /** The reliability diagrams and sentences on the direction of miscalibration. */
    public record Reliability(List<Chart> charts, List<String> notes) {
    }

    /**
     * One metric of {@link Metrics#ALL}.
     *
     * @param change     {@code better}, {@code worse} or {@code same} (no change beyond noise); empty when not calibrated
     * @param changeText the change in words
     */
    public record MetricRow(String key, String name, String meaning, String before, String beforeInterval,
                            String after, String afterInterval, String difference, String differenceInterval,
                            String change, String changeText) {
    }

    /**
     * The metrics table.
     *
     * @param calibrated   whether there are after/difference columns
     * @param afterLabel   heading of the calibrated column
     * @param intervalNote how the intervals were made
     * @param changeSummary one honest sentence on what calibration did, or empty
     */
    public record MetricsTable(boolean calibrated, String afterLabel, String intervalNote, String changeSummary,
                               List<MetricRow> rows, List<String> notes) {
    }

    /** One class of the per-class table; {@code worst} marks the largest classwise ECE. */
    public record ClassRowView(String name, String support, String frequency, String meanProbability, String recall,
                               String ece, String eceCalibrated, boolean worst) {
    }

    /** The per-class table. */
    public record PerClass(boolean calibrated, List<ClassRowView> rows) {
    }

    // ---------------------------------------------------------------- reliability

    private static Reliability reliability(AuditResult r) {
        TestSection t = r.test();
        List<Chart> charts = new ArrayList<>();
        AuditResult.Statistics st = r.statistics();
        charts.add(chart("Before calibration", t.binsBefore(), st == null ? null : st.binsUncalibrated()));
        if (t.binsAfter() != null) {
            charts.add(chart("After calibration (" + t.method() + ")", t.binsAfter(),
                    st == null ? null : st.binsCalibrated()));
        }
        List<String> notes = new ArrayList<>();
        notes.add(direction("Before calibration", t.uncalibrated()));
        if (t.calibrated() != null) {
            notes.add(direction("After calibration", t.calibrated()));
        }
        notes.add("Bars: accuracy in each confidence bin; red: the gap to the bin's mean confidence (red above a "
                + "bar: overconfident there); dashed line: perfect calibration; grey strip: share of test images "
                + "per bin.");
        if (st != null) {
            notes.add(String.format(Locale.ROOT, "Whiskers: the %.0f%% Clopper-Pearson (exact binomial) interval of "
                    + "each bin's accuracy given its number of images; a bar whose whisker misses the bin's mean "
                    + "confidence is off by more than that bin's sampling noise. Each whisker holds for its bin alone.",
                    100 * st.level()));
        }
        return new Reliability(charts, notes);
    }

    private static Chart chart(String heading, ReliabilityBins bins, AuditResult.BinStats intervals) {
        ReliabilityDiagram d = ReliabilityDiagram.of(bins, heading);
        if (intervals != null) {
            d = d.withIntervals(BinAccuracyIntervals.of(intervals.clopperPearson()));
        }
        byte[] png = ChartRenderer.png(d, CHART_WIDTH, CHART_HEIGHT);
        return new Chart(heading, dataUri(png), ChartRenderer.describe(d), CHART_WIDTH / 2, CHART_HEIGHT / 2);
    }

    private static String direction(String when, MetricSummary s) {
        double signed = s.signedEce();
        if (!Double.isFinite(signed)) {
            return when + ": the direction of miscalibration could not be computed.";
        }
        String way = signed > 0 ? "overconfident: its mean confidence is above its accuracy"
                : signed < 0 ? "underconfident: its mean confidence is below its accuracy"
                : "neither over- nor underconfident on average";
        return String.format(Locale.ROOT, "%s the model is %s by %s (signed ECE %s).", when, way,
                Format.num(Math.abs(signed)), Format.signed(signed));
    }


    // ---------------------------------------------------------------- metrics

    private static MetricsTable metrics(TestSection t) {
        boolean calibrated = t.calibrated() != null;
        List<MetricRow> rows = new ArrayList<>();
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        List<String> same = new ArrayList<>();
        double level = Double.NaN;
        int resamples = 0;
        Bootstrap.Method method = Bootstrap.Method.PERCENTILE;
        for (Metric m : Metrics.ALL) {
            double before = t.uncalibrated().get(m.key());
            Bootstrap.Paired p = t.intervals().get(m.key());
            if (p != null) {
                level = p.before().level();
                resamples = p.before().resamples();
                method = p.before().method();
            }
            String beforeIv = p == null ? "" : Format.interval(p.before().lower(), p.before().upper());
            if (!calibrated) {
                rows.add(new MetricRow(m.key(), m.name(), m.meaning(), Format.num(before), beforeIv, "", "", "", "",
                        "", ""));
                continue;
            }
            double after = t.calibrated().get(m.key());
            String change;
            String text;
            if (p == null || !Double.isFinite(after) || !Double.isFinite(before)) {
                change = "";
                text = "no interval";
            } else if (!p.significant()) {
                change = "same";
                text = "within noise";
                same.add(m.name());
            } else {
                boolean improved = m.lowerIsBetter() ? Math.abs(after) < Math.abs(before) : after > before;
                change = improved ? "better" : "worse";
                text = improved ? "better" : "worse";
                (improved ? better : worse).add(m.name());
            }
            rows.add(new MetricRow(m.key(), m.name(), m.meaning(), Format.num(before), beforeIv, Format.num(after),
                    p == null ? "" : Format.interval(p.after().lower(), p.after().upper()),
                    Format.signed(after - before),
                    p == null ? "" : Format.interval(p.difference().lower(), p.difference().upper()), change, text));
        }
        String levelText = Double.isFinite(level) ? String.format(Locale.ROOT, "%.0f%%", 100 * level) : "";
        String intervalNote = Double.isFinite(level)
                ? String.format(Locale.ROOT, "Brackets: %s %s bootstrap intervals from %,d resamples of the "
                        + "%,d test images%s. %s", levelText, method == Bootstrap.Method.BCA ? "BCa" : "percentile",
                        resamples, t.n(),
                        calibrated ? "; the change is paired (both sides on the same resample), and it counts as "
                                + "real only when its interval excludes 0" : "", intervalCaveat(method))
                : "No bootstrap intervals were computed.";
        String summary = "";
        if (calibrated) {
            String what = t.calibration() != null ? t.calibration() : t.method();
            summary = String.format(Locale.ROOT, "Calibration (%s) made %d of %d metrics better beyond resampling "
                    + "noise%s, %d worse%s, and left %d unchanged within noise.", what, better.size(), rows.size(),
                    list(better), worse.size(), list(worse), same.size());
            if (!worse.isEmpty()) {
                summary += " A calibration fitted on the validation split can make some metrics worse on the test "
                        + "split, most often when the model was already well calibrated.";
            }
        }
        List<String> notes = new ArrayList<>();
        if (t.sigmoid() != null) {
            notes.add(sigmoidText("On the test split", t.sigmoid()));
        }
        return new MetricsTable(calibrated, calibrated ? "After " + t.method() : "", intervalNote, summary, rows,
                notes);
    }

    /** Why the intervals of the ECE family can sit beside their estimate, for the method shown. */
    static String intervalCaveat(Bootstrap.Method method) {
        String why = method == Bootstrap.Method.PERCENTILE
                ? "Percentile, not BCa: on a real MNIST CNN, BCa moved the intervals of the ECE family from above "
                        + "their estimate to below it instead of around it (docs/statistics.md). "
                : "BCa shifts intervals against the bias the bootstrap sees, so for the ECE family they can lie "
                        + "below their estimate. ";
        return why + "ECE-type metrics are biased upward (noise alone makes them positive), and resampling adds "
                + "that bias again, so an interval may lie above its own estimate, and may exclude the debiased "
                + "ECE, which estimates the bias in another way.";
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
    }

    static String sigmoidText(String where, AuditResult.SigmoidStats s) {
        double[] q = s.rowSumQuantiles();
        String quantiles = q != null && q.length == 5
                ? String.format(Locale.ROOT, " (5%%, 50%%, 95%% quantiles %s, %s, %s)", Format.num(q[0]),
                        Format.num(q[2]), Format.num(q[4]))
                : "";
        return String.format(Locale.ROOT, "%s the one-vs-rest probabilities of a row sum to %s on average%s; for "
                + "%s of the images no class exceeds 0.5 (the model says \u201cnone of these\u201d).", where,
                Format.num(s.rowSumMean()), quantiles, Format.pct(s.noneShare()));
    }


    // ---------------------------------------------------------------- per class

    private static PerClass perClass(TestSection t) {
        int worst = -1;
        for (int i = 0; i < t.perClass().size(); i++) {
            double e = t.perClass().get(i).ece();
            if (Double.isFinite(e) && (worst < 0 || e > t.perClass().get(worst).ece())) {
                worst = i;
            }
        }
        List<ClassRowView> rows = new ArrayList<>();
        for (int i = 0; i < t.perClass().size(); i++) {
            AuditResult.ClassRow c = t.perClass().get(i);
            rows.add(new ClassRowView(c.name(), Format.count(c.support()), Format.pct(c.frequency()),
                    Format.num(c.meanProbability()), Format.num(c.recall()), Format.num(c.ece()),
                    Format.num(c.eceCalibrated()), i == worst));
        }
        return new PerClass(t.calibrated() != null, rows);
    }
}
