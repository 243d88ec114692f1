package org.calibkit.report.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.Thresholds;
import org.calibkit.report.render.Fields;
import org.calibkit.report.render.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON twin: round trip, keys, NaN as null, refusal of unknown schema versions, documentation. */
class AuditJsonTest {
    private static final Path DOCS = Path.of("..", "docs", "report.md");

    @Test
    void roundTripKeepsEverySection(@TempDir Path dir) {
        AuditResult r = AuditFixture.small();
        Path file = dir.resolve("audit.json");
        AuditJson.write(r, file);
        JsonNode root = AuditJson.read(file);

        for (String key : List.of("schema_version", "model", "data", "settings", "verdict_counts", "verdicts", "test",
                "input_range", "probes", "gallery", "provenance", "statistics")) {
            assertTrue(root.has(key), "missing " + key);
        }
        assertEquals(AuditResult.SCHEMA_VERSION, root.get("schema_version").asInt());
        assertEquals(r.model().outputKind(), root.at("/model/output_kind").asText());
        assertEquals(r.model().classNames().size(), root.at("/model/class_names").size());
        assertEquals(r.data().testCount(), root.at("/data/test_count").asInt());
        assertEquals(r.settings().threshold(), root.at("/settings/threshold").asDouble(), 0.0);
        Fields.thresholds(Thresholds.defaults()).forEach((k, v) ->
                assertEquals(v, root.at("/settings/thresholds/" + k).asDouble(), 0.0, k));

        assertEquals(r.verdicts().size(), root.get("verdicts").size());
        for (int i = 0; i < r.verdicts().size(); i++) {
            AuditResult.Verdict v = r.verdicts().get(i);
            JsonNode j = root.get("verdicts").get(i);
            assertEquals(v.check(), j.get("check").asText());
            assertEquals(v.status().name().toLowerCase(), j.get("status").asText());
            assertEquals(v.reason(), j.get("reason").asText());
            assertEquals(v.title(), j.get("title").asText());
            assertNumber(v.value(), j.get("value"), v.check() + " value");
            assertNumber(v.warnAt(), j.get("warn_at"), v.check() + " warn_at");
            assertNumber(v.failAt(), j.get("fail_at"), v.check() + " fail_at");
            for (String k : List.of("lower", "upper")) {
                assertTrue(j.has(k), k);
            }
        }
        for (AuditResult.Status s : AuditResult.Status.values()) {
            assertEquals(r.count(s), root.at("/verdict_counts/" + s.name().toLowerCase()).asLong());
        }
    }

    @Test
    void statisticsAreTheResultsNumbers() {
        AuditResult r = AuditFixture.small();
        AuditResult.Statistics s = r.statistics();
        JsonNode j = AuditJson.tree(r).get("statistics");
        assertEquals(s.alpha(), j.get("alpha").asDouble(), 0);
        for (String side : List.of("uncalibrated", "calibrated")) {
            var tests = side.equals("uncalibrated") ? s.testsUncalibrated() : s.testsCalibrated();
            JsonNode a = j.at("/calibration_tests/" + side);
            assertEquals(tests.size(), a.size());
            for (int i = 0; i < tests.size(); i++) {
                assertEquals(tests.get(i).pValue(), a.get(i).get("p_value").asDouble(), 0);
                assertEquals(tests.get(i).statistic(), a.get(i).get("statistic").asDouble(), 0);
                assertEquals(tests.get(i).sentence(0.05), a.get(i).get("sentence").asText());
            }
        }
        assertEquals(List.of("spiegelhalter", "hosmer_lemeshow", "kolmogorov_smirnov", "kuiper"),
                java.util.stream.StreamSupport.stream(j.at("/calibration_tests/uncalibrated").spliterator(), false)
                        .map(n -> n.get("test").asText()).toList());
        assertEquals(10, j.at("/calibration_tests/uncalibrated/1/df").asInt());
        JsonNode bins = j.at("/bin_intervals/uncalibrated");
        assertEquals(r.test().binsBefore().numBins(), bins.size());
        for (int b = 0; b < bins.size(); b++) {
            assertEquals(r.test().binsBefore().count(b), bins.get(b).get("count").asLong());
            if (r.test().binsBefore().count(b) == 0) {
                assertTrue(bins.get(b).at("/clopper_pearson/lower").isNull());
            } else {
                assertEquals(s.binsUncalibrated().wilson().upper(b), bins.get(b).at("/wilson/upper").asDouble(), 0);
            }
        }
        JsonNode sets = j.at("/conformal/sets");
        assertEquals(3, sets.size());
        for (int i = 0; i < 3; i++) {
            AuditResult.ConformalResult c = s.conformal().get(i);
            assertEquals(c.predictor().threshold(), sets.get(i).get("threshold").asDouble(), 0);
            assertEquals(c.test().coverage(), sets.get(i).at("/test/coverage").asDouble(), 0);
            assertEquals(c.probes().size(), sets.get(i).get("probes").size());
            assertEquals(c.probes().get(0).sizeHistogram()[4], sets.get(i).at("/probes/0/size_histogram/4").asLong());
        }
        JsonNode sel = j.get("selective");
        assertEquals(s.selective().size(), sel.size());
        for (int i = 0; i < sel.size(); i++) {
            AuditResult.SelectiveResult x = s.selective().get(i);
            assertEquals(x.aurc(), sel.get(i).get("aurc").asDouble(), 0);
            assertEquals(x.coverage().length, sel.get(i).at("/curve/coverage").size());
            assertEquals(x.targets().get(0).point().coverage(), sel.get(i).at("/targets/0/coverage").asDouble(), 0);
        }
    }

