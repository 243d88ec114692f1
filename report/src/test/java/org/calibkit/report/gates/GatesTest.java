package org.calibkit.report.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.json.AuditJson;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Gates read the JSON twin's values: every expected value below is read from the same tree by plain Jackson paths. */
class GatesTest {
    private static final AuditResult R = AuditFixture.small();
    private static final JsonNode J = AuditJson.tree(R);

    private static Gates.Outcome one(String spec) {
        List<Gates.Outcome> o = Gates.evaluate(Gates.parse(spec), R);
        assertEquals(1, o.size());
        return o.get(0);
    }

    @Test
    void parsesEveryOperatorAndSpaces() {
        List<Gate> g = Gates.parse(" ece > 0.05, nll>=1e-1 ,probe.blank-black.overconfident_share<0.5,accuracy<=.9");
        assertEquals(4, g.size());
        assertEquals(new Gate("ece", Gate.Op.GT, 0.05), g.get(0));
        assertEquals(new Gate("nll", Gate.Op.GE, 0.1), g.get(1));
        assertEquals(Gate.Op.LT, g.get(2).op());
        assertEquals(new Gate("accuracy", Gate.Op.LE, 0.9), g.get(3));
        assertEquals("ece>0.05", g.get(0).toString());
        assertEquals("0.000072", Gate.num(7.2e-5));
        assertEquals("100", Gate.num(100));
        assertEquals("0.0367957", Gate.num(0.036795745814));
        assertEquals("1.5E-9", Gate.num(1.5e-9));
    }

    @Test
    void refusesWhatDoesNotParse() {
        for (String bad : List.of("", "ece", "ece>", ">0.1", "ece>>0.1", "ece=0.1", "ece>0.1,", "ece>abc", "ece>NaN",
                "ece>Infinity", "e ce>0.1", "ece>0x10")) {
            GateException e = assertThrows(GateException.class, () -> Gates.parse(bad), bad);
            assertTrue(e.getMessage().contains("does not parse") || e.getMessage().contains("empty gate"), e.getMessage());
        }
    }

    @Test
    void aBareMetricIsTheCalibratedTestValueWhenCalibrated() {
        double calibrated = J.path("test").path("calibrated").path("ece").asDouble();
        Gates.Outcome o = one("ece>0.05");
        assertEquals("test.calibrated.ece", o.path());
        assertEquals(calibrated, o.value(), 0);
        assertEquals(!(calibrated > 0.05), o.holds());
        assertEquals(J.path("test").path("uncalibrated").path("ece").asDouble(), one("test.uncalibrated.ece>0.05").value(), 0);
    }

    @Test
    void aBareMetricIsTheUncalibratedValueWithoutCalibration() {
        AuditResult plain = AuditFixture.build(new AuditFixture.Options(false, false, false, 0));
        Gates.Outcome o = Gates.evaluate(Gates.parse("nll>10"), plain).get(0);
        assertEquals("test.uncalibrated.nll", o.path());
        assertEquals(AuditJson.tree(plain).path("test").path("uncalibrated").path("nll").asDouble(), o.value(), 0);
        assertTrue(o.holds());
    }

    @Test
    void probesByNameAndScoresByKey() {
        JsonNode blank = null;
        JsonNode noise = null;
        for (JsonNode p : J.path("probes")) {
            if (p.path("name").asText().equals("blank-black")) {
                blank = p;
            }
            if (p.path("name").asText().equals("noise-uniform")) {
                noise = p;
            }
        }
        Gates.Outcome share = one("probe.blank-black.overconfident_share>0.5");
        assertEquals("probes.blank-black.overconfident_share", share.path());
        assertEquals(blank.path("overconfident_share").asDouble(), share.value(), 0);
        assertFalse(share.holds(), "the fixture's blank probe is all overconfident");
        assertTrue(share.describe().startsWith("probe.blank-black.overconfident_share = 1 fails > 0.5"), share.describe());

        Gates.Outcome auroc = one("probe.noise-uniform.auroc.energy<0.9");
        assertEquals(noise.path("auroc").path("energy").asDouble(), auroc.value(), 0);
        assertEquals(one("probes.noise-uniform.auroc.energy<0.9").value(), auroc.value(), 0);
        assertEquals(noise.path("calibrated").path("overconfident_share").asDouble(),
                one("probe.noise-uniform.calibrated.overconfident_share>0.9").value(), 0);
    }

    @Test
    void arraysByCheckIdOrIndexAndBooleansAsNumbers() {
        JsonNode first = J.path("verdicts").get(0);
        assertEquals(first.path("value").asDouble(),
                one("verdicts." + first.path("check").asText() + ".value>100").value(), 0);
        assertEquals(J.path("test").path("per_class").get(2).path("recall").asDouble(),
                one("test.per_class.2.recall<0.5").value(), 0);
        assertEquals(J.path("verdict_counts").path("fail").asDouble(), one("verdict_counts.fail>0").value(), 0);
    }

    @Test
    void anUnknownKeyOrANonNumberIsAUsageError() {
        GateException e = assertThrows(GateException.class, () -> one("probe.blank-blak.overconfident_share>0.5"));
        assertTrue(e.getMessage().contains("probes has no 'blank-blak'"), e.getMessage());
        assertTrue(e.getMessage().contains("blank-black"), "lists the probes: " + e.getMessage());
        e = assertThrows(GateException.class, () -> one("eece>0.1"));
        assertTrue(e.getMessage().startsWith("gate key 'eece' is not in the audit"), e.getMessage());
        e = assertThrows(GateException.class, () -> one("test.uncalibrated>0.1"));
        assertTrue(e.getMessage().contains("is an object, not a number"), e.getMessage());
        assertThrows(GateException.class, () -> one("model.name>1"));
        assertThrows(GateException.class, () -> one("test.per_class.99.recall>1"));
    }

    @Test
    void aValueThatWasNotComputedFailsTheGate() {
        Gates.Outcome o = one("probe.notmnist.overconfident_share>0.5");
        assertTrue(Double.isNaN(o.value()));
        assertFalse(o.holds(), "a skipped probe must not pass a gate");
        assertTrue(o.describe().contains("has no value"), o.describe());
        assertFalse(Gates.allHold(List.of(o)));
    }
}
