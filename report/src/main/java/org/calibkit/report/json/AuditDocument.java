package org.calibkit.report.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.Status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit JSON as one record per object, bound by Jackson ({@link JsonBinding}): each
 * component is a key, in this order. Sections whose JSON differs from the result type have their
 * own record here or in a sibling file; the rest ({@code data}, {@code settings}, {@code verdicts},
 * {@code input_range}, the per-class rows) are the result's own records. {@code verdict_counts}
 * follows from the verdicts and is not read back.
 */
record AuditDocument(int schemaVersion, ModelJson model, AuditResult.DataInfo data, AuditResult.Settings settings,
                     Map<String, Long> verdictCounts, List<AuditResult.Verdict> verdicts, TestSectionJson test,
                     AuditResult.InputRange inputRange, List<ProbeJson> probes, List<GalleryJson> gallery,
                     ProvenanceJson provenance, StatisticsJson statistics,
                     @JsonInclude(JsonInclude.Include.NON_NULL) ShiftSectionJson shift,
                     @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode doctor) {

    /** The keys that are written only when their section exists: read back as null when absent. */
    static final List<String> OPTIONAL = List.of("shift", "doctor");

    /** The model; its typed hyper-parameters are not part of the JSON (they are shown through {@code details}). */
    record ModelJson(String name, String location, String sha256, String kind, String head, String outputKind,
                     List<String> classNames, String preprocessing, Map<String, String> details) {
        static ModelJson of(AuditResult.ModelInfo m) {
            return new ModelJson(m.name(), m.location(), m.sha256(), m.kind(), m.head(), m.outputKind(), m.classNames(),
                    m.preprocessing(), m.details());
        }

        AuditResult.ModelInfo toInfo() {
            return new AuditResult.ModelInfo(name, location, sha256, kind, head, outputKind, classNames, preprocessing,
                    details);
        }
    }

    /** A gallery entry without its image (a result read back has no images). */
    record GalleryJson(String source, int index, String predicted, double confidence, String trueLabel) {
    }

    record ProvenanceJson(String calibkitVersion, String createdAt, String runId, String javaVersion, double seconds,
                          Map<String, Double> timings) {
    }

    static AuditDocument of(AuditResult r) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            counts.put(s.name().toLowerCase(Locale.ROOT), r.count(s));
        }
        AuditResult.Provenance p = r.provenance();
        return new AuditDocument(r.schemaVersion(), ModelJson.of(r.model()), r.data(), r.settings(), counts, r.verdicts(),
                TestSectionJson.of(r.test()), r.inputRange(), r.probes().stream().map(ProbeJson::of).toList(),
                r.gallery().stream().map(g -> new GalleryJson(g.source(), g.index(), g.predicted(), g.confidence(),
                        g.trueLabel())).toList(),
                new ProvenanceJson(p.calibkitVersion(), p.createdAt(), p.runId(), p.javaVersion(), p.seconds(), p.timings()),
                r.statistics() == null ? null : StatisticsJson.of(r.statistics()),
                r.shift() == null ? null : ShiftSectionJson.of(r.shift()),
                r.doctor() == null ? null : JsonBinding.MAPPER.valueToTree(DoctorSectionJson.of(r.doctor())));
    }

    /**
     * The result these keys describe.
     *
     * @throws IllegalArgumentException naming the key when a section does not hold together (e.g. {@code test.reliability...})
     */
    AuditResult toResult() {
        TestSectionJson t = require(test, "test");
        AuditResult.TestSection section = section("test", t::toSection);
        AuditResult.Statistics stats = statistics == null ? null
                : section("statistics", () -> statistics.toStatistics(section.n()));
        return new AuditResult(schemaVersion, require(model, "model").toInfo(), require(data, "data"),
                require(settings, "settings"), require(verdicts, "verdicts"), section, inputRange,
                require(probes, "probes").stream().map(ProbeJson::toResult).toList(),
                require(gallery, "gallery").stream().map(g -> new AuditResult.GalleryItem(g.source(), g.index(),
                        g.predicted(), g.confidence(), g.trueLabel(), Optional.empty())).toList(),
                provenance(require(provenance, "provenance")), stats,
                shift == null ? null : section("shift", shift::toSection), doctorSection());
    }

    private static AuditResult.Provenance provenance(ProvenanceJson p) {
        return new AuditResult.Provenance(p.calibkitVersion(), p.createdAt(), p.javaVersion(), p.seconds(), p.timings(),
                require(p.runId(), "provenance.run_id"));
    }

    private org.calibkit.report.doctor.DoctorSection doctorSection() {
        if (doctor == null || doctor.isNull()) {
            return null;
        }
        if (DoctorSectionJson.skippedOnly(doctor)) {
            return org.calibkit.report.doctor.DoctorSection.skipped(doctor.get("skipped").asText());
        }
        try {
            return JsonBinding.MAPPER.treeToValue(doctor, DoctorSectionJson.class).toSection();
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new IllegalArgumentException("doctor." + JsonBinding.describe(e), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("doctor: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T require(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException(key + ": null, but it is required");
        }
        return value;
    }

    private static <T> T section(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(JsonBinding.under(key, e.getMessage()), e);
        }
    }
}
