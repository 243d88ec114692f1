package org.calibkit.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.AuditResult;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report as a parser sees it: structure, numbers, self-containment and escaping. */
class HtmlReportTest {
    private static AuditResult result;
    private static String html;
    private static Document doc;

    @BeforeAll
    static void render() {
        result = AuditFixture.small();
        html = HtmlReport.render(result);
        doc = Jsoup.parse(html);
    }

    /** The number a cell starts with (its own text, before the interval span). */
    private static double number(Element cell) {
        String own = cell.ownText().trim();
        Matcher m = Pattern.compile("[-+]?\\d+\\.\\d+").matcher(own);
        assertTrue(m.find(), "no number in cell '" + cell.text() + "'");
        return Double.parseDouble(m.group());
    }

    /** The two numbers of an interval text "[a, b]". */
    private static double[] interval(Element span) {
        Matcher m = Pattern.compile("\\[([-+]?\\d+\\.\\d+), ([-+]?\\d+\\.\\d+)\\]").matcher(span.text());
        assertTrue(m.find(), "no interval in '" + span.text() + "'");
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** Four displayed decimals equal the value. */
    private static void assertShown(double expected, double shown, String what) {
        assertEquals(expected, shown, 5.0001e-5, what);
    }

    @Test
    void sectionsComeInTheDocumentedOrder() {
        List<String> ids = doc.select("main > section").eachAttr("id");
        assertEquals(List.of("summary", "reliability", "metrics", "per-class", "tests", "bin-intervals", "conformal",
                "selective", "probes", "gallery", "input-range", "provenance"), ids);
        for (String id : ids) {
            assertEquals(1, doc.select("nav a[href=#" + id + "]").size(), "navigation link to " + id);
        }
    }

    @Test
    void statisticsSectionsShowTheResultsNumbers() {
        AuditResult.Statistics s = result.statistics();
        // tests: one row per test, p-values before and after as in the result
        var tests = doc.select("#tests table.tests tbody tr");
        assertEquals(s.testsUncalibrated().size(), tests.size());
        for (int i = 0; i < tests.size(); i++) {
            Element row = tests.get(i);
            assertEquals(s.testsUncalibrated().get(i).name(), row.child(0).text());
            double pAfter = s.testsCalibrated().get(i).pValue();
            String shown = row.child(2).selectFirst(".iv").text();
            if (shown.startsWith("p < ")) {
                assertTrue(pAfter < 1e-16, shown);
            } else {
                assertTrue(shown.startsWith("p = "), shown);
                assertEquals(pAfter, Double.parseDouble(shown.substring(4)), pAfter >= 0.001 ? 5.0001e-4 : 0.05 * pAfter,
                        row.text());
            }
            // the sentence, capitalised
            assertTrue(row.child(3).text().contains(s.testsCalibrated().get(i).sentence(0.05).substring(1)), row.text());
        }
        assertFalse(doc.selectFirst("#tests .headline").text().isBlank());
        // bins: the Clopper-Pearson interval of the fullest bin
        var cp = s.binsUncalibrated().clopperPearson();
        int fullest = 0;
        for (int b = 0; b < cp.numBins(); b++) {
            fullest = cp.count(b) > cp.count(fullest) ? b : fullest;
        }
        String range = String.format(java.util.Locale.ROOT, "(%.2f, %.2f]", result.test().binsBefore().lower(fullest),
                result.test().binsBefore().upper(fullest));
        Element bin = doc.select("#bin-intervals tbody tr").stream().filter(tr -> tr.child(0).text().equals(range))
                .findFirst().orElse(null);
        assertNotNull(bin, range);
        double[] iv = interval(bin.child(3));
        assertShown(cp.lower(fullest), iv[0], "Clopper-Pearson lower");
        assertShown(cp.upper(fullest), iv[1], "Clopper-Pearson upper");
        // conformal: coverage per score, set sizes on each probe that ran
        var conformal = doc.select("#conformal table.conformal tbody tr");
        assertEquals(3, conformal.size());
        for (int i = 0; i < 3; i++) {
            AuditResult.ConformalResult c = s.conformal().get(i);
            assertEquals(c.score().toUpperCase(), conformal.get(i).attr("data-score"));
            assertEquals(100 * c.test().coverage(), number(conformal.get(i).child(2)), 0.05001);
        }
        var probeRows = doc.select("#conformal table.conformal-probes tbody tr");
        assertEquals(s.conformal().get(0).probes().size(), probeRows.size());
        assertEquals("blank-black", probeRows.get(0).attr("data-probe"));
        assertEquals(s.conformal().get(1).probes().get(0).meanSize(), number(probeRows.get(0).child(3)), 0.005001);
        assertEquals(result.model().classNames().size(), doc.select("#conformal table.conformal-classes tbody tr").size());
        // selective: AURC per score and the risk-coverage chart
        var selective = doc.select("#selective table.selective tbody tr");
        assertEquals(s.selective().size(), selective.size());
        for (int i = 0; i < selective.size(); i++) {
            assertShown(s.selective().get(i).aurc(), number(selective.get(i).child(1)), "AURC");
        }
        for (String id : List.of("conformal", "selective")) {
            Element img = doc.selectFirst("#" + id + " img");
            assertNotNull(img, id);
            assertTrue(img.attr("src").startsWith("data:image/png;base64,"));
            assertFalse(img.attr("alt").isBlank());
        }
        assertTrue(doc.selectFirst("#reliability").text().contains("Clopper-Pearson"),
                "the reliability note says which interval the whiskers are");
        assertTrue(doc.selectFirst("#metrics").text().contains("Percentile, not BCa"));
        // on the fixture one operating point of msp serves both targets: the headline says it once
        String headline = doc.selectFirst("#selective .headline").text();
        assertTrue(headline.contains("at or below 1% (and 0.5%), predict only when msp is at least"), headline);
    }

    @Test
    void withoutStatisticsTheirSectionsAreLeftOut() {
        AuditResult r = result;
        AuditResult bare = new AuditResult(r.schemaVersion(), r.model(), r.data(), r.settings(), r.verdicts(), r.test(),
                r.inputRange(), r.probes(), r.gallery(), r.provenance());
        Document d = Jsoup.parse(HtmlReport.render(bare));
        assertTrue(d.select("#tests, #conformal, #selective, #bin-intervals").isEmpty());
        assertFalse(d.select("#reliability").text().contains("Clopper-Pearson"), "no whiskers, no note on them");
    }

    @Test
    void summaryCountsAndEveryVerdictAreRendered() {
        for (AuditResult.Status s : AuditResult.Status.values()) {
            Element count = doc.selectFirst(".counts .count:has(span:containsOwn(" + s.name().toLowerCase() + "))");
            assertNotNull(count, "count of " + s);
            assertEquals(Long.toString(result.count(s)), count.selectFirst("b").text());
        }
        Elements rows = doc.select("table.verdicts tbody tr");
        assertEquals(result.verdicts().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            AuditResult.Verdict v = result.verdicts().get(i);
            Element row = rows.get(i);
            Elements cells = row.select("td");
            assertEquals(v.status().name(), cells.get(0).text());
            assertEquals(v.check(), cells.get(1).selectFirst("small").text());
            assertTrue(cells.get(1).text().startsWith(v.title()), cells.get(1).text());
            assertShown(v.value(), number(cells.get(2)), v.check() + " value");
            if (Double.isFinite(v.warnAt())) {
                Matcher t = Pattern.compile("warn . (\\d\\.\\d+), fail . (\\d\\.\\d+)").matcher(cells.get(3).text());
                assertTrue(t.find(), cells.get(3).text());
                assertEquals(v.warnAt(), Double.parseDouble(t.group(1)), 0.0, v.check());
                assertEquals(v.failAt(), Double.parseDouble(t.group(2)), 0.0, v.check());
            }
            if (Double.isFinite(v.lower())) {
                double[] iv = interval(cells.get(4));
                assertShown(v.lower(), iv[0], v.check() + " lower");
                assertShown(v.upper(), iv[1], v.check() + " upper");
            }
            assertEquals(v.reason(), cells.get(5).text());
        }
        // the worst finding is spelled out above the table
        AuditResult.Verdict worst = result.verdicts().get(SummaryView.worstIndex(result.verdicts()));
        assertTrue(doc.selectFirst(".worst").text().contains(worst.reason()));
    }

    @Test
    void metricsTableShowsTheResultsNumbers() {
        AuditResult.TestSection t = result.test();
        for (Metric m : Metrics.ALL) {
            Element row = doc.selectFirst("table.metrics tr[data-metric=" + m.key() + "]");
            assertNotNull(row, "row of " + m.key());
            assertTrue(row.selectFirst("td").text().startsWith(m.name()));
            Bootstrap.Paired p = t.intervals().get(m.key());
            Element before = row.selectFirst("td.before");
            Element after = row.selectFirst("td.after");
            Element diff = row.selectFirst("td.difference");
            assertShown(t.uncalibrated().get(m.key()), number(before), m.key() + " before");
            assertShown(t.calibrated().get(m.key()), number(after), m.key() + " after");
            assertShown(t.calibrated().get(m.key()) - t.uncalibrated().get(m.key()), number(diff), m.key() + " change");
            double[] ivb = interval(before.selectFirst(".iv"));
            assertShown(p.before().lower(), ivb[0], m.key());
            assertShown(p.before().upper(), ivb[1], m.key());
            double[] ivd = interval(diff.selectFirst(".iv"));
            assertShown(p.difference().lower(), ivd[0], m.key());
            assertShown(p.difference().upper(), ivd[1], m.key());
            String change = row.selectFirst("td.change").text();
            if (p.significant()) {
                assertTrue(change.equals("better") || change.equals("worse"), m.key() + ": " + change);
            } else {
                assertEquals("within noise", change, m.key());
            }
        }
        assertEquals(Metrics.ALL.size(), doc.select("table.metrics tbody tr").size());
    }

    @Test
    void worseOrUnchangedMetricsAreSaidSo() {
        // the summary sentence counts exactly the rows marked better / worse / same
        long better = doc.select("table.metrics td.change.better").size();
        long worse = doc.select("table.metrics td.change.worse").size();
        long same = doc.select("table.metrics td.change.same").size();
        String summary = doc.selectFirst("#metrics .headline").text();
        assertTrue(summary.contains("made " + better + " of " + Metrics.ALL.size() + " metrics better"), summary);
        assertTrue(summary.contains(worse + " worse"), summary);
        assertTrue(summary.contains("left " + same + " unchanged within noise"), summary);
    }

    @Test
    void perClassAndProbeTablesShowTheResultsNumbers() {
        Elements classRows = doc.select("table.per-class tbody tr");
        assertEquals(result.test().perClass().size(), classRows.size());
        for (int i = 0; i < classRows.size(); i++) {
            AuditResult.ClassRow c = result.test().perClass().get(i);
            Elements cells = classRows.get(i).select("td");
            assertEquals(c.name(), cells.get(0).text());
            assertEquals(Integer.toString(c.support()), cells.get(1).text());
            assertShown(c.meanProbability(), number(cells.get(3)), c.name());
            assertShown(c.recall(), number(cells.get(4)), c.name());
            assertShown(c.ece(), number(cells.get(5)), c.name());
            assertShown(c.eceCalibrated(), number(cells.get(6)), c.name());
        }
        for (AuditResult.ProbeResult p : result.probes()) {
            Element row = doc.selectFirst("table.probes tr[data-probe=" + p.name() + "]");
            assertNotNull(row, p.name());
            if (p.skipped()) {
                assertTrue(row.hasClass("skipped"));
                assertTrue(row.selectFirst("td.skip-reason").text().contains(p.skipReason()));
                assertTrue(doc.select("table.ood tr[data-probe=" + p.name() + "]").isEmpty());
                continue;
            }
            Elements cells = row.select("td");
            assertEquals(Integer.toString(p.count()), cells.get(1).text());
            assertShown(p.meanConfidence(), number(cells.get(2)), p.name() + " mean confidence");
            assertTrue(cells.get(3).ownText().contains(String.format(java.util.Locale.ROOT, "%.1f%%",
                    100 * p.overconfidentShare())), cells.get(3).text());
            if (p.labelled()) {
                assertShown(p.accuracy(), number(cells.get(6)), p.name() + " accuracy");
                assertShown(p.ece(), number(cells.get(7)), p.name() + " ece");
            }
            if (p.ood() == null) { // a labelled shift probe is no detection task: no OOD rows
                assertTrue(doc.select("table.ood tr[data-probe=" + p.name() + "]").isEmpty(), p.name());
                continue;
            }
            for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
                Element o = doc.selectFirst("table.ood tr[data-probe=" + p.name() + "][data-score=" + e.getKey() + "]");
                assertNotNull(o, p.name() + " " + e.getKey());
                assertShown(e.getValue().auroc(), number(o.selectFirst("td.auroc")), "auroc");
                assertShown(e.getValue().auprIn(), number(o.selectFirst("td.aupr-in")), "aupr_in");
                assertShown(e.getValue().auprOut(), number(o.selectFirst("td.aupr-out")), "aupr_out");
                assertShown(e.getValue().fpr95(), number(o.selectFirst("td.fpr95")), "fpr95");
            }
        }
    }

