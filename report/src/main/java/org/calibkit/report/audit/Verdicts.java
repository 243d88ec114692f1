package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;

import org.calibkit.calibration.ood.OodScore;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.report.shift.ShiftSection;
import org.calibkit.report.shift.SweepResult;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.Verdict;

/**
 * The checks of an audit and the one sentence each explains itself with. Pure function of the
 * computed sections; every threshold comes from {@link Thresholds}.
 */
final class Verdicts {
    private Verdicts() {
    }

    static List<Verdict> of(Thresholds th, double threshold, AuditResult.TestSection test, AuditResult.InputRange range,
                            List<AuditResult.ProbeResult> probes, CalibrationMap map, Head head) {
        return of(th, threshold, test, range, probes, map, head, null);
    }

    /** The verdicts, with one per sweep family and one on the label-free estimates when {@code shift} is given. */
    static List<Verdict> of(Thresholds th, double threshold, AuditResult.TestSection test, AuditResult.InputRange range,
                            List<AuditResult.ProbeResult> probes, CalibrationMap map, Head head, ShiftSection shift) {
        List<Verdict> out = new ArrayList<>();
        if (shift != null) {
            sweepVerdicts(out, th, shift, map != null);
        }
        if (range != null) {
            out.add(new Verdict("input_range", "Pixel range of the data fits the model", range.ok() ? Status.PASS : Status.FAIL,
                    range.max(), Double.NaN, Double.NaN, range.min(), range.max(), range.ok() ? range.message()
                    : range.message() + "; fix: " + range.fix()));
        }
        testVerdicts(out, th, test, map);
        Map<String, List<AuditResult.ProbeResult>> families = new LinkedHashMap<>();
        for (AuditResult.ProbeResult p : probes) {
            if (p.skipped()) {
                continue;
            }
            if ("shift".equals(p.kind()) && p.labelled() && family(p.name()) != null) {
                families.computeIfAbsent(family(p.name()), k -> new ArrayList<>()).add(p); // one verdict per family
            } else if ("shift".equals(p.kind()) && p.labelled()) {
                shift(out, th, p, test);
            } else {
                overconfident(out, th, threshold, p, test, head);
                if (p.ood() != null) {
                    separation(out, th, p);
                }
            }
        }
        families.forEach((family, members) -> familyVerdict(out, th, family, members));
        // worst status first; within a status, what a user acts on first (the data handed in, the
        // test split, confidence on inputs it should doubt, shift, detection), then the largest excess
        out.sort(Comparator.comparing(Verdict::status).reversed()
                .thenComparingInt(Verdicts::rank)
                .thenComparing(Comparator.comparingDouble(Verdicts::excess).reversed()));
        return List.copyOf(out);
    }

    private static int rank(Verdict v) {
        String c = v.check();
        if (c.equals("input_range")) {
            return 0;
        }
        if (c.startsWith("test.")) {
            return 1;
        }
        if (c.endsWith(".overconfident_share")) {
            return 2;
        }
        return c.endsWith(".ece") ? 3 : 4;
    }

    /** How far a value lies beyond its fail threshold, as a ratio (0 when it has none). */
    private static double excess(Verdict v) {
        if (Double.isNaN(v.failAt()) || Double.isNaN(v.value()) || v.failAt() == 0 || v.value() == 0) {
            return 0;
        }
        return v.failAt() >= v.warnAt() ? v.value() / v.failAt() : v.failAt() / v.value();
    }

