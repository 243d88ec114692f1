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

/** The probes section (probes.jte): the probe and detection tables and the gallery of the most confident answers. Public because the precompiled templates live in another package. */
public record ProbesView(Probes probes, List<GallerySection> gallery) {

    /** The view of an audit result. */
    public static ProbesView of(AuditResult r) {
        return new ProbesView(probes(r), gallery(r));
    }

    /** One bar of a small histogram, height in percent of the tallest bar. */
    public record Bar(String height, String title) {
    }

    /**
     * One probe.
     *
     * @param css          the worst status of the probe's verdicts in lower case, or {@code none}
     * @param shareWidth   the overconfident share in percent, for the bar
     * @param topPredicted the class predicted most often and its share, e.g. {@code 4 (97.0%)}
     * @param histogram    the uncalibrated confidence histogram as bars
     */
    public record ProbeRow(String name, String kind, String description, boolean skipped, String skipReason,
                           String css, String count, String meanConfidence, String meanConfidenceCalibrated,
                           String share, String shareCalibrated, String shareWidth, String shareWidthCalibrated,
                           String accuracy, String ece, String eceCalibrated, String topPredicted,
                           List<Bar> histogram, String bestScore, String bestAuroc, String rowSum,
                           String noneShare) {
    }

    /** One score of one probe's detection table; {@code span} > 0 on the probe's first row. */
    public record OodRow(String probe, int span, String score, boolean best, String auroc, String auprIn,
                         String auprOut, String fpr95, String aurocCalibrated, String auprInCalibrated,
                         String auprOutCalibrated, String fpr95Calibrated) {
    }

    /**
     * The probe tables.
     *
     * @param threshold the overconfidence threshold, e.g. {@code 0.90}
     * @param sigmoid   whether any probe has one-vs-rest statistics (adds two columns)
     */
    public record Probes(boolean calibrated, boolean sigmoid, String threshold, List<ProbeRow> rows,
                         List<OodRow> ood, String testSigmoid) {
    }

    /** One thumbnail. */
    public record Thumb(String dataUri, String alt, String predicted, String confidence, String trueLabel) {
    }

    /** One item without an image, listed by its row in the set it came from. */
    public record ListedItem(String index, String predicted, String confidence, String trueLabel) {
    }

    /**
     * The items of one source, capped at {@link #GALLERY_CAP}: drawn as thumbnails when the audit kept their
     * images, listed as table rows when it has none (an audit of saved predictions).
     */
    public record GallerySection(String source, String note, List<Thumb> thumbs, List<ListedItem> rows, int total) {
        /** How many items the section shows, drawn or listed. */
        public int shown() {
            return thumbs.size() + rows.size();
        }
    }

    // ---------------------------------------------------------------- probes

