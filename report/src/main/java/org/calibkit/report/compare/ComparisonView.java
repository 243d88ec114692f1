// Over 400 lines: the comparison page has one view (one template); its row records and their formatting belong together.
package org.calibkit.report.compare;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.calibkit.calibration.ood.OodScore;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.ReliabilityDiagram;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.audit.AuditResult.TestSection;
import org.calibkit.report.html.ReportView.Fact;
import org.calibkit.report.html.ReportView.FactGroup;
import org.calibkit.report.render.Format;

/**
 * What the comparison page shows, as text: a {@link Comparison} with every number formatted, the
 * best column of each row marked, every chart encoded as a PNG data URI, so the template
 * ({@code src/main/jte/compare.jte}) only lays it out and escapes it. Public because the
 * precompiled template classes live in another package; callers use {@link ComparisonHtml}.
 *
 * @param title       the page title
 * @param subtitle    what was compared on what
 * @param columns     one per model, in order
 * @param highlights  which model is best at what, one line each
 * @param test        the test split: head, accuracy, ECE and NLL before and after calibration, temperature
 * @param probes      probes without the model's classes (no signal, preprocessing, other data sets): confidence
 * @param shift       probes with the model's classes (changed test images, other digits): calibration under shift
 * @param skipped     probes that did not run, with the reason
 * @param ood         per probe, the AUROC of every score
 * @param charts      reliability diagrams, one row per stage (as the model is, after calibration)
 * @param notes       how to read the tables
 * @param provenance  data, settings, and each model's file and training facts
 */
