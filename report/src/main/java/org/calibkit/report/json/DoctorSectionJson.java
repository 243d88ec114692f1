package org.calibkit.report.json;

import java.util.Map;

import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.doctor.DoctorSection;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The audit JSON's {@code doctor} object: the doctor's section of the report, key by key as
 * documented in {@code docs/report.md} ("doctor"). Written only when the quick input check ran
 * or was skipped; absent with {@code --no-doctor}, for bundles and for saved predictions.
 */
final class DoctorSectionJson {
    private DoctorSectionJson() {
    }

    static ObjectNode of(DoctorSection s) {
        ObjectNode o = Json.object();
        o.put("skipped", s.skipReason());
        if (s.skipped()) {
            return o;
        }
        o.put("data", s.data());
        o.put("sample", s.sample());
        o.put("seed", s.seed());
        o.put("searched", s.searched());
        o.put("conventions", s.conventions());
        o.put("stopped_early", s.stoppedEarly());
        Json.putNumber(o, "seconds", s.seconds());
        o.put("given_rank", s.givenRank());
        o.set("given", candidate(s.given()));
        o.set("best", candidate(s.best()));
        o.put("flags_to_pass", s.flagsToPass());
        o.put("verdict", s.verdict());
        o.put("tie", s.tie());
        ArrayNode ranking = o.putArray("ranking");
        for (DoctorSection.Ranked r : s.ranking()) {
            ObjectNode row = candidate(r.candidate());
            ObjectNode withRank = ranking.addObject();
            withRank.put("rank", r.rank());
            withRank.setAll(row);
        }
        ObjectNode md = o.putObject("metadata");
        for (Map.Entry<String, String> e : s.metadata().entrySet()) {
            md.put(e.getKey(), e.getValue());
        }
        ArrayNode c = o.putArray("contradictions");
        s.contradictions().forEach(c::add);
        ArrayNode n = o.putArray("notes");
        s.notes().forEach(n::add);
        return o;
    }

    private static ObjectNode candidate(DoctorResult.Candidate c) {
        ObjectNode o = Json.object();
        o.put("convention", c.label());
        o.put("flags", c.flags());
        o.put("given", c.given());
        o.put("images", c.images());
        o.put("stopped_early", c.stoppedEarly());
        Json.putNumber(o, "accuracy", c.accuracy());
        Json.putNumber(o, "nll", c.nll());
        Json.putNumber(o, "mean_confidence", c.meanConfidence());
        Json.putNumber(o, "over_99", c.over99());
        Json.putNumber(o, "ece", c.ece());
        return o;
    }
}