    private static Probes probes(AuditResult r) {
        Map<String, Status> worstByProbe = new LinkedHashMap<>();
        for (Verdict v : r.verdicts()) {
            for (ProbeResult p : r.probes()) {
                if (v.check().startsWith("probe." + p.name() + ".")) {
                    worstByProbe.merge(p.name(), v.status(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
        boolean calibrated = r.test().calibrated() != null;
        boolean sigmoid = false;
        List<ProbeRow> rows = new ArrayList<>();
        List<OodRow> ood = new ArrayList<>();
        List<String> classes = r.model().classNames();
        for (ProbeResult p : r.probes()) {
            String css = worstByProbe.containsKey(p.name()) ? css(worstByProbe.get(p.name())) : "none";
            if (p.skipped()) {
                rows.add(new ProbeRow(p.name(), kind(p.kind()), nz(p.description()), true, Format.oneLine(p.skipReason()),
                        "skipped", "", "", "", "", "", "0", "0", "", "", "", "", List.of(), "", "", "", ""));
                continue;
            }
            sigmoid |= p.sigmoid() != null;
            String best = "";
            double bestAuroc = Double.NaN;
            if (p.ood() != null) {
                for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
                    double a = e.getValue().auroc();
                    if (Double.isFinite(a) && (best.isEmpty() || a > bestAuroc)) {
                        bestAuroc = a;
                        best = e.getKey();
                    }
                }
                int span = p.ood().uncalibrated().size();
                boolean first = true;
                for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
                    OodMetrics.Result u = e.getValue();
                    OodMetrics.Result c = p.ood().calibrated() == null ? null : p.ood().calibrated().get(e.getKey());
                    ood.add(new OodRow(p.name(), first ? span : 0, e.getKey(), e.getKey().equals(best),
                            Format.num(u.auroc()), Format.num(u.auprIn()), Format.num(u.auprOut()), Format.num(u.fpr95()),
                            c == null ? Format.MISSING : Format.num(c.auroc()),
                            c == null ? Format.MISSING : Format.num(c.auprIn()),
                            c == null ? Format.MISSING : Format.num(c.auprOut()),
                            c == null ? Format.MISSING : Format.num(c.fpr95())));
                    first = false;
                }
            }
            rows.add(new ProbeRow(p.name(), kind(p.kind()), nz(p.description()), false, "", css,
                    Format.count(p.count()), Format.num(p.meanConfidence()), Format.num(p.meanConfidenceCalibrated()),
                    Format.pct(p.overconfidentShare()), Format.pct(p.overconfidentShareCalibrated()),
                    width(p.overconfidentShare()), width(p.overconfidentShareCalibrated()),
                    p.labelled() ? Format.num(p.accuracy()) : "", p.labelled() ? Format.num(p.ece()) : "",
                    p.labelled() ? Format.num(p.eceCalibrated()) : "", Format.topPredicted(p.predictedHistogram(), classes, ""),
                    bars(p.confidenceHistogram()), best, Format.num(bestAuroc),
                    p.sigmoid() == null ? "" : Format.num(p.sigmoid().rowSumMean()),
                    p.sigmoid() == null ? "" : Format.pct(p.sigmoid().noneShare())));
        }
        String testSigmoid = r.test().sigmoid() == null ? "" : CalibrationView.sigmoidText("On the test split", r.test().sigmoid());
        return new Probes(calibrated, sigmoid, String.format(Locale.ROOT, "%.2f", r.settings().threshold()), rows,
                ood, testSigmoid);
    }


    private static String kind(String kind) {
        return kind == null ? "" : kind.replace('_', ' ');
    }

    private static String width(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f", 100 * Math.max(0, Math.min(1, share))) : "0";
    }


    private static List<Bar> bars(double[] histogram) {
        if (histogram == null || histogram.length == 0) {
            return List.of();
        }
        double max = 0;
        for (double h : histogram) {
            if (Double.isFinite(h)) {
                max = Math.max(max, h);
            }
        }
        List<Bar> out = new ArrayList<>();
        int b = histogram.length;
        for (int i = 0; i < b; i++) {
            double h = Double.isFinite(histogram[i]) ? histogram[i] : 0;
            double height = max > 0 ? 100 * h / max : 0;
            out.add(new Bar(String.format(Locale.ROOT, "%.0f", height), String.format(Locale.ROOT,
                    "confidence %.2f\u2013%.2f: %s", (double) i / b, (double) (i + 1) / b, Format.pct(h))));
        }
        return out;
    }

    // ---------------------------------------------------------------- gallery

    private static List<GallerySection> gallery(AuditResult r) {
        Map<String, List<AuditResult.GalleryItem>> bySource = new LinkedHashMap<>();
        for (AuditResult.GalleryItem g : r.gallery()) {
            bySource.computeIfAbsent(g.source(), k -> new ArrayList<>()).add(g);
        }
        List<GallerySection> out = new ArrayList<>();
        for (Map.Entry<String, List<AuditResult.GalleryItem>> e : bySource.entrySet()) {
            List<Thumb> thumbs = new ArrayList<>();
            List<ListedItem> rows = new ArrayList<>();
            for (AuditResult.GalleryItem g : e.getValue()) {
                if (thumbs.size() + rows.size() == GALLERY_CAP) {
                    break;
                }
                String alt = String.format(Locale.ROOT, "%s image %d, predicted %s with confidence %s%s", g.source(),
                        g.index(), g.predicted(), Format.num(g.confidence()),
                        g.trueLabel() == null ? "" : ", true class " + g.trueLabel());
                String trueLabel = g.trueLabel() == null ? "" : g.trueLabel();
                if (g.image().isPresent()) {
                    thumbs.add(new Thumb(dataUri(Thumbnails.png(g.image().get())), alt, g.predicted(),
                            Format.num(g.confidence()), trueLabel));
                } else {
                    rows.add(new ListedItem(Integer.toString(g.index()), g.predicted(), Format.num(g.confidence()), trueLabel));
                }
            }
            boolean test = "test".equals(e.getKey());
            String note = test ? "wrong predictions on the test split, most confident first"
                    : "the probe's most confident predictions";
            out.add(new GallerySection(e.getKey(), note, thumbs, rows, e.getValue().size()));
        }
        return out;
    }
}
