package org.calibkit.report.html;

import static org.calibkit.report.html.ReportView.CHART_HEIGHT;
import static org.calibkit.report.html.ReportView.CHART_WIDTH;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.LineChart;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.render.Format;

/**
 * What monitor.jte shows: the alerts first, the time series charts, then one row per window.
 * Public because the precompiled templates live in another package.
 *
 * @param title     the page title
 * @param subtitle  what was monitored against what
 * @param headline  one sentence on the whole
 * @param alerts    every alert's message, in log order
 * @param charts    estimated against realised accuracy with the band; unfamiliar share and confidence
 * @param windows   one row per window
 */
public record MonitorView(String title, String subtitle, String headline, List<String> alerts,
                          List<ReportView.Chart> charts, List<Row> windows) {
    /** One window, formatted; {@code alert} marks a window with any alert. */
    public record Row(String index, String rows, String estimate, String band, String accuracy, String error,
                      String confidence, String unfamiliar, String classMixP, boolean alert) {
    }

    /** The view of a monitor result. */
    public static MonitorView of(MonitorResult r) {
        List<String> alerts = r.alerts().stream().map(MonitorResult.Alert::message).toList();
        int first = r.firstAlertWindow();
        String headline = alerts.isEmpty()
                ? String.format(Locale.ROOT, "No alert in %d windows of %s.", r.windows().size(), r.windowing())
                : String.format(Locale.ROOT, "%d alerts; the first in window %d of %d.", alerts.size(), first,
                r.windows().size());
        List<Row> rows = new ArrayList<>();
        for (MonitorResult.Window w : r.windows()) {
            boolean alert = r.alerts().stream().anyMatch(a -> a.window() == w.index());
            rows.add(new Row(w.index() + " (" + w.name() + ")", Format.count(w.rows()), Format.pct(w.primary().accuracy()),
                    Format.pct(w.bandLower()), w.labelled() == 0 ? Format.MISSING : Format.pct(w.accuracy()),
                    Double.isNaN(w.estimateError()) ? Format.MISSING : String.format(Locale.ROOT, "%.1f", 100 * w.estimateError()),
                    Format.pct(w.meanConfidence()), Format.pct(w.unfamiliarShare()),
                    String.format(Locale.ROOT, "%.2g", w.classMixP()), alert));
        }
        String subtitle = String.format(Locale.ROOT, "%s: %d windows of %s against a reference of %s validation "
                        + "rows (accuracy %s, %s, estimator %s)", r.source(), r.windows().size(), r.windowing(),
                Format.count(r.referenceRows()), Format.pct(r.referenceAccuracy()), r.calibration(), r.primary());
        return new MonitorView("calibkit monitor", subtitle, headline, alerts, charts(r), rows);
    }

    private static List<ReportView.Chart> charts(MonitorResult r) {
        int n = r.windows().size();
        double[] x = new double[n];
        double[] est = new double[n];
        double[] band = new double[n];
        double[] conf = new double[n];
        double[] unfamiliar = new double[n];
        double[] limit = new double[n];
        List<Double> lx = new ArrayList<>();
        List<Double> ly = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MonitorResult.Window w = r.windows().get(i);
            x[i] = w.index();
            est[i] = w.primary().accuracy();
            band[i] = w.bandLower();
            conf[i] = w.meanConfidence();
            unfamiliar[i] = w.unfamiliarShare();
            limit[i] = w.unfamiliarLimit();
            if (w.labelled() > 0) {
                lx.add(x[i]);
                ly.add(w.accuracy());
            }
        }
        List<LineChart.Curve> acc = new ArrayList<>(List.of(new LineChart.Curve("Estimated accuracy (" + r.primary() + ")",
                x, est, false), new LineChart.Curve("Alert below", x, band, true)));
        if (!lx.isEmpty()) {
            acc.add(new LineChart.Curve("Realised accuracy (labelled rows)", lx.stream().mapToDouble(Double::doubleValue).toArray(),
                    ly.stream().mapToDouble(Double::doubleValue).toArray(), false));
        }
        List<ReportView.Chart> charts = new ArrayList<>();
        charts.add(chart("Accuracy per window", LineChart.lines("Accuracy per window", "window", "Accuracy", acc)));
        charts.add(chart("Confidence and unfamiliar inputs per window", LineChart.lines("Confidence and unfamiliar inputs",
                "window", "Share", List.of(new LineChart.Curve("Mean confidence (calibrated)", x, conf, false),
                        new LineChart.Curve("Unfamiliar share", x, unfamiliar, false),
                        new LineChart.Curve("Unfamiliar: alert above", x, limit, true)))));
        return charts;
    }

    private static ReportView.Chart chart(String heading, LineChart c) {
        byte[] png = ChartRenderer.png(c, CHART_WIDTH, CHART_HEIGHT);
        return new ReportView.Chart(heading, ReportView.dataUri(png), ChartRenderer.describe(c), CHART_WIDTH / 2,
                CHART_HEIGHT / 2);
    }
}
