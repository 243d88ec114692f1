package org.calibkit.report.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Format;
import org.junit.jupiter.api.Test;

/** The summary of at most six lines (five without the doctor's). */
class TerminalSummaryTest {

    @Test
    void fiveLinesWithCountsWorstFindingNumbersAndFiles() {
        AuditResult r = AuditFixture.small();
        String s = TerminalSummary.summary(r, Path.of("out", "report.html"), Path.of("out", "report.json"));
        String[] lines = s.split("\n");
        assertEquals(TerminalSummary.MAX_LINES - 1, lines.length, s); // no doctor line: the check did not run
        for (AuditResult.Status st : AuditResult.Status.values()) {
            assertTrue(lines[0].contains(r.count(st) + " " + st.name().toLowerCase()), lines[0]);
        }
        AuditResult.Verdict worst = r.verdicts().get(0);
        assertEquals(AuditResult.Status.FAIL, worst.status(), "the fixture has failures");
        assertTrue(lines[1].startsWith("worst: FAIL " + worst.title()), lines[1]);
        assertTrue(lines[1].endsWith(worst.reason()), lines[1]);
        assertTrue(lines[2].contains("accuracy " + Format.num(r.test().uncalibrated().accuracy()) + " -> "
                + Format.num(r.test().calibrated().accuracy())), lines[2]);
        assertTrue(lines[2].contains("ECE " + Format.num(r.test().uncalibrated().ece()) + " -> "
                + Format.num(r.test().calibrated().ece())), lines[2]);
        assertTrue(lines[3].endsWith(Path.of("out", "report.html").toString()), lines[3]);
        assertTrue(lines[4].endsWith(Path.of("out", "report.json").toString()), lines[4]);
    }

    @Test
    void userTextCannotAddLines() {
        AuditResult h = AuditFixture.hostile();
        List<AuditResult.Verdict> verdicts = new ArrayList<>(h.verdicts());
        AuditResult.Verdict v = verdicts.get(0);
        verdicts.set(0, new AuditResult.Verdict(v.check(), v.title() + "\nline two", v.status(), v.value(), v.warnAt(),
                v.failAt(), v.lower(), v.upper(), "first\nsecond\r\nthird"));
        AuditResult r = new AuditResult(h.schemaVersion(), h.model(), h.data(), h.settings(), verdicts, h.test(),
                h.inputRange(), h.probes(), h.gallery(), h.provenance());
        String s = TerminalSummary.summary(r, Path.of("r.html"), null);
        assertEquals(4, s.split("\n").length, s);
        assertTrue(s.contains("first second third"), s);
    }

    @Test
    void uncalibratedAndAllPassingReadPlainly() {
        AuditResult plain = AuditFixture.build(new AuditFixture.Options(false, false, false, 0));
        List<AuditResult.Verdict> passing = new ArrayList<>();
        for (AuditResult.Verdict v : plain.verdicts()) {
            passing.add(new AuditResult.Verdict(v.check(), v.title(), AuditResult.Status.PASS, v.value(), v.warnAt(),
                    v.failAt(), v.lower(), v.upper(), v.reason()));
        }
        AuditResult r = new AuditResult(plain.schemaVersion(), plain.model(), plain.data(), plain.settings(), passing,
                plain.test(), plain.inputRange(), plain.probes(), plain.gallery(), plain.provenance());
        String[] lines = TerminalSummary.summary(r, null, null).split("\n");
        assertEquals(3, lines.length);
        assertEquals("every check passes", lines[1]);
        assertTrue(lines[2].endsWith("(not calibrated)"), lines[2]);
        assertTrue(lines[2].contains("accuracy " + Format.num(plain.test().uncalibrated().accuracy()) + ","), lines[2]);
    }
}
