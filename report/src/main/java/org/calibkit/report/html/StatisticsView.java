package org.calibkit.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.RiskCoverageChart;
import org.calibkit.calibration.charts.SetSizeHistogram;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.OperatingPoint;
import org.calibkit.calibration.ood.OodScore;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ConformalResult;
import org.calibkit.report.audit.AuditResult.SelectiveResult;
import org.calibkit.report.audit.AuditResult.Statistics;
import org.calibkit.report.render.Format;

/**
 * The statistics sections of the page as text and charts (template {@code statistics.jte}):
 * calibration tests read in words, the exact interval of each reliability bin, conformal
 * prediction sets on the test split and the probes, and selective prediction. Built from
 * {@link AuditResult#statistics()}; computes nothing.
 *
 * @param present     false when the result has no statistics (the sections are then left out)
 * @param tests       the calibration tests
 * @param bins        the reliability bins with their intervals
 * @param conformal   conformal prediction sets
 * @param selective   selective prediction
 */
public record StatisticsView(boolean present, Tests tests, Bins bins, Conformal conformal, SelectiveView selective) {

    static final int CHART_WIDTH = 880;
    static final int CHART_HEIGHT = 700;

    /**
     * One test: statistic and p-value before and after calibration, and the reading in words.
     *
     * @param css {@code fail} when a shown side rejects at the significance level, else {@code pass}
     */
    public record TestRow(String name, String statisticBefore, String pBefore, String statisticAfter, String pAfter,
                          String css, List<String> readings) {
    }

    /** The tests table; {@code headline} says in one sentence what the tests say together. */
    public record Tests(boolean calibrated, String headline, List<TestRow> rows, List<String> notes) {
    }

    /** One non-empty reliability bin with its intervals, before and (when calibrated) after. */
    public record BinRow(String range, String count, String accuracy, String clopperPearson, String wilson,
                         String countAfter, String accuracyAfter, String clopperPearsonAfter, String wilsonAfter) {
    }

    /** The bins table. */
    public record Bins(boolean calibrated, String level, List<BinRow> rows, String note) {
    }

    /** One conformal score on the test split; {@code css} {@code fail} when the coverage interval lies below 1 - alpha. */
    public record ConformalRow(String score, String description, String threshold, String coverage,
                               String coverageInterval, String meanSize, String singletons, String empty, String full,
                               String css) {
    }

    /** One probe's set sizes per score: mean size and share of full sets, in score order. */
    public record ProbeSetsRow(String probe, String count, List<String> meanSizes, List<String> fullShares) {
    }

    /** Coverage of one class per score. */
    public record ClassCoverageRow(String name, String count, List<String> coverage) {
    }

    /**
     * Conformal prediction sets.
     *
     * @param present   false without a validation split to fit them on
     * @param intro     what the sets promise, with alpha and the number of calibration rows
     * @param scores    score names in column order
     * @param chart     the set-size histogram of the test split
     */
    public record Conformal(boolean present, String intro, List<String> scores, List<ConformalRow> rows,
                            ReportView.Chart chart, List<ProbeSetsRow> probes, String probeNote,
                            List<ClassCoverageRow> classes, List<String> notes) {
    }

    /** One score's selective prediction; {@code targets} one text per target risk. */
    public record SelectiveRow(String score, String aurc, String eaurc, List<String> targets) {
    }

    /** Selective prediction. */
    public record SelectiveView(String headline, List<String> targetHeads, List<SelectiveRow> rows,
                                ReportView.Chart chart, List<String> notes) {
    }

    /** The view of {@code r}'s statistics. */
    public static StatisticsView of(AuditResult r) {
        Statistics s = r.statistics();
        if (s == null) {
            return new StatisticsView(false, null, null, null, null);
        }
        return new StatisticsView(true, tests(s), bins(r, s), conformal(r, s), selective(r, s));
    }

    // ---------------------------------------------------------------- tests