    private static void testVerdicts(List<Verdict> out, Thresholds th, AuditResult.TestSection t, CalibrationMap map) {
        boolean cal = t.calibrated() != null;
        MetricSummary shown = cal ? t.calibrated() : t.uncalibrated();
        Bootstrap.Paired ece = t.intervals().get("ece");
        Bootstrap.Interval iv = cal ? ece.after() : ece.before();
        double signed = shown.signedEce();
        String way = Math.abs(signed) < 0.002 ? "neither over- nor underconfident on average"
                : signed > 0 ? String.format(Locale.ROOT, "overconfident: its mean confidence exceeds its accuracy by %s", pct(signed))
                : String.format(Locale.ROOT, "underconfident: its accuracy exceeds its mean confidence by %s", pct(-signed));
        Status s = status(shown.ece(), th.eceWarn(), th.eceFail(), true);
        out.add(new Verdict("test.ece", "Calibration on the test split" + (cal ? " (" + t.calibration() + ")" : ""), s,
                shown.ece(), th.eceWarn(), th.eceFail(), iv.lower(), iv.upper(), String.format(Locale.ROOT,
                "On %d test images the model is %s right and %s (ECE %s, 95%% interval [%s, %s]).",
                t.n(), pct(shown.accuracy()), way, f4(shown.ece()), f4(iv.lower()), f4(iv.upper()))));
        if (!cal) {
            return;
        }
        Bootstrap.Paired nll = t.intervals().get("nll");
        String change = String.format(Locale.ROOT, "ECE %s -> %s (difference %s, interval [%s, %s]); NLL %s -> %s (difference %s, interval [%s, %s])",
                f4(ece.before().estimate()), f4(ece.after().estimate()), signed4(ece.difference().estimate()),
                signed4(ece.difference().lower()), signed4(ece.difference().upper()), f4(nll.before().estimate()),
                f4(nll.after().estimate()), signed4(nll.difference().estimate()), signed4(nll.difference().lower()),
                signed4(nll.difference().upper()));
        Status cs;
        String reason;
        boolean eceWorse = ece.significant() && ece.difference().estimate() > 0;
        boolean nllWorse = nll.significant() && nll.difference().estimate() > 0;
        boolean better = (ece.significant() && ece.difference().estimate() < 0) || (nll.significant() && nll.difference().estimate() < 0);
        if (eceWorse || nllWorse) {
            cs = Status.WARN;
            reason = map.method() + " calibration, fitted on the validation split, made the test split worse beyond "
                    + "resampling noise: " + change + ". Keep the uncalibrated model or fit on more validation data.";
        } else if (better) {
            cs = Status.PASS;
            reason = map.method() + " calibration improved the test split beyond resampling noise: " + change + ".";
        } else {
            cs = Status.INFO;
            reason = map.method() + " calibration changed nothing beyond resampling noise: " + change
                    + ". The model was already about as calibrated on data like its training data as this calibrator can make it.";
        }
        out.add(new Verdict("test.calibration_effect", "What calibration did on the test split", cs,
                ece.difference().estimate(), Double.NaN, Double.NaN, ece.difference().lower(), ece.difference().upper(), reason));
    }

    private static void overconfident(List<Verdict> out, Thresholds th, double threshold, AuditResult.ProbeResult p,
                                      AuditResult.TestSection t, Head head) {
        boolean cal = !Double.isNaN(p.overconfidentShareCalibrated());
        double share = cal ? p.overconfidentShareCalibrated() : p.overconfidentShare();
        double mean = cal ? p.meanConfidenceCalibrated() : p.meanConfidence();
        Status s = status(share, th.overconfidentWarn(), th.overconfidentFail(), true);
        int top = 0;
        for (int c = 1; c < p.predictedHistogram().length; c++) {
            if (p.predictedHistogram()[c] > p.predictedHistogram()[top]) {
                top = c;
            }
        }
        String topClass = top < t.perClass().size() ? t.perClass().get(top).name() : String.valueOf(top);
        double topShare = (double) p.predictedHistogram()[top] / Math.max(1, p.count());
        String head0 = String.format(Locale.ROOT, "%s of %d %s images get a confidence of at least %s%s (mean %s); %s are predicted as '%s'.",
                pct(share), p.count(), p.name(), f2(threshold), cal ? " after calibration" : "", f2(mean), pct(topShare), topClass);
        String why;
        if ("preprocessing".equals(p.kind())) {
            double testConf = t.uncalibrated().accuracy() + t.uncalibrated().signedEce();
            why = String.format(Locale.ROOT, " These are the test images handed over without the model's pixel scaling: "
                    + "the 'predict() only gives 0 and 1' bug. Accuracy is %s (%s when scaled as in training) while the mean "
                    + "confidence goes from %s to %s; calibkit's range check refuses such input unless told otherwise, "
                    + "and the fix is to scale pixels exactly as in training.",
                    pct(p.accuracy()), pct(t.uncalibrated().accuracy()), pct(testConf), pct(p.meanConfidence()));
        } else if (s == Status.PASS) {
            why = " The model is rightly unsure about them.";
        } else {
            why = " Softmax confidence is not the probability of being right far from the training data,"
                    + " and calibration on in-distribution data cannot fix that.";
        }
        String best = bestScore(p);
        if (best != null && !"preprocessing".equals(p.kind())) {
            why += " " + best;
        }
        if (head == Head.SIGMOID && p.sigmoid() != null) {
            why += String.format(Locale.ROOT, " The one-vs-rest head says 'none of these' (no class above 0.5) for %s of them.",
                    pct(p.sigmoid().noneShare()));
        }
        out.add(new Verdict("probe." + p.name() + ".overconfident_share", "Confidence on " + p.name(), s, share,
                th.overconfidentWarn(), th.overconfidentFail(), Double.NaN, Double.NaN, head0 + why));
    }

