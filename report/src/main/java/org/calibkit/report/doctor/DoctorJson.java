package org.calibkit.report.doctor;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The doctor's findings as JSON, schema {@value DoctorResult#SCHEMA}. */
public final class DoctorJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DoctorJson() {
    }

    /** The JSON text: {@code schema}, the result's fields, and {@code verdict} (null when the flags are fine). */
    public static String render(DoctorResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", DoctorResult.SCHEMA);
        m.put("model", r.model());
        m.put("model_type", r.modelType());
        m.put("data", r.data());
        m.put("sample", r.sample());
        m.put("seed", r.seed());
        m.put("classes", r.classes());
        m.put("seconds", r.seconds());
        m.put("searched", r.searched());
        m.put("given_rank", r.givenRank());
        m.put("best", r.best());
        m.put("verdict", InputCheck.check(r).orElse(null));
        m.put("tie", r.tie().orElse(null));
        m.put("contradictions", r.contradictions());
        m.put("metadata", r.metadata());
        m.put("notes", r.notes());
        m.put("candidates", r.candidates());
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