    private static Tests tests(Statistics s) {
        boolean calibrated = s.testsCalibrated() != null;
        List<TestRow> rows = new ArrayList<>();
        int rejectBefore = 0;
        int rejectAfter = 0;
        for (int i = 0; i < s.testsUncalibrated().size(); i++) {
            CalibrationTest b = s.testsUncalibrated().get(i);
            CalibrationTest a = calibrated ? s.testsCalibrated().get(i) : null;
            boolean rb = b.rejects(s.significance());
            boolean ra = a != null && a.rejects(s.significance());
            rejectBefore += rb ? 1 : 0;
            rejectAfter += ra ? 1 : 0;
            List<String> readings = new ArrayList<>();
            readings.add((calibrated ? "Before: " : "") + capital(b.sentence(s.significance())) + ".");
            if (a != null) {
                readings.add("After: " + capital(a.sentence(s.significance())) + ".");
            }
            rows.add(new TestRow(b.name(), stat(b.statistic()), p(b.pValue()), a == null ? "" : stat(a.statistic()),
                    a == null ? "" : p(a.pValue()), (a != null ? ra : rb) ? "fail" : "pass", readings));
        }
        int n = s.testsUncalibrated().size();
        String pct = percent(s.significance());
        String headline;
        int shown = calibrated ? rejectAfter : rejectBefore;
        String side = calibrated ? "After calibration, " : "";
        if (shown == 0) {
            headline = String.format(Locale.ROOT, "%snone of the %d tests finds evidence of miscalibration at %s on "
                    + "the test split. That is no proof of calibration: a test may lack the power to see a small "
                    + "miscalibration.", side, n, pct);
        } else {
            headline = String.format(Locale.ROOT, "%s%d of the %d tests find evidence of miscalibration at %s on the "
                    + "test split: the gap between confidence and accuracy is more than sampling noise.", side, shown,
                    n, pct);
        }
        if (calibrated) {
            headline += String.format(Locale.ROOT, " (Before calibration: %d of %d.)", rejectBefore, n);
        }
        List<String> notes = List.of(
                "Each test asks whether the top-label confidences could be the true probabilities of being right "
                        + "(null hypothesis: each prediction is right with probability equal to its confidence). "
                        + "Spiegelhalter's Z is two-sided and tests the Brier score; Hosmer-Lemeshow groups the "
                        + "predictions into 10 groups of equal size, with as many degrees of freedom as groups "
                        + "because the probabilities were not fitted on the test split; Kolmogorov-Smirnov and "
                        + "Kuiper look at the whole cumulative gap between outcomes and confidences (Gupta et al. "
                        + "2021), ties counted as one step.",
                "Reading several tests together multiplies the chances of a false alarm; a small p-value on a "
                        + "large test split can also come from a miscalibration too small to matter: look at the "
                        + "ECE beside it.");
        return new Tests(calibrated, headline, rows, notes);
    }

    private static String stat(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : Format.MISSING;
    }

