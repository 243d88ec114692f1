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
 * @param summary     verdict counts, the worst finding, the headline numbers
 * @param verdicts    every verdict, worst first
 * @param reliability the reliability diagrams before and after calibration
 * @param metrics     every metric of {@link Metrics#ALL} with intervals and the change
 * @param perClass    per-class calibration
 * @param probes      the probe tables
 * @param gallery     thumbnails of the most overconfident inputs, per source
 * @param inputRange  the input-range check
 * @param provenance  groups of facts: model, data, settings, run
 * @param statistics  calibration tests, bin intervals, conformal sets, selective prediction
 */
public record ReportView(String title, String subtitle, Summary summary, List<VerdictRow> verdicts,
                         Reliability reliability, MetricsTable metrics, PerClass perClass, Probes probes,
                         List<GallerySection> gallery, InputRangeView inputRange, List<FactGroup> provenance,
                         StatisticsView statistics) {

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

    /** How many verdicts have one status; {@code css} is the status in lower case. */
    public record StatusCount(String css, String label, long count) {
    }

    /**
     * The top of the page.
     *
     * @param counts   verdicts per status, worst first
     * @param headline one sentence on the whole
     * @param worst    the worst verdict, or null when there are none
     * @param figures  the test split's headline numbers
     */
    public record Summary(List<StatusCount> counts, String headline, VerdictRow worst, List<Fact> figures) {
    }

    /** One verdict, formatted. {@code css} is the status in lower case. */
    public record VerdictRow(String css, String status, String check, String title, String value, String threshold,
                             String interval, String reason) {
    }

    /** A chart as a PNG data URI with its alternative text. */
    public record Chart(String heading, String dataUri, String alt, int width, int height) {
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

    /** Thumbnails of one source, capped at {@link #GALLERY_CAP}. */
    public record GallerySection(String source, String note, List<Thumb> thumbs, int total) {
    }

    /** The input-range check; {@code present} false when the preprocessing is unknown. */
    public record InputRangeView(boolean present, boolean ok, String message, String fix, List<Fact> facts) {
    }

    /** The view of an audit result. */
    public static ReportView of(AuditResult r) {
        TestSection t = r.test();
        boolean calibrated = t.calibrated() != null;
        List<VerdictRow> verdicts = new ArrayList<>();
        for (Verdict v : r.verdicts()) {
            verdicts.add(verdictRow(v));
        }
        String subtitle = String.format(Locale.ROOT, "%s model (%s head, outputs %s) on %s: %s test images%s",
                r.model().kind(), r.model().head(), r.model().outputKind(), r.data().dataset(),
                Format.count(r.data().testCount()),
                r.data().validationCount() > 0
                        ? ", calibration fitted on " + Format.count(r.data().validationCount()) + " validation images"
                        : "");
        return new ReportView("calibkit audit: " + r.model().name(), subtitle, summary(r, verdicts), verdicts,
                reliability(r), metrics(t), perClass(t), probes(r), gallery(r), inputRange(r), provenance(r),
                StatisticsView.of(r));
    }

    // ---------------------------------------------------------------- summary

    private static VerdictRow verdictRow(Verdict v) {
        return new VerdictRow(css(v.status()), Format.status(v.status()), v.check(), v.title(), Format.num(v.value()),
                Format.thresholds(v.warnAt(), v.failAt()), Format.interval(v.lower(), v.upper()),
                Format.oneLine(v.reason()));
    }

    private static String css(Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static Summary summary(AuditResult r, List<VerdictRow> rows) {
        List<StatusCount> counts = new ArrayList<>();
        Status[] worstFirst = {Status.FAIL, Status.WARN, Status.INFO, Status.PASS};
        for (Status s : worstFirst) {
            counts.add(new StatusCount(css(s), s.name().toLowerCase(Locale.ROOT), r.count(s)));
        }
        int worstIndex = worstIndex(r.verdicts());
        VerdictRow worst = worstIndex < 0 ? null : rows.get(worstIndex);
        String headline;
        long fail = r.count(Status.FAIL);
        long warn = r.count(Status.WARN);
        if (r.verdicts().isEmpty()) {
            headline = "No checks were run.";
        } else if (fail > 0) {
            headline = String.format(Locale.ROOT, "%s of %d checks fail%s: do not take this model's probabilities "
                    + "at face value where they fail.", fail, r.verdicts().size(),
                    warn > 0 ? " and " + warn + " warn" : "");
        } else if (warn > 0) {
            headline = String.format(Locale.ROOT, "No check fails; %d of %d warn: read those before trusting the "
                    + "probabilities.", warn, r.verdicts().size());
        } else {
            headline = String.format(Locale.ROOT, "All %d checks pass.", r.verdicts().size());
        }
        TestSection t = r.test();
        List<Fact> figures = new ArrayList<>();
        for (String key : List.of("accuracy", "ece")) {
            Metric m = Metrics.byKey(key);
            String value = Format.num(t.uncalibrated().get(key));
            if (t.calibrated() != null) {
                value += " \u2192 " + Format.num(t.calibrated().get(key));
            }
            figures.add(new Fact(m.name() + " (test)", value));
        }
        figures.add(new Fact("Calibration", t.calibration() != null ? t.calibration() : t.method()));
        return new Summary(counts, headline, worst, figures);
    }

    /** Index of the first verdict with the worst status, -1 when there are none. */
    static int worstIndex(List<Verdict> verdicts) {
        int worst = -1;
        for (int i = 0; i < verdicts.size(); i++) {
            if (worst < 0 || verdicts.get(i).status().compareTo(verdicts.get(worst).status()) > 0) {
                worst = i;
            }
        }
        return worst;
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

    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
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

    private static String sigmoidText(String where, AuditResult.SigmoidStats s) {
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
                    p.labelled() ? Format.num(p.eceCalibrated()) : "", topPredicted(p.predictedHistogram(), classes),
                    bars(p.confidenceHistogram()), best, Format.num(bestAuroc),
                    p.sigmoid() == null ? "" : Format.num(p.sigmoid().rowSumMean()),
                    p.sigmoid() == null ? "" : Format.pct(p.sigmoid().noneShare())));
        }
        String testSigmoid = r.test().sigmoid() == null ? "" : sigmoidText("On the test split", r.test().sigmoid());
        return new Probes(calibrated, sigmoid, String.format(Locale.ROOT, "%.2f", r.settings().threshold()), rows,
                ood, testSigmoid);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String kind(String kind) {
        return kind == null ? "" : kind.replace('_', ' ');
    }

    private static String width(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f", 100 * Math.max(0, Math.min(1, share))) : "0";
    }

    private static String topPredicted(int[] histogram, List<String> classes) {
        if (histogram == null || histogram.length == 0) {
            return "";
        }
        int top = 0;
        long total = 0;
        for (int j = 0; j < histogram.length; j++) {
            total += histogram[j];
            if (histogram[j] > histogram[top]) {
                top = j;
            }
        }
        if (total == 0) {
            return "";
        }
        String name = top < classes.size() ? classes.get(top) : Integer.toString(top);
        return name + " (" + Format.pct((double) histogram[top] / total) + ")";
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
            for (AuditResult.GalleryItem g : e.getValue()) {
                if (thumbs.size() == GALLERY_CAP) {
                    break;
                }
                if (g.image().isEmpty()) {
                    continue;
                }
                String alt = String.format(Locale.ROOT, "%s image %d, predicted %s with confidence %s%s", g.source(),
                        g.index(), g.predicted(), Format.num(g.confidence()),
                        g.trueLabel() == null ? "" : ", true class " + g.trueLabel());
                thumbs.add(new Thumb(dataUri(Thumbnails.png(g.image().get())), alt, g.predicted(), Format.num(g.confidence()),
                        g.trueLabel() == null ? "" : g.trueLabel()));
            }
            boolean test = "test".equals(e.getKey());
            String note = test ? "wrong predictions on the test split, most confident first"
                    : "the probe's most confident predictions";
            out.add(new GallerySection(e.getKey(), note, thumbs, e.getValue().size()));
        }
        return out;
    }

    // ---------------------------------------------------------------- input range, provenance

    private static InputRangeView inputRange(AuditResult r) {
        AuditResult.InputRange in = r.inputRange();
        if (in == null) {
            return new InputRangeView(false, false, "Not checked: the model's preprocessing is unknown.", "",
                    List.of());
        }
        List<Fact> facts = List.of(
                new Fact("Pixels seen", "min " + plain(in.min()) + ", max " + plain(in.max()) + ", mean "
                        + plain(in.mean())),
                new Fact("Model expects", plain(in.expectedMin()) + " to " + plain(in.expectedMax())));
        return new InputRangeView(true, in.ok(), nz(in.message()), nz(in.fix()), facts);
    }

    private static String plain(double v) {
        if (!Double.isFinite(v)) {
            return Format.MISSING;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static List<FactGroup> provenance(AuditResult r) {
        List<FactGroup> groups = new ArrayList<>();
        AuditResult.ModelInfo m = r.model();
        List<Fact> model = new ArrayList<>();
        model.add(new Fact("Name", m.name()));
        model.add(new Fact("File", nz(m.location()), true));
        model.add(new Fact("SHA-256", m.sha256() == null ? "unknown" : m.sha256(), m.sha256() != null));
        model.add(new Fact("Kind", nz(m.kind())));
        model.add(new Fact("Head", nz(m.head())));
        model.add(new Fact("Output", nz(m.outputKind())));
        model.add(new Fact("Classes", m.classNames().size() + ": " + String.join(", ", m.classNames())));
        model.add(new Fact("Preprocessing", m.preprocessing() == null ? "unknown" : m.preprocessing()));
        m.details().forEach((k, v) -> model.add(new Fact(k, nz(v))));
        groups.add(new FactGroup("Model", model));

        AuditResult.DataInfo d = r.data();
        groups.add(new FactGroup("Data", List.of(
                new Fact("Data set", d.dataset()),
                new Fact("Location", nz(d.location()), true),
                new Fact("Test images", Format.count(d.testCount())),
                new Fact("Validation images (calibration fit)", Format.count(d.validationCount())),
                new Fact("SHA-256", d.sha256() == null ? "unknown" : d.sha256(), d.sha256() != null),
                new Fact("Checksums verified", d.verified() ? "yes" : "no"))));

        AuditResult.Settings s = r.settings();
        List<Fact> settings = new ArrayList<>();
        settings.add(new Fact("Calibration", s.calibration()));
        settings.add(new Fact("Overconfidence threshold", String.format(Locale.ROOT, "%.2f", s.threshold())));
        settings.add(new Fact("Bins", Integer.toString(s.bins())));
        settings.add(new Fact("Images per generated probe", Format.count(s.probeSize())));
        settings.add(new Fact("Seed", Long.toString(s.seed())));
        settings.add(new Fact("Bootstrap", String.format(Locale.ROOT, "%,d resamples, level %.2f", s.resamples(),
                s.level())));
        settings.add(new Fact("Probes asked for", String.join(", ", s.probes())));
        if (s.thresholds() != null) {
            Fields.thresholds(s.thresholds()).forEach((k, v) -> settings.add(new Fact("Threshold " + k,
                    Format.threshold(v))));
        }
        groups.add(new FactGroup("Settings", settings));

        AuditResult.Provenance p = r.provenance();
        List<Fact> run = new ArrayList<>();
        run.add(new Fact("calibkit", nz(p.calibkitVersion())));
        run.add(new Fact("Date", nz(p.createdAt())));
        run.add(new Fact("Java", nz(p.javaVersion())));
        run.add(new Fact("Wall time", Format.seconds(p.seconds())));
        p.timings().forEach((k, v) -> run.add(new Fact("  " + k, Format.seconds(v == null ? Double.NaN : v))));
        groups.add(new FactGroup("Run", run));
        return groups;
    }
}