public record ComparisonView(String title, String subtitle, List<Column> columns, List<Fact> highlights,
                             List<Row> test, List<Row> probes, List<Row> shift, List<Fact> skipped,
                             List<OodGroup> ood, List<ChartRow> charts, Notes notes, List<FactGroup> provenance) {

    /** Width and height, in pixels, of each reliability diagram PNG (shown at half size). */
    static final int CHART_WIDTH = 560;
    static final int CHART_HEIGHT = 480;

    /** One model. {@code head} is its head ({@code softmax}, {@code sigmoid}). */
    public record Column(int number, String name, String variant, String head) {
    }

    /** One cell: the value, smaller lines under it, and whether it is the best of its row. */
    public record Cell(String value, List<String> details, boolean best) {
    }

    /** One row: a label, a line explaining it (may be empty), a cell per model. */
    public record Row(String key, String label, String help, List<Cell> cells) {
    }

    /** The detection rows of one probe (one row per score). */
    public record OodGroup(String probe, String kind, List<Row> rows) {
    }

    /** A chart as a PNG data URI with its alternative text. */
    public record Chart(String heading, String dataUri, String alt, int width, int height) {
    }

    /** The diagrams of one stage, one per model. */
    public record ChartRow(String stage, List<Chart> charts) {
    }

    /** Sentences under the tables. */
    public record Notes(String test, String probes, String ood, String charts) {
    }

    /** The view of a comparison. */
    public static ComparisonView of(Comparison c) {
        List<AuditResult> a = c.audits();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            AuditResult.ModelInfo m = a.get(i).model();
            columns.add(new Column(i + 1, m.name(), Comparison.variant(m), m.head() == null ? "" : m.head()));
        }
        AuditResult.DataInfo d = c.data();
        String subtitle = String.format(Locale.ROOT, "%d models on %s: %s test images%s; the same %d probes for every model",
                a.size(), d.dataset(), Format.count(d.testCount()),
                d.validationCount() > 0 ? ", calibration fitted on " + Format.count(d.validationCount())
                        + " validation images" : ", not calibrated (no validation split)", c.probeNames().size());
        List<Fact> skipped = new ArrayList<>();
        for (ProbeResult p : a.get(0).probes()) {
            if (p.skipped()) {
                skipped.add(new Fact(p.name(), Format.oneLine(p.skipReason())));
            }
        }
        return new ComparisonView("calibkit comparison: " + a.size() + " models", subtitle, columns, highlights(c),
                test(c), probes(c, false), probes(c, true), skipped, ood(c), charts(c), notes(c), provenance(c));
    }

    // ---------------------------------------------------------------- test split

    private static List<Row> test(Comparison c) {
        List<AuditResult> a = c.audits();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("head", "Head", "softmax: probabilities that sum to 1; sigmoid: one independent probability "
                + "per class (one-vs-rest)", cells(a, r -> new Cell(r.model().head() == null ? Format.MISSING
                : r.model().head(), List.of(), false))));
        boolean anyCalibrated = a.stream().anyMatch(r -> r.test().calibrated() != null);
        for (String key : Comparison.METRICS) {
            var metric = Metrics.byKey(key);
            boolean lower = metric.lowerIsBetter();
            rows.add(metricRow(a, key, metric.name() + (anyCalibrated && !key.equals("accuracy") ? ", as the model is" : ""),
                    metric.meaning(), lower, false));
            if (anyCalibrated && !key.equals("accuracy")) {
                rows.add(metricRow(a, key, metric.name() + ", after calibration", "fitted on the validation split, "
                        + "measured on test", lower, true));
            }
        }
        rows.add(new Row("temperature", "Temperature T", "T > 1: the model was overconfident on validation; T < 1: "
                + "underconfident", cells(a, r -> new Cell(Format.num(r.test().temperature()),
                r.test().calibration() == null || Double.isFinite(r.test().temperature()) ? List.of()
                        : List.of(r.test().calibration()), false))));
        if (a.stream().anyMatch(r -> r.test().sigmoid() != null)) {
            rows.add(new Row("none_share", "\u201cNone of these\u201d on test", "sigmoid heads: share of test images for "
                    + "which no class exceeds 0.5 (lower is better: these are digits)",
                    marked(a, r -> r.test().sigmoid() == null ? Double.NaN : r.test().sigmoid().noneShare(), true,
                            (r, v) -> new Cell(Format.pct(v), List.of(), false))));
        }
        return rows;
    }

    private static Row metricRow(List<AuditResult> a, String key, String label, String help, boolean lowerIsBetter,
                                 boolean after) {
        return new Row(key + (after ? "_calibrated" : ""), label, help, marked(a, r -> {
            MetricSummary s = after ? r.test().calibrated() : r.test().uncalibrated();
            return s == null ? Double.NaN : s.get(key);
        }, lowerIsBetter, (r, v) -> {
            List<String> details = new ArrayList<>();
            Bootstrap.Paired p = r.test().intervals().get(key);
            TestSection t = r.test();
            if (p != null && Double.isFinite(v) && (!after || t.calibrated() != null)) {
                Bootstrap.Interval iv = after ? p.after() : p.before();
                String s = Format.interval(iv.lower(), iv.upper());
                if (!s.isEmpty()) {
                    details.add(s);
                }
            }
            if (key.equals("ece") && Double.isFinite(v)) {
                MetricSummary s = after ? t.calibrated() : t.uncalibrated();
                double signed = s.signedEce();
                if (Double.isFinite(signed) && Math.abs(signed) >= 5e-5) {
                    details.add((signed > 0 ? "overconfident " : "underconfident ") + Format.signed(signed));
                }
            }
            if (after && t.calibrated() == null) {
                details.add("not calibrated");
            }
            return new Cell(Format.num(v), details, false);
        }));
    }

    // ---------------------------------------------------------------- probes

    private static List<Row> probes(Comparison c, boolean labelled) {
        List<AuditResult> a = c.audits();
        List<Row> rows = new ArrayList<>();
        List<String> names = c.probeNames();
        for (int j = 0; j < names.size(); j++) {
            ProbeResult first = a.get(0).probes().get(j);
            if (first.skipped() || first.labelled() != labelled) {
                continue;
            }
            final int pj = j;
            String help = kind(first.kind()) + ": " + (first.description() == null ? "" : first.description());
            if (!labelled) {
                rows.add(new Row(first.name(), first.name(), help, marked(a, r -> r.probes().get(pj).meanConfidence(),
                        true, (r, v) -> {
                            ProbeResult p = r.probes().get(pj);
                            List<String> details = new ArrayList<>();
                            details.add("confident: " + Format.pct(p.overconfidentShare()));
                            if (Double.isFinite(p.meanConfidenceCalibrated())) {
                                details.add("calibrated: " + Format.num(p.meanConfidenceCalibrated()) + ", "
                                        + Format.pct(p.overconfidentShareCalibrated()));
                            }
                            if (p.sigmoid() != null) {
                                details.add("none of these: " + Format.pct(p.sigmoid().noneShare()));
                            }
                            details.add("mostly " + Format.topPredicted(p.predictedHistogram(), r.model().classNames(), Format.MISSING));
                            return new Cell(Format.num(v), details, false);
                        })));
            } else {
                rows.add(new Row(first.name(), first.name(), help, marked(a, r -> r.probes().get(pj).ece(), true,
                        (r, v) -> {
                            ProbeResult p = r.probes().get(pj);
                            List<String> details = new ArrayList<>();
                            details.add("accuracy " + Format.num(p.accuracy()));
                            details.add("mean confidence " + Format.num(p.meanConfidence()));
                            if (Double.isFinite(p.eceCalibrated())) {
                                details.add("ECE calibrated " + Format.num(p.eceCalibrated()));
                            }
                            return new Cell(Format.num(v), details, false);
                        })));
            }
        }
        return rows;
    }


    private static String kind(String kind) {
        return kind == null ? "" : kind.replace('_', ' ');
    }

    // ---------------------------------------------------------------- detection

    private static List<OodGroup> ood(Comparison c) {
        List<AuditResult> a = c.audits();
        List<OodGroup> groups = new ArrayList<>();
        List<String> names = c.probeNames();
        for (int j = 0; j < names.size(); j++) {
            ProbeResult first = a.get(0).probes().get(j);
            if (first.skipped() || first.ood() == null) {
                continue;
            }
            final int pj = j;
            List<Row> rows = new ArrayList<>();
            for (String score : Comparison.SCORES) {
                rows.add(new Row(score, score, "", marked(a, r -> auroc(r.probes().get(pj), score), false, (r, v) -> {
                    OodMetrics.Result res = result(r.probes().get(pj), score);
                    return new Cell(Format.num(v), res == null ? List.of() : List.of("FPR95 " + Format.num(res.fpr95())),
                            false);
                })));
            }
            groups.add(new OodGroup(first.name(), kind(first.kind()), rows));
        }
        return groups;
    }

    static OodMetrics.Result result(ProbeResult p, String score) {
        if (p.skipped() || p.ood() == null) {
            return null;
        }
        return p.ood().uncalibrated().get(score);
    }

    static double auroc(ProbeResult p, String score) {
        OodMetrics.Result r = result(p, score);
        return r == null ? Double.NaN : r.auroc();
    }

    // ---------------------------------------------------------------- highlights

    private static List<Fact> highlights(Comparison c) {
        List<AuditResult> a = c.audits();
        List<Fact> out = new ArrayList<>();
        if (a.size() < 2) {
            return out;
        }
        best(out, a, "Most accurate on test", r -> r.test().uncalibrated().accuracy(), false, Format::num, false);
        best(out, a, "Best calibrated on test as it is (ECE)", r -> r.test().uncalibrated().ece(), true, Format::num, false);
        best(out, a, "Best calibrated on test after calibration (ECE)",
                r -> r.test().calibrated() == null ? Double.NaN : r.test().calibrated().ece(), true, Format::num, false);
        best(out, a, "Lowest NLL after calibration",
                r -> r.test().calibrated() == null ? Double.NaN : r.test().calibrated().nll(), true, Format::num, false);
        List<Integer> noSignal = probeIndexes(c, "no_signal");
        if (!noSignal.isEmpty()) {
            best(out, a, "Least confident on images with no digit (mean confidence over " + probes(noSignal.size())
                    + ")", r -> meanOver(r, noSignal, ProbeResult::meanConfidence), true, Format::num, false);
            if (a.stream().anyMatch(r -> r.model().head() != null && r.model().head().equals("sigmoid"))) {
                best(out, a, "Says \u201cnone of these\u201d most often on images with no digit",
                        r -> meanOver(r, noSignal, p -> p.sigmoid() == null ? Double.NaN : p.sigmoid().noneShare()),
                        false, Format::pct, true);
            }
        }
        for (String kind : List.of("out_of_distribution", "no_signal")) {
            List<Integer> idx = probeIndexes(c, kind);
            if (idx.isEmpty()) {
                continue;
            }
            for (String score : List.of(OodScore.MSP.key(), OodScore.ENERGY.key())) {
                best(out, a, String.format(Locale.ROOT, "Best at telling %s from test by %s (mean AUROC over %s)",
                        kind.equals("no_signal") ? "images with no digit" : "other data sets", score, probes(idx.size())),
                        r -> meanOver(r, idx, p -> auroc(p, score)), false, Format::num, false);
            }
        }
        return out;
    }

    private static String probes(int n) {
        return n == 1 ? "1 probe" : n + " probes";
    }

    private static List<Integer> probeIndexes(Comparison c, String kind) {
        List<Integer> idx = new ArrayList<>();
        List<ProbeResult> probes = c.audits().get(0).probes();
        for (int j = 0; j < probes.size(); j++) {
            if (!probes.get(j).skipped() && kind.equals(probes.get(j).kind()) && !probes.get(j).labelled()) {
                idx.add(j);
            }
        }
        return idx;
    }

    private static double meanOver(AuditResult r, List<Integer> idx, ToDoubleFunction<ProbeResult> f) {
        double s = 0;
        for (int j : idx) {
            double v = f.applyAsDouble(r.probes().get(j));
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
            s += v;
        }
        return s / idx.size();
    }

    private static void best(List<Fact> out, List<AuditResult> a, String label, ToDoubleFunction<AuditResult> f,
                             boolean lowerIsBetter, java.util.function.DoubleFunction<String> fmt, boolean single) {
        boolean[] best = best(values(a, f), lowerIsBetter, single ? 1 : 2);
        List<String> names = new ArrayList<>();
        String value = "";
        for (int i = 0; i < best.length; i++) {
            if (best[i]) {
                names.add(a.get(i).model().name());
                value = fmt.apply(f.applyAsDouble(a.get(i)));
            }
        }
        if (!names.isEmpty()) {
            out.add(new Fact(label, String.join(", ", names) + " (" + value + ")"));
        }
    }

    // ---------------------------------------------------------------- charts

    private static List<ChartRow> charts(Comparison c) {
        List<ChartRow> rows = new ArrayList<>();
        List<Chart> before = new ArrayList<>();
        List<Chart> after = new ArrayList<>();
        for (AuditResult r : c.audits()) {
            before.add(chart(r.model().name(), r.test().binsBefore()));
            if (r.test().binsAfter() != null) {
                after.add(chart(r.model().name() + " (" + r.test().method() + ")", r.test().binsAfter()));
            } else {
                after.add(null);
            }
        }
        rows.add(new ChartRow("As the model is", before));
        if (after.stream().anyMatch(ch -> ch != null)) {
            rows.add(new ChartRow("After calibration", after));
        }
        return rows;
    }

    private static Chart chart(String heading, ReliabilityBins bins) {
        ReliabilityDiagram d = ReliabilityDiagram.of(bins, heading);
        byte[] png = ChartRenderer.png(d, CHART_WIDTH, CHART_HEIGHT);
        return new Chart(heading, "data:image/png;base64," + Base64.getEncoder().encodeToString(png),
                ChartRenderer.describe(d), CHART_WIDTH / 2, CHART_HEIGHT / 2);
    }

    // ---------------------------------------------------------------- notes, provenance

    private static Notes notes(Comparison c) {
        AuditResult.Settings s = c.settings();
        Bootstrap.Paired any = c.audits().get(0).test().intervals().values().stream().findFirst().orElse(null);
        String ci = any == null ? "No bootstrap intervals were computed."
                : String.format(Locale.ROOT, "Brackets: %.0f%% percentile bootstrap intervals from %,d resamples of the "
                        + "test images.", 100 * any.before().level(), any.before().resamples());
        boolean sigmoid = c.audits().stream().anyMatch(r -> r.test().sigmoid() != null);
        return new Notes(ci + " Bold: the best model of the row (ties all bold). Calibration: " + s.calibration()
                        + ", fitted for each model on the validation split."
                        + (sigmoid ? " A sigmoid head's numbers as the model is use its independent one-vs-rest "
                                + "probabilities; a calibration that rescales logits (temperature) turns them into "
                                + "softmax probabilities, so its numbers after calibration are those of a softmax." : ""),
                String.format(Locale.ROOT, "Value: mean top probability on the probe (lower is better: the model "
                        + "should not be sure). Confident: share with a top probability of at least %.2f. A sigmoid "
                        + "head's top probability is its largest one-vs-rest probability; \u201cnone of these\u201d is the "
                        + "share of images for which no class exceeds 0.5. Test images that were changed (rotated, "
                        + "shifted, inverted, unscaled, or digits from elsewhere) keep their labels: there the value "
                        + "is the ECE (lower is better).", s.threshold()),
                "AUROC of telling the probe's images from the test images by each score, as the model is (1 separates "
                        + "perfectly, 0.5 is chance); FPR95: share of probe images still taken for test data when 95% of "
                        + "the test images are kept. msp is the top probability (a sigmoid head's largest "
                        + "one-vs-rest probability), max_logit the largest logit, energy the log-sum-exp of the logits, "
                        + "entropy the negative entropy of the softmax of the logits.",
                "Bars: accuracy in each confidence bin; red: the gap to the bin's mean confidence (red above a bar: "
                        + "overconfident there); dashed line: perfect calibration; grey strip: share of test images per bin.");
    }

    private static List<FactGroup> provenance(Comparison c) {
        List<FactGroup> groups = new ArrayList<>();
        AuditResult.DataInfo d = c.data();
        groups.add(new FactGroup("Data", List.of(
                new Fact("Data set", d.dataset()),
                new Fact("Location", d.location() == null ? "" : d.location(), true),
                new Fact("Test images", Format.count(d.testCount())),
                new Fact("Validation images (calibration fit)", Format.count(d.validationCount())),
                new Fact("SHA-256", d.sha256() == null ? "unknown" : d.sha256(), d.sha256() != null),
                new Fact("Checksums verified", d.verified() ? "yes" : "no"))));
        AuditResult.Settings s = c.settings();
        groups.add(new FactGroup("Settings", List.of(
                new Fact("Calibration", s.calibration()),
                new Fact("Overconfidence threshold", String.format(Locale.ROOT, "%.2f", s.threshold())),
                new Fact("Bins", Integer.toString(s.bins())),
                new Fact("Images per generated probe", Format.count(s.probeSize())),
                new Fact("Seed", Long.toString(s.seed())),
                new Fact("Bootstrap", String.format(Locale.ROOT, "%,d resamples, level %.2f", s.resamples(), s.level())),
                new Fact("Probes", String.join(", ", s.probes())))));
        for (int i = 0; i < c.size(); i++) {
            AuditResult r = c.audits().get(i);
            AuditResult.ModelInfo m = r.model();
            List<Fact> facts = new ArrayList<>();
            facts.add(new Fact("File", m.location() == null ? "" : m.location(), true));
            facts.add(new Fact("SHA-256", m.sha256() == null ? "unknown" : m.sha256(), m.sha256() != null));
            facts.add(new Fact("Kind", Comparison.variant(m)));
            facts.add(new Fact("Preprocessing", m.preprocessing() == null ? "unknown" : m.preprocessing()));
            for (Map.Entry<String, String> e : m.details().entrySet()) {
                facts.add(new Fact(e.getKey(), e.getValue() == null ? "" : e.getValue()));
            }
            facts.add(new Fact("Audit wall time", Format.seconds(r.provenance().seconds())));
            groups.add(new FactGroup((i + 1) + ". " + m.name(), facts));
        }
        return groups;
    }

    // ---------------------------------------------------------------- cells

    private static List<Cell> cells(List<AuditResult> a, Function<AuditResult, Cell> f) {
        List<Cell> out = new ArrayList<>();
        for (AuditResult r : a) {
            out.add(f.apply(r));
        }
        return out;
    }

    /** Cells made by {@code make} from each model's value, the best (lowest or highest finite) marked. */
    private static List<Cell> marked(List<AuditResult> a, ToDoubleFunction<AuditResult> value, boolean lowerIsBetter,
                                     java.util.function.BiFunction<AuditResult, Double, Cell> make) {
        double[] v = values(a, value);
        boolean[] best = best(v, lowerIsBetter, 2);
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Cell cell = make.apply(a.get(i), v[i]);
            out.add(new Cell(cell.value(), List.copyOf(cell.details()), best[i]));
        }
        return out;
    }

    private static double[] values(List<AuditResult> a, ToDoubleFunction<AuditResult> f) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(a.get(i));
        }
        return v;
    }

    /**
     * Which values are the best: the lowest (or highest) finite value as shown with four decimals,
     * so models that read the same are all marked; none when fewer than {@code atLeast} values are finite.
     */
    static boolean[] best(double[] v, boolean lowerIsBetter, int atLeast) {
        boolean[] out = new boolean[v.length];
        int finite = 0;
        double bestValue = Double.NaN;
        for (double x : v) {
            if (Double.isFinite(x)) {
                finite++;
                double r = round4(x);
                if (Double.isNaN(bestValue) || (lowerIsBetter ? r < bestValue : r > bestValue)) {
                    bestValue = r;
                }
            }
        }
        if (finite < atLeast || finite == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isFinite(v[i]) && round4(v[i]) == bestValue;
        }
        return out;
    }

    private static double round4(double x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