    private static String p(double v) {
        if (!Double.isFinite(v)) {
            return "p " + Format.MISSING;
        }
        if (v < 1e-16) {
            return "p < 1e-16";
        }
        return "p = " + (v >= 0.001 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.1e", v));
    }

    private static String percent(double a) {
        double pct = 100 * a;
        return pct == Math.rint(pct) ? String.format(Locale.ROOT, "%.0f%%", pct) : String.format(Locale.ROOT, "%.1f%%", pct);
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- bins

    private static Bins bins(AuditResult r, Statistics s) {
        ReliabilityBins before = r.test().binsBefore();
        ReliabilityBins after = r.test().binsAfter();
        boolean calibrated = after != null && s.binsCalibrated() != null;
        List<BinRow> rows = new ArrayList<>();
        for (int b = 0; b < before.numBins(); b++) {
            boolean any = before.count(b) > 0 || (calibrated && after.count(b) > 0);
            if (!any) {
                continue;
            }
            String range = String.format(Locale.ROOT, "%s%.2f, %.2f]", b == 0 ? "[" : "(", before.lower(b),
                    before.upper(b));
            rows.add(new BinRow(range, Format.count(before.count(b)), Format.num(before.accuracy(b)),
                    iv(s.binsUncalibrated().clopperPearson(), b), iv(s.binsUncalibrated().wilson(), b),
                    calibrated ? Format.count(after.count(b)) : "", calibrated ? Format.num(after.accuracy(b)) : "",
                    calibrated ? iv(s.binsCalibrated().clopperPearson(), b) : "",
                    calibrated ? iv(s.binsCalibrated().wilson(), b) : ""));
        }
        String level = percent(s.level());
        String note = String.format(Locale.ROOT, "Each bin's accuracy with its %s exact binomial intervals, given "
                + "the number of test images in the bin: Clopper-Pearson (never covers less than %s; drawn as the "
                + "whiskers of the diagrams above) and Wilson (narrower, about %s on average). Each holds for its "
                + "bin alone, not for all bins at once. Empty bins are left out.", level, level, level);
        return new Bins(calibrated, level, rows, note);
    }

    private static String iv(BinIntervals bi, int b) {
        return Format.interval(bi.lower(b), bi.upper(b));
    }

    // ---------------------------------------------------------------- conformal

    private static Conformal conformal(AuditResult r, Statistics s) {
        List<String> scores = new ArrayList<>();
        if (s.conformal().isEmpty()) {
            String why = notComputed(r);
            return new Conformal(false, why != null ? why : "No validation split: there were no held-out labelled images to fit "
                    + "conformal prediction sets on.", scores, List.of(), null, List.of(), "", List.of(), List.of());
        }
        ConformalResult first = s.conformal().get(0);
        String target = Format.pct(1 - s.alpha());
        String intro = String.format(Locale.ROOT, "Instead of one class, a set of classes that contains the true "
                + "class for at least %s of images like the test images (split conformal prediction at \u03b1 = %s, "
                + "fitted on the %s validation images, checked here on the %s test images).", target,
                Format.threshold(s.alpha()), Format.count(first.predictor().n()), Format.count(first.test().n()));
        List<ConformalRow> rows = new ArrayList<>();
        List<SetSizeHistogram.Series> series = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (ConformalResult c : s.conformal()) {
            String name = c.score().toUpperCase(Locale.ROOT);
            scores.add(name);
            ConformalEvaluation e = c.test();
            long[] h = e.sizeHistogram();
            // below 1 - alpha by more than the calibration set's own randomness and the test rows' (beta-binomial)
            double pv = org.calibkit.calibration.stats.Conformal.coveragePValue(c.predictor(), e);
            boolean under = e.coverage() < 1 - s.alpha() && pv < s.significance();
            if (under) {
                below.add(name + " (" + p(pv) + ")");
            }
            rows.add(new ConformalRow(name, c.description(), threshold(c.predictor().threshold()), Format.pct(e.coverage()),
                    Format.interval(e.coverageInterval().lower(), e.coverageInterval().upper()),
                    String.format(Locale.ROOT, "%.2f", e.meanSize()), Format.pct(share(h, 1, e.n())),
                    Format.pct(share(h, 0, e.n())), Format.pct(share(h, h.length - 1, e.n())), under ? "fail" : "pass"));
            series.add(new SetSizeHistogram.Series(name + " (test)", h));
        }
        SetSizeHistogram hist = SetSizeHistogram.of("Prediction set sizes on the test split", series);
        ReportView.Chart chart = chart("Set sizes", hist);
        List<ProbeSetsRow> probes = new ArrayList<>();
        for (int i = 0; i < first.probes().size(); i++) {
            List<String> means = new ArrayList<>();
            List<String> full = new ArrayList<>();
            for (ConformalResult c : s.conformal()) {
                AuditResult.ProbeSets ps = c.probes().get(i);
                means.add(String.format(Locale.ROOT, "%.2f", ps.meanSize()));
                full.add(Format.pct(ps.fullShare()));
            }
            AuditResult.ProbeSets p0 = first.probes().get(i);
            probes.add(new ProbeSetsRow(p0.probe(), Format.count(p0.count()), means, full));
        }
        String probeNote = String.format(Locale.ROOT, "Mean set size on each probe's images and, below it, the "
                + "share of images whose set holds all %d classes. A model that knows what it does not know answers "
                + "blank, noise and foreign images with large sets; sets of one class there are confident answers "
                + "to questions without one. An empty LAC set says that no class is as likely as the "
                + "validation images' labels were.", r.model().classNames().size());
        List<ClassCoverageRow> classes = new ArrayList<>();
        for (int j = 0; j < r.model().classNames().size(); j++) {
            List<String> cov = new ArrayList<>();
            for (ConformalResult c : s.conformal()) {
                cov.add(Format.pct(c.test().classCoverage()[j]));
            }
            classes.add(new ClassCoverageRow(r.model().classNames().get(j), Format.count(first.test().classCount()[j]),
                    cov));
        }
        if (!below.isEmpty()) {
            intro += String.format(Locale.ROOT, " The coverage of %s lies below %s by more than chance would "
                    + "put it were the validation and test images exchangeable: they differ in source or distribution, "
                    + "and the guarantee does not carry over from one to the other.", String.join(", ", below), target);
        }
        List<String> notes = List.of(
                "Built from the model's own probabilities, not the calibrated ones: the calibration was fitted on "
                        + "the same validation images, and the guarantee needs calibration images nothing else was "
                        + "fitted on. The guarantee is marginal (on average over images), not per class: the class "
                        + "table shows where it is thinner. The coverage interval is Clopper-Pearson at "
                        + percent(s.level()) + " (of the test images alone); a row is marked when its coverage is "
                        + "below " + target + " with p < " + Format.threshold(s.significance()) + ": the chance, "
                        + "were the validation and test images exchangeable, of a coverage that low on this many test "
                        + "images given this many validation images (beta-binomial: the coverage given the validation "
                        + "images is Beta distributed), which also counts the validation set's own randomness.",
                "Scores: LAC keeps every class whose probability is at least 1 \u2212 q (smallest sets, may be "
                        + "empty); APS adds classes from the most probable until their probabilities reach q "
                        + "(adapts to how hard an image is); RAPS also penalises long sets. APS and RAPS are "
                        + "randomised with a fixed seed, so some sets are empty.");
        return new Conformal(true, intro, scores, rows, chart, probes, probeNote, classes, notes);
    }

    private static double share(long[] h, int i, int n) {
        return n == 0 ? Double.NaN : (double) h[i] / n;
    }

    private static String threshold(double q) {
        return Double.isInfinite(q) ? "\u221e (every class)" : String.format(Locale.ROOT, "%.4g", q);
    }

    private static ReportView.Chart chart(String heading, org.calibkit.calibration.charts.ChartData data) {
        byte[] png = ChartRenderer.png(data, CHART_WIDTH, CHART_HEIGHT);
        return new ReportView.Chart(heading, ReportView.dataUri(png), ChartRenderer.describe(data), CHART_WIDTH / 2,
                CHART_HEIGHT / 2);
    }

    // ---------------------------------------------------------------- selective

    /** Why parts of an audit computed elsewhere are missing ({@link Audit#NOT_COMPUTED_DETAIL}), or null. */
    private static String notComputed(AuditResult r) {
        return r.model().details().get(Audit.NOT_COMPUTED_DETAIL);
    }

    private static SelectiveView selective(AuditResult r, Statistics s) {
        List<String> heads = new ArrayList<>();
        for (double t : targets(s)) {
            heads.add("Error \u2264 " + Format.pct(t).replace(".0%", "%"));
        }
        List<SelectiveRow> rows = new ArrayList<>();
        List<RiskCoverageChart.Curve> curves = new ArrayList<>();
        for (SelectiveResult sr : s.selective()) {
            List<String> cells = new ArrayList<>();
            for (AuditResult.RiskTarget t : sr.targets()) {
                cells.add(target(t.point()));
            }
            rows.add(new SelectiveRow(label(sr.score()), Format.num(sr.aurc()), Format.num(sr.eaurc()), cells));
            curves.add(new RiskCoverageChart.Curve(label(sr.score()), sr.coverage(), sr.risk()));
        }
        List<String> sentences = new ArrayList<>();
        int nt = targets(s).length;
        OperatingPoint previous = null;
        String previousScore = null;
        for (int ti = 0; ti < nt; ti++) {
            SelectiveResult top = null;
            for (SelectiveResult sr : s.selective()) {
                if (top == null || sr.targets().get(ti).point().coverage() > top.targets().get(ti).point().coverage()) {
                    top = sr;
                }
            }
            AuditResult.RiskTarget t = top.targets().get(ti);
            OperatingPoint p = t.point();
            String target = Format.pct(t.targetRisk()).replace(".0%", "%");
            if (p.equals(previous) && top.score().equals(previousScore)) {
                // the same operating point serves this target too: say so once
                String last = sentences.remove(sentences.size() - 1);
                sentences.add(last.replaceFirst("at or below ([0-9.]+%)", "at or below $1 (and " + target + ")")
                        .replaceFirst("at most ([0-9.]+%)", "at most $1 (and " + target + ")"));
                continue;
            }
            previous = p;
            previousScore = top.score();
            if (p.accepted() == 0) {
                sentences.add("No threshold on any score keeps the test error at or below " + target + ".");
            } else if (p.coverage() >= 1) {
                sentences.add(String.format(Locale.ROOT, "The test error is already at most %s without abstaining "
                        + "(%s wrong of %s).", target, Format.count(p.errors()), Format.count(p.n())));
            } else {
                sentences.add(String.format(Locale.ROOT, "To keep the error at or below %s, predict only when %s is "
                        + "at least %s: that answers %s of the test images and abstains on %s (the best score for "
                        + "this target).", target, label(top.score()), String.format(Locale.ROOT, "%.6g", p.threshold()),
                        Format.pct(p.coverage()), Format.pct(p.abstention())));
            }
        }
        String headline = s.selective().isEmpty() && notComputed(r) != null ? notComputed(r) : String.join(" ", sentences);
        ReportView.Chart chart = curves.isEmpty() ? null : chart("Risk against coverage",
                RiskCoverageChart.of("Risk-coverage on the test split", curves, targets(s)));
        List<String> notes = List.of(
                "Selective prediction: sort the test images by a confidence score, answer the most confident ones "
                        + "and abstain on the rest. Risk is the error rate among the answered images, coverage the "
                        + "share answered. AURC is the area under the risk-coverage curve (lower is better; "
                        + "torch-uncertainty's convention), E-AURC the part of it an oracle order would avoid.",
                "Thresholds are measured on this test split: they are the empirical operating points, not bounds "
                        + "that hold with high probability on new data. msp: maximum softmax probability; "
                        + "max logit; energy: log-sum-exp of the logits; msp calibrated: after the calibration "
                        + "map.");
        return new SelectiveView(headline, heads, rows, chart, notes);
    }

    private static double[] targets(Statistics s) {
        if (s.selective().isEmpty()) {
            return new double[0];
        }
        return s.selective().get(0).targets().stream().mapToDouble(AuditResult.RiskTarget::targetRisk).toArray();
    }

    private static String target(OperatingPoint p) {
        if (p.accepted() == 0) {
            return "not reachable";
        }
        return String.format(Locale.ROOT, "coverage %s at \u2265 %.6g (abstain %s)", Format.pct(p.coverage()),
                p.threshold(), Format.pct(p.abstention()));
    }

    /** A score's name as the page writes it. */
    static String label(String score) {
        return OodScore.label(score);
    }
}