    @Test
    void testSectionHasEveryMetricWithIntervalsAndTheChange() {
        AuditResult r = AuditFixture.small();
        JsonNode t = AuditJson.tree(r).get("test");
        assertEquals("temperature", t.get("method").asText());
        assertEquals(r.test().temperature(), t.get("temperature").asDouble(), 0.0);
        for (Metric m : Metrics.ALL) {
            Bootstrap.Paired p = r.test().intervals().get(m.key());
            assertEquals(r.test().uncalibrated().get(m.key()), t.at("/uncalibrated/" + m.key()).asDouble(), 0.0, m.key());
            assertEquals(r.test().calibrated().get(m.key()), t.at("/calibrated/" + m.key()).asDouble(), 0.0, m.key());
            assertEquals(p.before().lower(), t.at("/uncalibrated/ci/" + m.key() + "/lower").asDouble(), 0.0);
            assertEquals(p.after().upper(), t.at("/calibrated/ci/" + m.key() + "/upper").asDouble(), 0.0);
            assertEquals(p.difference().lower(), t.at("/difference/" + m.key() + "/lower").asDouble(), 0.0);
            assertEquals(r.test().calibrated().get(m.key()) - r.test().uncalibrated().get(m.key()),
                    t.at("/difference/" + m.key() + "/estimate").asDouble(), 1e-15);
            assertEquals(p.significant(), t.at("/significant/" + m.key()).asBoolean(), m.key());
        }
        assertEquals(r.test().binsBefore().numBins(), t.at("/reliability/bins").asInt());
        assertEquals(r.test().binsBefore().numBins(), t.at("/reliability/uncalibrated").size());
        assertEquals(r.test().binsAfter().count(3), t.at("/reliability/calibrated/3/count").asLong());
        assertEquals(r.test().perClass().size(), t.get("per_class").size());
    }