    private static void separation(List<Verdict> out, Thresholds th, AuditResult.ProbeResult p) {
        Map<String, OodMetrics.Result> m = p.ood().uncalibrated();
        String bestName = null;
        double best = Double.NaN;
        for (Map.Entry<String, OodMetrics.Result> e : m.entrySet()) {
            if (bestName == null || e.getValue().auroc() > best) {
                bestName = e.getKey();
                best = e.getValue().auroc();
            }
        }
        if (bestName == null) {
            return;
        }
        double msp = m.containsKey(OodScore.MSP.key()) ? m.get(OodScore.MSP.key()).auroc() : Double.NaN;
        Status s = status(best, th.aurocWarn(), th.aurocFail(), false);
        String reason;
        if (best < 0.5) {
            reason = String.format(Locale.ROOT, "Every score ranks %s images as more familiar than real test images "
                    + "(best AUROC %s, %s): the model is surer of them than of the data it was made for, so no "
                    + "confidence threshold can catch them; check the input itself.", p.name(), f3(best), bestName);
        } else {
            reason = String.format(Locale.ROOT, "The best score, %s, tells %s images from test images with AUROC %s "
                    + "(FPR at 95%% TPR %s); with the max softmax probability the AUROC is %s.", bestName, p.name(),
                    f3(best), f3(m.get(bestName).fpr95()), f3(msp));
            if (s != Status.PASS) {
                reason += " No score separates them well: flag such inputs before the classifier sees them.";
            }
        }
        out.add(new Verdict("probe." + p.name() + ".auroc", "Detecting " + p.name() + " as unfamiliar", s, best,
                th.aurocWarn(), th.aurocFail(), Double.NaN, Double.NaN, reason));
    }

    private static void shift(List<Verdict> out, Thresholds th, AuditResult.ProbeResult p, AuditResult.TestSection t) {
        boolean cal = !Double.isNaN(p.eceCalibrated());
        double ece = cal ? p.eceCalibrated() : p.ece();
        double conf = cal ? p.meanConfidenceCalibrated() : p.meanConfidence();
        Status s = status(ece, th.shiftEceWarn(), th.shiftEceFail(), true);
        String reason = String.format(Locale.ROOT, "Under this shift accuracy is %s (test: %s) with mean confidence %s, ECE %s%s.",
                pct(p.accuracy()), pct(t.uncalibrated().accuracy()), pct(conf), f3(ece), cal ? " after calibration" : "");
        if (s != Status.PASS) {
            reason += conf > p.accuracy() ? " The model does not lower its confidence as fast as it loses accuracy."
                    : " The model is less sure than it is right.";
        }
        out.add(new Verdict("probe." + p.name() + ".ece", "Calibration under " + p.name(), s, ece, th.shiftEceWarn(),
                th.shiftEceFail(), Double.NaN, Double.NaN, reason));
    }

    /** The family of a corruption probe named {@code family/corruption/severity} ({@code mnist-c/fog/3}), else null. */
    private static String family(String probe) {
        String[] parts = probe.split("/");
        return parts.length == 3 && parts[2].matches("[1-5]") ? parts[0] : null;
    }

    /**
     * One verdict for all corruption probes of a family, on the median ECE (after calibration when
     * calibrated) over its corruptions at the highest severity given, naming the worst corruption.
     */
    private static void familyVerdict(List<Verdict> out, Thresholds th, String family,
                                      List<AuditResult.ProbeResult> members) {
        int top = members.stream().mapToInt(p -> Integer.parseInt(p.name().substring(p.name().lastIndexOf('/') + 1)))
                .max().orElse(0);
        List<AuditResult.ProbeResult> at = members.stream().filter(p -> p.name().endsWith("/" + top)).toList();
        boolean cal = at.stream().noneMatch(p -> Double.isNaN(p.eceCalibrated()));
        double[] eces = at.stream().mapToDouble(p -> cal ? p.eceCalibrated() : p.ece()).toArray();
        double ece = median(eces);
        AuditResult.ProbeResult worst = at.stream().max(java.util.Comparator.comparingDouble(
                p -> cal ? p.eceCalibrated() : p.ece())).orElseThrow();
        double acc = median(at.stream().mapToDouble(AuditResult.ProbeResult::accuracy).toArray());
        Status s = status(ece, th.shiftEceWarn(), th.shiftEceFail(), true);
        String reason = String.format(Locale.ROOT, "Over the %d %s corruptions at severity %d, median accuracy %s and "
                        + "median ECE %s%s; worst %s (ECE %s).", at.size(), family, top, pct(acc), f3(ece),
                cal ? " after calibration" : "", worst.name(), f3(cal ? worst.eceCalibrated() : worst.ece()));
        if (s != Status.PASS) {
            reason += " The model does not lower its confidence as fast as it loses accuracy on corrupted inputs.";
        }
        out.add(new Verdict("probe." + family + ".ece", "Calibration under " + family + " corruptions", s, ece,
                th.shiftEceWarn(), th.shiftEceFail(), Double.NaN, Double.NaN, reason));
    }

