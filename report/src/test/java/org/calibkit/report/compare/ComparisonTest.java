package org.calibkit.report.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Format;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@link Comparison}, its page and its JSON on the synthetic {@link AuditFixture} results (whose
 * every number comes from the calibration module's functions): which audits can be compared,
 * hostile names, a sigmoid head next to a softmax one, the choice of the best column.
 */
class ComparisonTest {
    /** Built once: each fixture runs a bootstrap. */
    private static final AuditResult SMALL = AuditFixture.small();
    private static final AuditResult HOSTILE = AuditFixture.hostile();

    /** The same audit under another name, with other details. */
    private static AuditResult renamed(AuditResult r, String name, Map<String, String> details) {
        return renamed(r, name, details, r.model().hyperparameters());
    }

    /** The same audit under another name, with other details and hyper-parameters. */
    private static AuditResult renamed(AuditResult r, String name, Map<String, String> details,
                                       Map<String, Object> hyperparameters) {
        AuditResult.ModelInfo m = r.model();
        AuditResult.ModelInfo n = new AuditResult.ModelInfo(name, m.location(), m.sha256(), m.kind(), m.head(),
                m.outputKind(), m.classNames(), m.preprocessing(), details == null ? m.details() : details,
                hyperparameters);
        return new AuditResult(r.schemaVersion(), n, r.data(), r.settings(), r.verdicts(), r.test(), r.inputRange(),
                r.probes(), r.gallery(), r.provenance());
    }

    @Test
    void hostileNamesStayText() {
        AuditResult a = HOSTILE;
        AuditResult b = renamed(a, AuditFixture.IMG + " & " + AuditFixture.SCRIPT, Map.of(AuditFixture.SCRIPT,
                AuditFixture.IMG, "hyper-parameters", "{\"l2_alpha\":\"" + AuditFixture.SCRIPT + "\"}"),
                Map.of("l2_alpha", AuditFixture.SCRIPT));
        String page = ComparisonHtml.render(Comparison.of(List.of(a, b)));
        Document d = Jsoup.parse(page);
        assertTrue(d.select("script").isEmpty(), "a <script> element was injected");
        assertTrue(d.select("img[src=x], [onerror]").isEmpty(), "an <img onerror> was injected");
        assertTrue(d.select("script, link, iframe, object, embed, base, meta[http-equiv]").isEmpty());
        Elements heads = d.select("table.test th.model");
        assertEquals(2, heads.size());
        assertTrue(heads.get(0).text().startsWith("1. " + a.model().name()), heads.get(0).text());
        assertTrue(heads.get(1).text().startsWith("2. " + b.model().name()), heads.get(1).text());
        assertTrue(heads.get(1).text().contains("L2-constrained (alpha " + AuditFixture.SCRIPT + ")"));
        // the skipped probe's hostile reason and the hostile detail are shown as text
        assertTrue(d.select("dl.skipped dd").text().contains(AuditFixture.SCRIPT));
        assertTrue(d.select("#provenance").text().contains(AuditFixture.IMG));
        assertTrue(!page.contains("<script>alert"), "raw hostile markup in the page");
    }

    @Test
    void auditsOfDifferentDataAreRefused() {
        AuditResult a = SMALL;
        AuditResult.DataInfo d = a.data();
        AuditResult other = new AuditResult(a.schemaVersion(), a.model(), new AuditResult.DataInfo(d.dataset(),
                d.validationCount(), d.testCount(), d.location(), "0".repeat(64), d.verified()), a.settings(),
                a.verdicts(), a.test(), a.inputRange(), a.probes(), a.gallery(), a.provenance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.of(List.of(a, other)));
        assertTrue(e.getMessage().contains("test data checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("model 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(List.of()));
        AuditResult hostile = HOSTILE; // other class names
        e = assertThrows(IllegalArgumentException.class, () -> Comparison.of(List.of(a, hostile)));
        assertTrue(e.getMessage().contains("class names"), e.getMessage());
    }

    @Test
    void aSigmoidHeadShowsItsNoneShareNextToSoftmax() {
        AuditResult softmax = SMALL;
        AuditResult sigmoid = AuditFixture.build(new AuditFixture.Options(false, true, true, 0));
        Comparison c = Comparison.of(List.of(softmax, sigmoid));
        Document d = Jsoup.parse(ComparisonHtml.render(c));
        assertTrue(d.select("table.test th.model").get(1).hasClass("sigmoid"));
        Elements none = d.select("table.test tr[data-row=none_share] td.cell");
        assertEquals(Format.MISSING, none.get(0).ownText());
        assertEquals(Format.pct(sigmoid.test().sigmoid().noneShare()), none.get(1).ownText());
        Elements blank = d.select("table.probes tr[data-probe=blank-black] td.cell");
        AuditResult.ProbeResult p = sigmoid.probes().get(0);
        assertTrue(blank.get(1).text().contains("none of these: " + Format.pct(p.sigmoid().noneShare())));
        assertTrue(!blank.get(0).text().contains("none of these"));
        JsonNode json = ComparisonJson.tree(c);
        assertTrue(json.get("models").get(0).get("probes").get(0).get("none_share").isNull());
        assertEquals(p.sigmoid().noneShare(), json.get("models").get(1).get("probes").get(0).get("none_share")
                .asDouble(), 0);
        assertEquals("sigmoid", json.get("models").get(1).get("head").asText());
    }

    @Test
    void bestIsTheLowestOrHighestAsShownAndTiesAreAllMarked() {
        assertArrayEquals(new boolean[] {false, true, false}, ComparisonView.best(new double[] {0.3, 0.1, 0.2}, true, 2));
        assertArrayEquals(new boolean[] {true, false, false}, ComparisonView.best(new double[] {0.3, 0.1, 0.2}, false, 2));
        // 0.12341 and 0.12344 both read 0.1234
        assertArrayEquals(new boolean[] {true, true, false},
                ComparisonView.best(new double[] {0.12341, 0.12344, 0.2}, true, 2));
        assertArrayEquals(new boolean[] {false, true}, ComparisonView.best(new double[] {Double.NaN, 0.5}, true, 1));
        assertArrayEquals(new boolean[] {false, false}, ComparisonView.best(new double[] {Double.NaN, 0.5}, true, 2));
    }

    @Test
    void theVariantNamesHeadAndL2Alpha() {
        AuditResult a = SMALL;
        Map<String, String> details = Map.of("hyper-parameters", "not read: the typed values are");
        assertEquals("cnn, softmax head, L2-constrained (alpha 16)",
                Comparison.variant(renamed(a, "x", details, Map.of("head", "softmax", "l2_alpha", 16.0)).model()));
        assertEquals("cnn, softmax head, L2-constrained (alpha 0.5000)",
                Comparison.variant(renamed(a, "x", details, Map.of("l2_alpha", 0.5)).model()));
        assertEquals("cnn, softmax head, L2-constrained (alpha learned)",
                Comparison.variant(renamed(a, "x", details, Map.of("l2_alpha", "learned")).model()));
        assertEquals("cnn, softmax head", Comparison.variant(renamed(a, "x", details, Map.of("l2_alpha", "off")).model()));
        assertEquals("cnn, softmax head", Comparison.variant(renamed(a, "x", details, Map.of()).model()));
    }
}
