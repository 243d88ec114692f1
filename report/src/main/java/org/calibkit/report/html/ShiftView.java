package org.calibkit.report.html;

import static org.calibkit.report.html.ReportView.CHART_HEIGHT;
import static org.calibkit.report.html.ReportView.CHART_WIDTH;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.LineChart;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Format;
import org.calibkit.report.shift.ShiftSection;
import org.calibkit.report.shift.SweepResult;

/**
 * The shift section (shift.jte): per sweep family, accuracy, mean confidence and ECE before and
 * after calibration against the shift's intensity (Ovadia et al. 2019; corruptions as the median
 * over corruptions per severity, with the worst corruption's ECE), the label-free estimates
 * against the true accuracy, and the estimators' errors. Public because the precompiled
 * templates live in another package.
 *
 * @param calibration what the "after" curves are (the map fitted on clean data)
 * @param charts      one chart per family, then the estimated-vs-true scatter
 * @param estimators  one row per estimator, lowest mean error first (empty without a validation split)
 * @param sentence    the estimators in words, or empty
 * @param examples    one test image under every corruption (rows) and severity (columns, clean first), or null
 */
public record ShiftView(String calibration, List<ReportView.Chart> charts, List<EstimatorRow> estimators,
                        String sentence, ReportView.Chart examples, String eceSentence) {
    /** Estimators shown in the scatter at most (the best ones). */
    static final int SCATTER = 3;

    /** One estimator's errors over every sweep point, in percentage points. */
    public record EstimatorRow(String estimator, String sets, String mae, String worst, String worstSet, boolean best) {
    }

    /** The view, or null when the audit ran no sweep. */
    public static ShiftView of(AuditResult r) {
        ShiftSection s = r.shift();
        if (s == null) {
            return null;
        }
        List<ReportView.Chart> charts = new ArrayList<>();
        Map<String, List<SweepResult.PointResult>> families = new LinkedHashMap<>();
        for (SweepResult.PointResult p : s.sweeps().points()) {
            String family = p.sweep().contains("/") ? p.sweep().substring(0, p.sweep().indexOf('/')) : p.sweep();
            families.computeIfAbsent(family, k -> new ArrayList<>()).add(p);
        }
        families.forEach((family, points) -> charts.add(familyChart(family, points)));
        List<EstimatorRow> rows = new ArrayList<>();
        String sentence = "";
        if (s.estimates() != null) {
            boolean first = true;
            for (EstimatorCheck.Summary sum : s.estimates().summaries()) {
                rows.add(new EstimatorRow(sum.estimator(), Integer.toString(sum.sets()), points(sum.mae()),
                        points(sum.worst()), sum.worstSet(), first));
                first = false;
            }
            sentence = s.estimates().sentence();
            charts.add(scatter(s.estimates()));
        }
        ReportView.Chart examples = s.examples().map(g -> new ReportView.Chart("One test image under each corruption",
                ReportView.dataUri(Thumbnails.png(g.channels(), g.height(), g.width(), g.values())),
                "Test image 0: clean, then severities 1 to 5, one row per corruption: " + String.join(", ", g.rows()),
                g.width(), g.height())).orElse(null);
        return new ShiftView(s.sweeps().calibration(), charts, rows, sentence, examples,
                s.ece() == null ? "" : s.ece().sentence());
    }

    private static String points(double share) {
        return Double.isFinite(share) ? String.format(java.util.Locale.ROOT, "%.1f", 100 * share) : Format.MISSING;
    }

    /** Accuracy, mean confidence and ECE before (solid) and after (dashed) against intensity; medians per severity. */
    private static ReportView.Chart familyChart(String family, List<SweepResult.PointResult> points) {
        TreeMap<Double, List<SweepResult.PointResult>> byIntensity = new TreeMap<>();
        points.forEach(p -> byIntensity.computeIfAbsent(p.intensity(), k -> new ArrayList<>()).add(p));
        int n = byIntensity.size();
        double[] x = new double[n];
        double[][] y = new double[6][n];
        int i = 0;
        for (Map.Entry<Double, List<SweepResult.PointResult>> e : byIntensity.entrySet()) {
            x[i] = e.getKey();
            List<SweepResult.PointResult> at = e.getValue();
            y[0][i] = median(at, p -> p.before().accuracy());
            y[1][i] = median(at, p -> p.before().meanConfidence());
            y[2][i] = median(at, p -> p.after().meanConfidence());
            y[3][i] = median(at, p -> p.before().ece());
            y[4][i] = median(at, p -> p.after().ece());
            y[5][i] = at.stream().mapToDouble(p -> p.after().ece()).max().orElse(Double.NaN);
            i++;
        }
        boolean corruptions = byIntensity.firstEntry().getValue().size() > 1;
        String unit = points.get(0).unit();
        List<LineChart.Curve> curves = new ArrayList<>(List.of(new LineChart.Curve("Accuracy", x, y[0], false),
                new LineChart.Curve("Mean confidence", x, y[1], false),
                new LineChart.Curve("Mean confidence, calibrated", x, y[2], true),
                new LineChart.Curve("ECE", x, y[3], false), new LineChart.Curve("ECE, calibrated", x, y[4], true)));
        if (corruptions) {
            curves.add(new LineChart.Curve("ECE, calibrated, worst corruption", x, y[5], true));
        }
        String title = family + (corruptions ? " (median over " + byIntensity.firstEntry().getValue().size()
                + " corruptions)" : "");
        LineChart chart = LineChart.lines(title, unit, "Share", curves);
        byte[] png = ChartRenderer.png(chart, CHART_WIDTH, CHART_HEIGHT);
        return new ReportView.Chart("Along the " + family + " sweep", ReportView.dataUri(png), ChartRenderer.describe(chart),
                CHART_WIDTH / 2, CHART_HEIGHT / 2);
    }

    /** The best estimators' estimates against the true accuracy on every sweep point. */
    private static ReportView.Chart scatter(EstimatorCheck.Result check) {
        List<LineChart.Curve> curves = new ArrayList<>();
        for (EstimatorCheck.Summary sum : check.summaries().subList(0, Math.min(SCATTER, check.summaries().size()))) {
            List<EstimatorCheck.Row> rows = check.rows().stream().filter(r -> r.estimator().equals(sum.estimator())).toList();
            double[] truth = rows.stream().mapToDouble(EstimatorCheck.Row::truth).toArray();
            double[] est = rows.stream().mapToDouble(r -> r.estimate().accuracy()).toArray();
            curves.add(new LineChart.Curve(sum.estimator(), truth, est, false));
        }
        LineChart chart = LineChart.scatter("Estimated against true accuracy", "True accuracy (from the labels)",
                "Estimated accuracy (no labels)", curves);
        byte[] png = ChartRenderer.png(chart, CHART_WIDTH, CHART_HEIGHT);
        return new ReportView.Chart("Accuracy estimated without labels", ReportView.dataUri(png),
                ChartRenderer.describe(chart), CHART_WIDTH / 2, CHART_HEIGHT / 2);
    }

    private static double median(List<SweepResult.PointResult> at, java.util.function.ToDoubleFunction<SweepResult.PointResult> f) {
        double[] a = at.stream().mapToDouble(f).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
