package org.calibkit.report.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.shift.LabelledLogits;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Json;
import org.calibkit.report.shift.ShiftSet;
import org.calibkit.report.shift.SweepOptions;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit's shift section through the public path, on hand-made outputs whose metrics are
 * known by hand. Every row of every set has logits {@code [ln 57, 0, 0, 0]}: confidence
 * 57 / 60 = 0.95 on class 0. A set whose first {@code c} of 100 rows are labelled 0 has accuracy
 * c / 100, all rows in one bin, so ECE = |0.95 - c/100| exactly. Nothing is calibrated (no
 * validation split), so after equals before. The sweep "spin" has points at 0, 90 and 180 with
 * accuracies 0.95, 0.60, 0.20: ECE 0 (pass), 0.35 and 0.75 (fail, at its strongest point, 0.75 >=
 * 0.25); "fam/a" and "fam/b" at severities 1 and 5 (accuracies 0.95/0.90 and 0.95/0.70): the
 * family's ECE at severity 5 is the median of 0.05 and 0.25 = 0.15 (warn: 0.10 <= x < 0.25).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShiftSectionTest {
    private AuditResult result;

    private static Logits sure(int n) {
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = new double[] {Math.log(57), 0, 0, 0};
        }
        return Logits.of(z);
    }

    private static int[] labels(int n, int correct) {
        int[] y = new int[n];
        for (int i = correct; i < n; i++) {
            y[i] = 1;
        }
        return y;
    }

    private static ShiftSet set(String sweep, String unit, double intensity, int correct) {
        String name = sweep + "/" + (long) intensity;
        return new ShiftSet(sweep, unit, intensity, new LabelledLogits(name, sure(100), labels(100, correct)));
    }

    @BeforeAll
    void audit() {
        SavedPredictions p = new SavedPredictions(List.of("a", "b", "c", "d"), OutputKind.LOGITS, Head.SOFTMAX,
                new SavedPredictions.Split(sure(100), labels(100, 95)), Optional.empty(), Map.of());
        List<ShiftSet> sets = new ArrayList<>(List.of(set("spin", "degrees", 0, 95), set("spin", "degrees", 90, 60),
                set("spin", "degrees", 180, 20), set("fam/a", "severity", 1, 95), set("fam/a", "severity", 5, 90),
                set("fam/b", "severity", 1, 95), set("fam/b", "severity", 5, 70)));
        ModelOutputs outputs = ModelOutputs.of(p).withShifts(new ModelOutputs.Shifts(sets, SweepOptions.defaults()));
        result = Audit.ofOutputs(outputs, AuditOptions.defaults().withCalibration("none").withResamples(20));
    }

    private Verdict verdict(String check) {
        return result.verdicts().stream().filter(v -> v.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void oneVerdictPerFamilyOnTheEceAtItsStrongestShift() {
        Verdict spin = verdict("shift.spin.ece");
        assertEquals(Status.FAIL, spin.status());
        assertEquals(0.75, spin.value(), 1e-12);
        assertEquals("Without calibration, under spin: ECE 0.000 at the weakest shift -> 0.750 at 180 degrees, where "
                + "accuracy is 20% and mean confidence 95%. The confidence does not follow the accuracy.", spin.reason());
        Verdict fam = verdict("shift.fam.ece");
        assertEquals(Status.WARN, fam.status());
        assertEquals(0.15, fam.value(), 1e-12);
        assertTrue(fam.reason().contains("-> 0.150 at severity 5 (median over 2 corruptions), where accuracy is 80%"),
                fam.reason());
        // no validation split: no label-free estimates to check
        assertTrue(result.verdicts().stream().noneMatch(v -> v.check().equals("shift.estimates")));
        assertNull(result.shift().estimates());
    }

    @Test
    void everyPointsMetricsAreInTheJsonTwin() throws Exception {
        JsonNode shift = Json.MAPPER.readTree(AuditJson.toJson(result)).get("shift");
        assertNotNull(shift, "the JSON twin has no shift section");
        assertEquals("none", shift.get("calibration").asText());
        assertTrue(shift.get("ece_estimate").isNull(), "no validation split, no map: no label-free ECE estimate");
        assertEquals(7, shift.get("points").size());
        JsonNode p = shift.get("points").get(2);
        assertEquals("spin/180", p.get("point").asText());
        assertEquals(180, p.get("intensity").asDouble(), 0);
        assertEquals(0.20, p.at("/uncalibrated/accuracy").asDouble(), 1e-12);
        assertEquals(0.95, p.at("/uncalibrated/mean_confidence").asDouble(), 1e-12);
        assertEquals(0.75, p.at("/uncalibrated/ece").asDouble(), 1e-12);
        // NLL by hand: 20 rows -ln 0.95, 80 rows -ln(1/60)
        assertEquals((20 * -Math.log(0.95) + 80 * Math.log(60)) / 100, p.at("/uncalibrated/nll").asDouble(), 1e-9);
        assertEquals(p.get("uncalibrated"), p.get("calibrated"));
        assertTrue(shift.get("estimates").isNull());
    }

    @Test
    void theReportDrawsOneChartPerFamilyAndLinksTheSection() {
        Document d = Jsoup.parse(HtmlReport.render(result));
        assertNotNull(d.selectFirst("nav a[href=#shift]"));
        assertEquals(2, d.select("#shift figure img[src^=data:image/png;base64,]").size());
        assertTrue(d.select("#shift figcaption").eachText().containsAll(List.of("Along the spin sweep", "Along the fam sweep")));
        assertNull(d.selectFirst("#corruption-examples")); // outputs without images: no example grid
    }

    /**
     * Corruption probes ({@code --probes mnist-c}) get one verdict per family, not one per probe:
     * at severity 5, mnist-c/a has accuracy 0.90 (ECE 0.05) and mnist-c/b 0.70 (ECE 0.25), so the
     * median ECE is 0.15 (warn) and the worst is mnist-c/b/5; severity 1 is not the strongest.
     */
    @Test
    void corruptionProbesGetOneVerdictPerFamily() {
        SavedPredictions p = new SavedPredictions(List.of("a", "b", "c", "d"), OutputKind.LOGITS, Head.SOFTMAX,
                new SavedPredictions.Split(sure(100), labels(100, 95)), Optional.empty(),
                Map.of("mnist-c/a/5", sure(100), "mnist-c/b/5", sure(100), "mnist-c/a/1", sure(100)));
        ModelOutputs outputs = ModelOutputs.of(p).withProbeLabels("mnist-c/a/5", labels(100, 90))
                .withProbeLabels("mnist-c/b/5", labels(100, 70)).withProbeLabels("mnist-c/a/1", labels(100, 95));
        AuditResult r = Audit.ofOutputs(outputs, AuditOptions.defaults().withCalibration("none").withResamples(20));
        List<Verdict> family = r.verdicts().stream().filter(v -> v.check().startsWith("probe.mnist-c")).toList();
        assertEquals(1, family.size(), family.toString());
        Verdict v = family.get(0);
        assertEquals("probe.mnist-c.ece", v.check());
        assertEquals(Status.WARN, v.status());
        assertEquals(0.15, v.value(), 1e-12);
        assertEquals("Over the 2 mnist-c corruptions at severity 5, median accuracy 80% and median ECE 0.150; worst "
                + "mnist-c/b/5 (ECE 0.250). The model does not lower its confidence as fast as it loses accuracy on "
                + "corrupted inputs.", v.reason());
        assertEquals(3, r.probes().size()); // the probe table keeps every probe
    }

    @Test
    void withoutSweepsThereIsNoSectionAndNoKey() throws Exception {
        SavedPredictions p = new SavedPredictions(List.of("a", "b", "c", "d"), OutputKind.LOGITS, Head.SOFTMAX,
                new SavedPredictions.Split(sure(100), labels(100, 95)), Optional.empty(), Map.of());
        AuditResult plain = Audit.ofPredictions(p, AuditOptions.defaults().withCalibration("none").withResamples(20));
        assertNull(plain.shift());
        assertFalse(Json.MAPPER.readTree(AuditJson.toJson(plain)).has("shift"));
        Document d = Jsoup.parse(HtmlReport.render(plain));
        assertNull(d.selectFirst("#shift"));
        assertNull(d.selectFirst("nav a[href=#shift]"));
    }
}