    /**
     * One verdict per sweep family (rotation, translation, mnist-c: the corruptions' median at
     * their highest severity), on the ECE after calibration at the family's strongest shift, and
     * an INFO verdict naming the label-free estimator to trust and how far.
     */
    private static void sweepVerdicts(List<Verdict> out, Thresholds th, ShiftSection shift, boolean calibrated) {
        Map<String, List<SweepResult.PointResult>> families = new LinkedHashMap<>();
        for (SweepResult.PointResult p : shift.sweeps().points()) {
            families.computeIfAbsent(p.sweep().contains("/") ? p.sweep().substring(0, p.sweep().indexOf('/')) : p.sweep(),
                    k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<SweepResult.PointResult>> e : families.entrySet()) {
            List<SweepResult.PointResult> points = e.getValue();
            double top = points.stream().mapToDouble(SweepResult.PointResult::intensity).max().orElse(0);
            List<SweepResult.PointResult> strongest = points.stream().filter(p -> p.intensity() == top).toList();
            List<SweepResult.PointResult> weakest = points.stream()
                    .filter(p -> p.intensity() == points.stream().mapToDouble(SweepResult.PointResult::intensity).min()
                            .orElse(0)).toList();
            double ece = median(strongest.stream().mapToDouble(p -> (calibrated ? p.after() : p.before()).ece()).toArray());
            double clean = median(weakest.stream().mapToDouble(p -> (calibrated ? p.after() : p.before()).ece()).toArray());
            double acc = median(strongest.stream().mapToDouble(p -> p.before().accuracy()).toArray());
            double conf = median(strongest.stream().mapToDouble(p -> (calibrated ? p.after() : p.before()).meanConfidence())
                    .toArray());
            Status s = status(ece, th.shiftEceWarn(), th.shiftEceFail(), true);
            String unit = points.get(0).unit();
            String at = unit.equals("severity") ? "severity " + (long) top : (top == Math.rint(top) ? Long.toString((long) top) : Double.toString(top)) + " " + unit;
            String of = strongest.size() > 1 ? " (median over " + strongest.size() + " corruptions)" : "";
            String reason = String.format(Locale.ROOT, "%s: ECE %s at the weakest shift -> %s at %s%s, where accuracy is %s "
                            + "and mean confidence %s.", calibrated ? "Calibration fitted on clean data, under " + e.getKey()
                            : "Without calibration, under " + e.getKey(), f3(clean), f3(ece), at, of, pct(acc), pct(conf));
            if (s != Status.PASS) {
                reason += calibrated ? " The calibration does not hold under this shift." : " The confidence does not follow the accuracy.";
            }
            out.add(new Verdict("shift." + e.getKey() + ".ece", "Calibration along the " + e.getKey() + " sweep", s, ece,
                    th.shiftEceWarn(), th.shiftEceFail(), Double.NaN, Double.NaN, reason));
        }
        if (shift.estimates() != null) {
            EstimatorCheck.Summary best = shift.estimates().best();
            out.add(new Verdict("shift.estimates", "Accuracy without labels", Status.INFO, best.mae(), Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, shift.estimates().sentence()));
        }
    }

    private static double median(double[] v) {
        double[] a = v.clone();
        java.util.Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String bestScore(AuditResult.ProbeResult p) {
        if (p.ood() == null || p.ood().uncalibrated().isEmpty()) {
            return null;
        }
        String bestName = null;
        double best = -1;
        for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
            if (e.getValue().auroc() > best) {
                best = e.getValue().auroc();
                bestName = e.getKey();
            }
        }
        return String.format(Locale.ROOT, "The %s score separates them from test images with AUROC %s.", bestName, f3(best));
    }

    static Status status(double v, double warn, double fail, boolean higherIsWorse) {
        if (Double.isNaN(v)) {
            return Status.INFO;
        }
        if (higherIsWorse) {
            return v >= fail ? Status.FAIL : v >= warn ? Status.WARN : Status.PASS;
        }
        return v <= fail ? Status.FAIL : v <= warn ? Status.WARN : Status.PASS;
    }

    static String pct(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double p = 100 * v;
        return (Math.abs(p) >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String f4(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String signed4(double v) {
        // no "-0.0000" for a difference that rounds to zero
        return String.format(Locale.ROOT, "%+.4f", Math.abs(v) < 5e-5 ? 0.0 : v);
    }
}
