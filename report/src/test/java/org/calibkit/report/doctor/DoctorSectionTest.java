package org.calibkit.report.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Format;
import org.calibkit.report.terminal.TerminalSummary;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The doctor's section of the audit report, in its three renderings, from a doctor result whose
 * numbers are known (the fixture's, {@link AuditFixture#doctorResult}): the renderings must show
 * exactly those numbers, the best {@value DoctorSection#TOP} conventions and the given flags'
 * row wherever it ranks, and nothing of it when the check did not run.
 */
class DoctorSectionTest {
    private static final DoctorResult RESULT = AuditFixture.doctorResult(false);
    private static final DoctorSection SECTION = DoctorSection.of(RESULT);

    @Test
    void theSectionKeepsTheTopFiveAndTheGivenFlagsRow() {
        List<Integer> ranks = new ArrayList<>();
        SECTION.ranking().forEach(r -> ranks.add(r.rank()));
        assertEquals(List.of(1, 2, 3, 4, 5, 7), ranks, "the top five, then the given flags at rank 7");
        assertTrue(SECTION.ranking().get(5).candidate().given());
        assertEquals(RESULT.candidates().get(6), SECTION.given());
        assertEquals(8, SECTION.conventions());
        assertEquals(1, SECTION.stoppedEarly());
        assertEquals("--scale 1/255 --layout flat-hwc-t", SECTION.flagsToPass());
        // 13.6% as given against 93.0% for the best: far below (15 points or more), so there is a verdict
        assertEquals(InputCheck.check(RESULT).orElseThrow().message(), SECTION.verdict());
        assertTrue(SECTION.verdict().contains("pass --scale 1/255 --layout flat-hwc-t"), SECTION.verdict());
        assertEquals(List.of("producer_name", "Image.NominalPixelRange"), List.copyOf(SECTION.metadata().keySet()),
                "metadata in the order read");

        // when the given flags are among the top five, no row is added
        List<DoctorResult.Candidate> c = new ArrayList<>(RESULT.candidates());
        DoctorResult.Candidate g = c.remove(6);
        c.add(1, g);
        DoctorResult near = new DoctorResult(RESULT.model(), RESULT.modelType(), RESULT.data(), RESULT.sample(),
                RESULT.seed(), RESULT.classes(), RESULT.searched(), c, 2, c.get(0), RESULT.tie(), RESULT.metadata(),
                RESULT.contradictions(), RESULT.notes(), RESULT.seconds());
        assertEquals(DoctorSection.TOP, DoctorSection.of(near).ranking().size());
    }

    @Test
    void jsonCarriesTheSectionAndNoDoctorKeyWithoutIt() {
        JsonNode j = AuditJson.tree(AuditFixture.small().withDoctor(SECTION));
        JsonNode d = j.get("doctor");
        assertTrue(d.get("skipped").isNull());
        assertEquals(7, d.get("given_rank").asInt());
        assertEquals(8, d.get("conventions").asInt());
        assertEquals(1, d.get("stopped_early").asInt());
        assertEquals(200, d.get("sample").asInt());
        assertEquals("--scale 1/255 --layout flat-hwc-t", d.get("flags_to_pass").asText());
        assertEquals(SECTION.verdict(), d.get("verdict").asText());
        assertEquals(RESULT.tie().orElseThrow(), d.get("tie").asText());
        assertEquals(6, d.get("ranking").size());
        for (int i = 0; i < 6; i++) {
            JsonNode row = d.get("ranking").get(i);
            DoctorSection.Ranked want = SECTION.ranking().get(i);
            assertEquals(want.rank(), row.get("rank").asInt());
            assertEquals(want.candidate().label(), row.get("convention").asText());
            assertEquals(want.candidate().flags(), row.get("flags").asText());
            assertEquals(want.candidate().accuracy(), row.get("accuracy").asDouble(), 0);
            assertEquals(want.candidate().nll(), row.get("nll").asDouble(), 0);
            assertEquals(want.candidate().meanConfidence(), row.get("mean_confidence").asDouble(), 0);
            assertEquals(want.candidate().over99(), row.get("over_99").asDouble(), 0);
            assertEquals(want.candidate().ece(), row.get("ece").asDouble(), 0);
        }
        assertTrue(d.get("given").get("given").asBoolean());
        assertEquals(0.136, d.get("given").get("accuracy").asDouble(), 0);
        assertEquals("NominalRange_0_255", d.get("metadata").get("Image.NominalPixelRange").asText());
        assertEquals(1, d.get("contradictions").size());
        assertFalse(AuditJson.tree(AuditFixture.small()).has("doctor"), "no doctor key when the check did not run");

        JsonNode s = AuditJson.tree(AuditFixture.small().withDoctor(DoctorSection.skipped("model m.onnx: no layout fits")))
                .get("doctor");
        assertEquals("model m.onnx: no layout fits", s.get("skipped").asText());
        assertEquals(1, s.size(), "a skipped check says why and nothing else");
    }

    @Test
    void htmlShowsTheRankingAndTheFlagsToPass() {
        Document d = Jsoup.parse(HtmlReport.render(AuditFixture.small().withDoctor(SECTION)));
        Element sec = d.selectFirst("section#doctor");
        assertTrue(sec != null, "no doctor section");
        assertEquals(1, d.select("nav a[href=#doctor]").size());
        // right after the summary: its verdict is the summary's first
        assertEquals("summary", sec.previousElementSibling().id());
        // each flag with its value in one element (kept on one line), plain spaces to copy
        assertEquals(List.of("--scale 1/255", "--layout flat-hwc-t"), sec.select(".worst code").eachText());
        assertEquals("--scale 1/255 --layout flat-hwc-t", sec.selectFirst(".worst .flags").text());
        List<Element> rows = sec.select("table.doctor tbody tr");
        assertEquals(6, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            DoctorResult.Candidate c = SECTION.ranking().get(i).candidate();
            List<String> cells = rows.get(i).select("td").eachText();
            assertEquals(Integer.toString(SECTION.ranking().get(i).rank()), cells.get(0));
            assertTrue(cells.get(1).startsWith(c.label()), cells.get(1));
            assertEquals(c.flags(), cells.get(2));
            assertEquals(Format.pct(c.accuracy()), cells.get(3));
            assertEquals(Format.num(c.nll()), cells.get(4));
            assertEquals(Format.num(c.meanConfidence()), cells.get(5));
            assertEquals(Format.pct(c.over99()), cells.get(6));
            assertEquals(Format.num(c.ece()), cells.get(7));
        }
        assertTrue(rows.get(5).hasClass("given") && rows.get(5).hasClass("gap"), rows.get(5).className());
        assertTrue(rows.get(0).hasClass("best"));
        assertTrue(sec.text().contains("rank 7 of 8 input conventions tried: 13.6% accuracy, against 93.0% with the best"),
                sec.text());
        assertTrue(sec.text().contains(RESULT.contradictions().get(0)), sec.text());
        assertTrue(sec.text().contains("2 more conventions ranked lower (1 of them stopped after the first look"), sec.text());
        assertTrue(sec.select("dl.facts dt").eachText().contains("Image.NominalPixelRange"));

        Document plain = Jsoup.parse(HtmlReport.render(AuditFixture.small()));
        assertNull(plain.selectFirst("#doctor"));
        assertTrue(plain.select("nav a[href=#doctor]").isEmpty());

        Document skipped = Jsoup.parse(HtmlReport.render(AuditFixture.small().withDoctor(
                DoctorSection.skipped("model m.onnx: no layout fits"))));
        assertTrue(skipped.selectFirst("#doctor").text().contains("did not run: model m.onnx: no layout fits"));
        assertTrue(skipped.select("table.doctor").isEmpty());
    }

    @Test
    void theModelsMetadataStaysText() {
        DoctorSection hostile = DoctorSection.of(AuditFixture.doctorResult(true));
        Document d = Jsoup.parse(HtmlReport.render(AuditFixture.small().withDoctor(hostile)));
        assertTrue(d.select("script").isEmpty(), "a <script> element was injected");
        assertTrue(d.select("[onerror]").isEmpty(), "an <img onerror> was injected");
        Element sec = d.selectFirst("section#doctor");
        assertTrue(sec.select("dl.facts dt").eachText().contains(AuditFixture.SCRIPT));
        assertTrue(sec.select("dl.facts dd").eachText().contains(AuditFixture.IMG));
        assertTrue(sec.text().contains(AuditFixture.IMG));
    }

    @Test
    void theTerminalSaysWhereTheGivenFlagsRankInOneLine() {
        AuditResult r = AuditFixture.small().withDoctor(SECTION);
        String[] lines = TerminalSummary.summary(r, Path.of("r.html"), Path.of("r.json")).split("\n");
        assertEquals(TerminalSummary.MAX_LINES, lines.length);
        assertEquals("doctor: the given flags rank 7 of 8 input conventions (accuracy 13.6%, NLL 4.1000); "
                + "best: --scale 1/255 --layout flat-hwc-t (accuracy 93.0%, NLL 0.2410)", lines[3]);
        String skipped = TerminalSummary.summary(AuditFixture.small().withDoctor(DoctorSection.skipped("no\nlayout")),
                null, null);
        assertTrue(skipped.endsWith("doctor: input check skipped: no layout"), skipped);
        assertFalse(TerminalSummary.summary(AuditFixture.small(), null, null).contains("doctor:"));
    }
}