    @Test
    void probesCarryEveryScoreBeforeAndAfterCalibration() {
        AuditResult r = AuditFixture.small();
        JsonNode probes = AuditJson.tree(r).get("probes");
        assertEquals(r.probes().size(), probes.size());
        for (int i = 0; i < r.probes().size(); i++) {
            AuditResult.ProbeResult p = r.probes().get(i);
            JsonNode j = probes.get(i);
            assertEquals(p.name(), j.get("name").asText());
            assertEquals(p.kind(), j.get("kind").asText());
            assertEquals(p.count(), j.get("count").asInt());
            if (p.skipped()) {
                assertEquals(p.skipReason(), j.get("skip_reason").asText());
                assertTrue(j.get("mean_confidence").isNull());
                assertTrue(j.get("auroc").isNull());
                continue;
            }
            assertTrue(j.get("skip_reason").isNull());
            assertEquals(p.meanConfidence(), j.get("mean_confidence").asDouble(), 0.0);
            assertEquals(p.overconfidentShare(), j.get("overconfident_share").asDouble(), 0.0);
            assertEquals(p.overconfidentShareCalibrated(), j.at("/calibrated/overconfident_share").asDouble(), 0.0);
            if (p.ood() == null) { // a labelled shift probe is no detection task
                assertTrue(j.get("auroc") == null || j.get("auroc").isNull() || j.get("auroc").isEmpty(), p.name());
                continue;
            }
            for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
                String s = e.getKey();
                assertEquals(e.getValue().auroc(), j.at("/auroc/" + s).asDouble(), 0.0, s);
                assertEquals(e.getValue().auprIn(), j.at("/aupr_in/" + s).asDouble(), 0.0, s);
                assertEquals(e.getValue().auprOut(), j.at("/aupr_out/" + s).asDouble(), 0.0, s);
                assertEquals(e.getValue().fpr95(), j.at("/fpr95/" + s).asDouble(), 0.0, s);
                assertEquals(p.ood().calibrated().get(s).auroc(), j.at("/calibrated/auroc/" + s).asDouble(), 0.0, s);
            }
            assertEquals(Set.of("msp", "max_logit", "energy", "entropy"), names(j.get("auroc")));
        }
        JsonNode gallery = AuditJson.tree(r).get("gallery");
        assertEquals(r.gallery().size(), gallery.size());
        assertEquals(Set.of("source", "index", "predicted", "confidence", "true_label"), names(gallery.get(0)),
                "the gallery has no image bytes");
    }

    @Test
    void numbersThatCouldNotBeComputedAreNull() {
        AuditResult plain = AuditFixture.build(new AuditFixture.Options(false, false, false, 0));
        String text = AuditJson.toJson(plain);
        assertFalse(text.contains("NaN"), "NaN in JSON");
        assertFalse(text.contains("Infinity"), "Infinity in JSON");
        JsonNode root = AuditJson.tree(plain);
        assertFalse(root.get("test").has("temperature"), "temperature only for temperature scaling");
        assertTrue(root.at("/test/calibrated").isNull());
        assertTrue(root.at("/test/difference").isNull());
        assertTrue(root.at("/test/per_class/0/ece_calibrated").isNull());
        assertTrue(root.at("/probes/0/accuracy").isNull(), "an unlabelled probe has no accuracy");
        assertTrue(root.at("/probes/0/calibrated").isNull());
        JsonNode skipped = root.get("probes").get(plain.probes().size() - 1);
        assertTrue(skipped.get("overconfident_share").isNull());
    }

    @Test
    void unknownSchemaVersionIsRefused(@TempDir Path dir) throws IOException {
        ObjectNode root = AuditJson.tree(AuditFixture.small());
        root.put("schema_version", 99);
        Path future = dir.resolve("future.json");
        Files.writeString(future, Json.write(root));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditJson.read(future));
        assertTrue(e.getMessage().contains("schema_version 99"), e.getMessage());
        assertTrue(e.getMessage().contains("version " + AuditResult.SCHEMA_VERSION), e.getMessage());
        assertTrue(e.getMessage().contains(future.toString()), e.getMessage());

        root.remove("schema_version");
        Path none = dir.resolve("none.json");
        Files.writeString(none, Json.write(root));
        e = assertThrows(IllegalArgumentException.class, () -> AuditJson.read(none));
        assertTrue(e.getMessage().contains("no schema_version"), e.getMessage());

        root.put("schema_version", "1");
        Path text = dir.resolve("text.json");
        Files.writeString(text, Json.write(root));
        assertThrows(IllegalArgumentException.class, () -> AuditJson.read(text));

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"schema_version\": 1,\n  \"model\": {");
        e = assertThrows(IllegalArgumentException.class, () -> AuditJson.read(broken));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.json");
        Files.writeString(file, "old");
        AuditResult r = AuditFixture.small();
        AuditJson.write(r, file);
        assertEquals(AuditJson.toJson(r) + "\n", Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    /**
     * docs/report.md documents every key the JSON has (maps keyed by data, such as metric keys,
     * score names, class details and timings, are documented by what they are keyed by), every
     * metric key and every threshold with its default.
     */
    @Test
    void schemaIsDocumented() throws IOException {
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        JsonNode root = AuditJson.tree(AuditFixture.build(new AuditFixture.Options(false, true, true, 0))
                .withDoctor(org.calibkit.report.doctor.DoctorSection.of(AuditFixture.doctorResult(false))));
        assertTrue(root.has("doctor"), "the doctor's keys are checked too");
        Set<String> keys = new TreeSet<>();
        collect(root, keys);
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            if (!docs.contains("`" + k + "`")) {
                missing.add(k);
            }
        }
        for (Metric m : Metrics.ALL) {
            if (!docs.contains("`" + m.key() + "`")) {
                missing.add("metric " + m.key());
            }
        }
        Fields.thresholds(Thresholds.defaults()).forEach((k, v) -> {
            String row = "`" + k + "` | " + org.calibkit.report.render.Format.threshold(v);
            if (!docs.contains(row)) {
                missing.add("threshold row '" + row + "'");
            }
        });
        assertTrue(missing.isEmpty(), "docs/report.md does not document: " + missing);
    }

    /** Field names, not descending into maps keyed by data (a model's own metadata among them). */
    private static void collect(JsonNode node, Set<String> keys) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, keys));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            keys.add(k);
            if (!Set.of("details", "parameters", "timings", "ci", "difference", "significant", "auroc", "aupr_in",
                    "aupr_out", "fpr95", "thresholds", "metadata").contains(k)) {
                collect(e.getValue(), keys);
            }
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A finite number as itself, a missing one (NaN) as JSON null. */
    private static void assertNumber(double expected, JsonNode actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(actual == null || actual.isNull(), what + " should be null");
        } else {
            assertEquals(expected, actual.asDouble(), 0.0, what);
        }
    }
}
