package org.calibkit.report.html;

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

/**
 * What the HTML template shows, as text: an {@link AuditResult} with every number formatted,
 * every chart encoded as a PNG data URI and every sentence written, so the template
 * ({@code src/main/jte/report.jte}) only lays it out and escapes it. Public because the
 * precompiled template classes live in another package; callers use {@link HtmlReport}.
 *
 * @param title       the page title
 * @param subtitle    what was audited on what
 * @param summary     verdict counts, the worst finding, the headline numbers, every verdict
 * @param doctor      the doctor's quick input check, or null when it did not run
 * @param calibration the reliability diagrams, the metrics with intervals, per-class calibration
 * @param probes      the probe tables and the gallery
 * @param shift       the shift sweeps and label-free estimates, or null when none ran
 * @param provenance  the input-range check and the facts: model, data, settings, run
 * @param statistics  calibration tests, bin intervals, conformal sets, selective prediction
 */
public record ReportView(String title, String subtitle, SummaryView summary, DoctorView doctor, CalibrationView calibration,
                         StatisticsView statistics, ProbesView probes, ShiftView shift, ProvenanceView provenance) {

    /** Thumbnails shown per gallery section at most. */
    public static final int GALLERY_CAP = org.calibkit.report.audit.Audit.GALLERY_PER_SECTION;

    /** Width and height, in pixels, of the reliability diagram PNGs (shown at half size: sharp on high-DPI screens). */
    static final int CHART_WIDTH = 880;
    static final int CHART_HEIGHT = 760;

    /** A label and its value; {@code mono} for checksums and paths (set in a fixed-width font). */
    public record Fact(String label, String value, boolean mono) {
        public Fact(String label, String value) {
            this(label, value, false);
        }
    }

    /** A titled list of facts. */
    public record FactGroup(String title, List<Fact> facts) {
    }

    /** A chart as a PNG data URI with its alternative text. */
    public record Chart(String heading, String dataUri, String alt, int width, int height) {
    }

    /** The view of an audit result. */
    public static ReportView of(AuditResult r) {
        String subtitle = String.format(Locale.ROOT, "%s model (%s head, outputs %s) on %s: %s test images%s",
                r.model().kind(), r.model().head(), r.model().outputKind(), r.data().dataset(),
                Format.count(r.data().testCount()),
                r.data().validationCount() > 0
                        ? ", calibration fitted on " + Format.count(r.data().validationCount()) + " validation images"
                        : "");
        return new ReportView("calibkit audit: " + r.model().name(), subtitle, SummaryView.of(r), DoctorView.of(r),
                CalibrationView.of(r),
                StatisticsView.of(r), ProbesView.of(r), ShiftView.of(r), ProvenanceView.of(r));
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static String css(Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** A chart's PNG as a data URI. */
    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

}
