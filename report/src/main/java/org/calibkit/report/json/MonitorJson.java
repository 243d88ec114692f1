package org.calibkit.report.json;

import java.util.Objects;

import org.calibkit.calibration.shift.Estimate;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The monitor's JSON twin: versioned, NaN as null, keys documented in docs/monitor.md. */
public final class MonitorJson {
    private MonitorJson() {
    }

    /** The result as indented JSON text. */
    public static String toJson(MonitorResult r) {
        Objects.requireNonNull(r, "result");
        ObjectNode o = Json.object();
        o.put("format", "calibkit-monitor");
        o.put("schema_version", MonitorResult.SCHEMA_VERSION);
        o.put("source", r.source());
        ObjectNode ref = o.putObject("reference");
        Json.putNumber(ref, "accuracy", r.referenceAccuracy());
        ref.put("rows", r.referenceRows());
        ref.put("calibration", r.calibration());
        ref.put("estimator", r.primary());
        ref.put("unfamiliar_score", r.unfamiliarScore());
        Json.putNumber(ref, "unfamiliar_below", r.unfamiliarBelow());
        ObjectNode set = o.putObject("settings");
        set.put("window", r.windowing());
        set.put("bins", r.options().bins());
        Json.putNumber(set, "min_band", r.options().minBand());
        Json.putNumber(set, "sigmas", r.options().sigmas());
        Json.putNumber(set, "class_mix_p", r.options().classMixP());
        Json.putNumber(set, "class_mix_p_per_window", r.classMixLevel());
        Json.putNumber(set, "unfamiliar_tpr", r.options().unfamiliarTpr());
        ArrayNode alerts = o.putArray("alerts");
        r.alerts().forEach(a -> {
            ObjectNode ao = alerts.addObject();
            ao.put("window", a.window());
            ao.put("kind", a.kind());
            ao.put("message", a.message());
        });
        ArrayNode windows = o.putArray("windows");
        for (MonitorResult.Window w : r.windows()) {
            ObjectNode wo = windows.addObject();
            wo.put("index", w.index());
            wo.put("name", w.name());
            wo.put("first_row", w.firstRow());
            wo.put("rows", w.rows());
            Json.putNumber(wo, "mean_confidence", w.meanConfidence());
            ArrayNode est = wo.putArray("estimates");
            for (Estimate e : w.estimates()) {
                ObjectNode eo = est.addObject();
                eo.put("estimator", e.estimator());
                Json.putNumber(eo, "accuracy", e.accuracy());
                Json.putNumber(eo, "lower", e.lower());
                Json.putNumber(eo, "upper", e.upper());
            }
            Json.putNumber(wo, "band_lower", w.bandLower());
            Json.putNumber(wo, "unfamiliar_share", w.unfamiliarShare());
            Json.putNumber(wo, "unfamiliar_limit", w.unfamiliarLimit());
            Json.putNumber(wo, "class_mix_p", w.classMixP());
            wo.put("labelled", w.labelled());
            Json.putNumber(wo, "accuracy", w.accuracy());
            Json.putNumber(wo, "ece", w.ece());
            Json.putNumber(wo, "estimate_error", w.estimateError());
        }
        return Json.writePretty(o);
    }
}
