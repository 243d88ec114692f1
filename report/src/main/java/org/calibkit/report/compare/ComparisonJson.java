package org.calibkit.report.compare;

import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.report.render.TextFiles;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON twin of the comparison page: {@code schema_version}, {@code kind}
 * ({@code calibkit-comparison}), the shared {@code data} and {@code settings}, and {@code models},
 * one object per model in column order with the compared numbers ({@code test}: the metrics of
 * {@link Comparison#METRICS} before and after calibration with intervals, the temperature, a
 * sigmoid head's none-share; {@code probes}: per probe mean confidence, overconfident share,
 * none-share, AUROC per score) and the model's whole audit under {@code audit} (as
 * {@link AuditJson} writes it). Numbers that could not be computed are {@code null}.
 */
public final class ComparisonJson {
    /** The version of this JSON layout. */
    public static final int SCHEMA_VERSION = 1;
    /** The value of {@code kind}, telling a comparison from a single audit. */
    public static final String KIND = "calibkit-comparison";

    private ComparisonJson() {
    }

    /** The comparison as indented JSON text. */
    public static String toJson(Comparison c) {
        return Json.writePretty(tree(c));
    }

    /** Writes the JSON to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(Comparison c, Path file) {
        TextFiles.writeUtf8(Objects.requireNonNull(file, "file"), toJson(c) + "\n");
    }

    /** The comparison as a JSON tree. */
    public static ObjectNode tree(Comparison c) {
        Objects.requireNonNull(c, "comparison");
        ObjectNode root = Json.object();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("kind", KIND);
        ObjectNode first = AuditJson.tree(c.audits().get(0));
        root.set("data", first.get("data"));
        ObjectNode settings = (ObjectNode) first.get("settings").deepCopy();
        settings.remove("calibration"); // per model: a comparison may mix methods
        root.set("settings", settings);
        ArrayNode models = root.putArray("models");
        for (AuditResult r : c.audits()) {
            models.add(model(r));
        }
        return root;
    }

    private static ObjectNode model(AuditResult r) {
        ObjectNode o = Json.object();
        AuditResult.ModelInfo m = r.model();
        o.put("name", m.name());
        o.put("location", m.location());
        o.put("sha256", m.sha256());
        o.put("kind", m.kind());
        o.put("head", m.head());
        o.put("l2_alpha", Comparison.l2Alpha(m));
        o.put("variant", Comparison.variant(m));
        o.set("test", test(r));
        ArrayNode probes = o.putArray("probes");
        for (ProbeResult p : r.probes()) {
            probes.add(probe(p));
        }
        o.set("audit", AuditJson.tree(r));
        return o;
    }

    private static ObjectNode test(AuditResult r) {
        AuditResult.TestSection t = r.test();
        ObjectNode o = Json.object();
        o.put("n", t.n());
        o.put("method", t.method());
        o.put("calibration", t.calibration());
        Json.putNumber(o, "temperature", t.temperature());
        o.set("uncalibrated", metrics(t.uncalibrated(), t, false));
        o.set("calibrated", t.calibrated() == null ? null : metrics(t.calibrated(), t, true));
        if (t.sigmoid() == null) {
            o.putNull("none_share");
        } else {
            Json.putNumber(o, "none_share", t.sigmoid().noneShare());
        }
        return o;
    }

    /** {@code {"accuracy":..,"ece":..,"nll":..,"ci":{"ece":{"lower":..,"upper":..},...}}}. */
    private static ObjectNode metrics(MetricSummary s, AuditResult.TestSection t, boolean after) {
        ObjectNode o = Json.object();
        ObjectNode ci = Json.object();
        for (String key : Comparison.METRICS) {
            Json.putNumber(o, key, s.get(key));
            Bootstrap.Paired p = t.intervals().get(key);
            if (p == null) {
                ci.putNull(key);
            } else {
                ci.set(key, Json.interval(after ? p.after() : p.before()));
            }
        }
        o.set("ci", ci);
        return o;
    }

    private static ObjectNode probe(ProbeResult p) {
        ObjectNode o = Json.object();
        o.put("name", p.name());
        o.put("kind", p.kind());
        o.put("labelled", p.labelled());
        o.put("skip_reason", p.skipReason());
        Json.putNumber(o, "mean_confidence", p.meanConfidence());
        Json.putNumber(o, "overconfident_share", p.overconfidentShare());
        Json.putNumber(o, "mean_confidence_calibrated", p.meanConfidenceCalibrated());
        Json.putNumber(o, "overconfident_share_calibrated", p.overconfidentShareCalibrated());
        Json.putNumber(o, "accuracy", p.accuracy());
        Json.putNumber(o, "ece", p.ece());
        if (p.sigmoid() == null) {
            o.putNull("none_share");
        } else {
            Json.putNumber(o, "none_share", p.sigmoid().noneShare());
        }
        o.set("auroc", scores(p, OodMetrics.Result::auroc));
        o.set("fpr95", scores(p, OodMetrics.Result::fpr95));
        return o;
    }

    private static JsonNode scores(ProbeResult p, java.util.function.ToDoubleFunction<OodMetrics.Result> f) {
        if (p.skipped() || p.ood() == null) {
            return null;
        }
        ObjectNode o = Json.object();
        for (String score : Comparison.SCORES) {
            OodMetrics.Result res = p.ood().uncalibrated().get(score);
            Json.putNumber(o, score, res == null ? Double.NaN : f.applyAsDouble(res));
        }
        return o;
    }
}
