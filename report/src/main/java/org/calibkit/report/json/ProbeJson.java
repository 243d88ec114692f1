package org.calibkit.report.json;

import java.util.LinkedHashMap;
import java.util.Map;

import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;

/**
 * One entry of the audit JSON's {@code probes} (docs/report.md, "probes"). The OOD detection
 * metrics are written one object per metric, keyed by score ({@code "auroc": {"msp": ..}}), each
 * null when the probe was not scored; {@code calibrated} is null when nothing was calibrated.
 */
record ProbeJson(String name, String kind, String description, String skipReason, int count, boolean labelled,
                 double meanConfidence, double overconfidentShare, double accuracy, double ece, int[] predictedHistogram,
                 double[] confidenceHistogram, Map<String, Double> auroc, Map<String, Double> auprIn,
                 Map<String, Double> auprOut, Map<String, Double> fpr95, AuditResult.SigmoidStats sigmoid,
                 CalibratedJson calibrated) {

    /** The probe after calibration. */
    record CalibratedJson(double meanConfidence, double overconfidentShare, double ece, Map<String, Double> auroc,
                          Map<String, Double> auprIn, Map<String, Double> auprOut, Map<String, Double> fpr95) {
    }

    static ProbeJson of(ProbeResult p) {
        Map<String, OodMetrics.Result> u = p.ood() == null ? null : p.ood().uncalibrated();
        Map<String, OodMetrics.Result> c = p.ood() == null ? null : p.ood().calibrated();
        boolean hasCalibrated = Double.isFinite(p.meanConfidenceCalibrated()) || c != null;
        CalibratedJson cal = hasCalibrated ? new CalibratedJson(p.meanConfidenceCalibrated(),
                p.overconfidentShareCalibrated(), p.eceCalibrated(), by(c, OodMetrics.Result::auroc),
                by(c, OodMetrics.Result::auprIn), by(c, OodMetrics.Result::auprOut), by(c, OodMetrics.Result::fpr95)) : null;
        return new ProbeJson(p.name(), p.kind(), p.description(), p.skipReason(), p.count(), p.labelled(),
                p.meanConfidence(), p.overconfidentShare(), p.accuracy(), p.ece(), p.predictedHistogram(),
                p.confidenceHistogram(), by(u, OodMetrics.Result::auroc), by(u, OodMetrics.Result::auprIn),
                by(u, OodMetrics.Result::auprOut), by(u, OodMetrics.Result::fpr95), p.sigmoid(), cal);
    }

    private static Map<String, Double> by(Map<String, OodMetrics.Result> byScore,
                                          java.util.function.ToDoubleFunction<OodMetrics.Result> metric) {
        if (byScore == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byScore.forEach((score, r) -> out.put(score, metric.applyAsDouble(r)));
        return out;
    }

    /** The probe as the audit built it; the ECE after calibration is NaN when {@code calibrated} is null. */
    ProbeResult toResult() {
        Map<String, OodMetrics.Result> u = ood("", auroc, auprIn, auprOut, fpr95);
        Map<String, OodMetrics.Result> c = calibrated == null ? null
                : ood("calibrated.", calibrated.auroc(), calibrated.auprIn(), calibrated.auprOut(), calibrated.fpr95());
        if (u == null && c != null) {
            throw new IllegalArgumentException("auroc: null, but calibrated.auroc is there");
        }
        return new ProbeResult(name, kind, description, skipReason, count, labelled, meanConfidence, overconfidentShare,
                calibrated == null ? Double.NaN : calibrated.meanConfidence(),
                calibrated == null ? Double.NaN : calibrated.overconfidentShare(), accuracy, ece,
                calibrated == null ? Double.NaN : calibrated.ece(), predictedHistogram, confidenceHistogram,
                u == null ? null : new AuditResult.OodScores(u, c), sigmoid);
    }

    private Map<String, OodMetrics.Result> ood(String where, Map<String, Double> auroc, Map<String, Double> auprIn,
                                               Map<String, Double> auprOut, Map<String, Double> fpr95) {
        if (auroc == null) {
            return null;
        }
        Map<String, OodMetrics.Result> out = new LinkedHashMap<>();
        for (String score : auroc.keySet()) {
            out.put(score, new OodMetrics.Result(auroc.get(score), value(where + "aupr_in", auprIn, score),
                    value(where + "aupr_out", auprOut, score), value(where + "fpr95", fpr95, score)));
        }
        return out;
    }

    private static double value(String where, Map<String, Double> m, String score) {
        if (m == null || !m.containsKey(score)) {
            throw new IllegalArgumentException(where + "." + score + ": missing");
        }
        return m.get(score);
    }
}