    @Test
    void nothingIsLoadedFromOutsideAndNoScriptIsNeeded() {
        assertTrue(doc.select("script, link, iframe, object, embed, base, meta[http-equiv]").isEmpty());
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                String key = a.getKey().toLowerCase();
                assertFalse(key.startsWith("on"), "event handler " + key + " on " + e.tagName());
                if (List.of("src", "href", "srcset", "action", "formaction", "poster", "background", "xlink:href")
                        .contains(key)) {
                    String value = a.getValue();
                    assertTrue(value.startsWith("data:image/png;base64,") || value.startsWith("#"),
                            key + "=" + value.substring(0, Math.min(60, value.length())));
                }
            }
        }
        String css = doc.select("style").html();
        assertFalse(css.contains("url("), "CSS loads a resource");
        assertFalse(css.contains("@import"), "CSS imports a resource");
        // two reliability diagrams and every kept thumbnail are PNG data URIs
        assertEquals(2, doc.select("#reliability img[src^=data:image/png;base64,]").size());
        assertEquals(doc.select("img").size(), doc.select("img[src^=data:image/png;base64,][alt]").size());
    }

    @Test
    void galleryShowsEveryItemWithAnImageUpToTheCap() {
        Elements sections = doc.select("#gallery .gallery");
        assertFalse(sections.isEmpty());
        for (Element s : sections) {
            assertTrue(s.select("img").size() <= ReportView.GALLERY_CAP);
        }
        // the audit picked at most the cap per source, so every item with an image is drawn, and no heading says "x of y"
        for (String source : List.of("test", "blank-black", "noise-uniform")) {
            long items = result.gallery().stream().filter(g -> g.source().equals(source)).count();
            assertTrue(items > 0 && items <= ReportView.GALLERY_CAP, source + ": " + items);
        }
        long withImage = result.gallery().stream().filter(g -> g.image().isPresent()).count();
        assertEquals(withImage, doc.select("#gallery .gallery img").size());
        for (Element h : doc.select("#gallery h3")) {
            // rotated-30 has outputs but no images (as saved predictions): its items are listed as rows, in order
            List<AuditResult.GalleryItem> items = result.gallery().stream()
                    .filter(g -> h.ownText().trim().equals(g.source())).toList();
            assertFalse(items.isEmpty(), h.text());
            assertFalse(h.text().contains(" shown"), h.text());
            Element next = h.nextElementSibling();
            if (h.ownText().startsWith("rotated-30")) {
                assertTrue(next.is("table.gallery-rows"), next.outerHtml());
                List<String> rows = next.select("tbody tr td:eq(0)").eachText();
                assertEquals(items.stream().map(g -> Integer.toString(g.index())).toList(), rows);
                assertEquals(items.get(0).predicted(), next.selectFirst("tbody tr td:eq(1)").text());
            } else {
                assertTrue(next.is("div.gallery"), next.outerHtml());
                assertEquals(items.size(), next.select("img").size());
            }
        }
    }

    @Test
    void hostileTextStaysText() {
        AuditResult hostile = AuditFixture.hostile();
        Document d = Jsoup.parse(HtmlReport.render(hostile));
        // no element was injected
        assertTrue(d.select("script").isEmpty(), "a <script> element was injected");
        assertTrue(d.select("img[src=x], img[onerror], [onerror]").isEmpty(), "an <img onerror> was injected");
        assertTrue(d.select("b:containsOwn(four)").isEmpty(), "a <b> from a class name was injected");
        // ... and the text reads as given
        assertTrue(d.selectFirst("h1").text().contains(AuditFixture.SCRIPT + AuditFixture.IMG), d.selectFirst("h1").text());
        assertEquals(d.title(), "calibkit audit: " + hostile.model().name());
        Elements classCells = d.select("table.per-class tbody tr td.name");
        assertEquals(AuditFixture.SCRIPT, classCells.get(0).text());
        assertEquals(AuditFixture.IMG, classCells.get(1).text());
        assertEquals("three & <b>four</b>", classCells.get(3).text());
        AuditResult.ProbeResult skipped = hostile.probes().stream().filter(AuditResult.ProbeResult::skipped)
                .findFirst().orElseThrow();
        assertTrue(d.selectFirst("tr[data-probe=notmnist] td.skip-reason").text().contains(skipped.skipReason()));
        assertTrue(d.select("dl.facts dt").eachText().contains(AuditFixture.SCRIPT));
        assertTrue(d.select("dl.facts dd").eachText().contains(AuditFixture.IMG));
        // the one-vs-rest columns appear for a sigmoid head
        assertTrue(d.select("table.probes th").eachText().stream().anyMatch(t -> t.startsWith("Row sum")));
    }

    @Test
    void uncalibratedResultHasOneValueColumn() {
        AuditResult plain = AuditFixture.build(new AuditFixture.Options(false, false, false, 0));
        Document d = Jsoup.parse(HtmlReport.render(plain));
        assertEquals(List.of("Metric", "Value"), d.select("table.metrics thead th").eachText());
        assertEquals(1, d.select("#reliability img").size());
        assertTrue(d.select("table.metrics td.after").isEmpty());
        for (Metric m : Metrics.ALL) {
            Element row = d.selectFirst("table.metrics tr[data-metric=" + m.key() + "]");
            assertShown(plain.test().uncalibrated().get(m.key()), number(row.selectFirst("td.before")), m.key());
        }
    }

    @Test
    void mnistSizedReportStaysUnderThreeMegabytes() {
        // 24 probes (more than the issue lists) with a full gallery of 28x28 noise thumbnails each
        AuditResult big = AuditFixture.build(new AuditFixture.Options(false, true, false, 20));
        int bytes = HtmlReport.render(big).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 3_000_000, bytes + " bytes");
        assertTrue(html.getBytes(StandardCharsets.UTF_8).length < 1_000_000);
    }

    @Test
    void writeReplacesTheFileAtomically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "old");
        HtmlReport.write(result, file);
        assertEquals(html, Files.readString(file, StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(List.of("report.html"), names, "no temporary file is left behind");
    }
}
