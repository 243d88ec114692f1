package org.calibkit.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.ModelData;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.cli.Main;
import org.calibkit.report.compare.Comparison;
import org.calibkit.report.compare.ComparisonJson;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;
import org.calibkit.report.render.Format;
import org.calibkit.report.render.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

/**
 * {@code calibkit compare} on real MNIST: three small logistic regressions (trained here on a few
 * thousand images with different settings, one saved under a hostile file name) compared with a
 * few probes. Every number of the page and of the JSON twin is checked against each model's own
 * audit, computed independently here through {@link Audit} with the same splits, the same
 * (separately generated) probes and the same seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareCommandTest {
    private static final String PROBES = "blank-black,noise-uniform,notmnist,rotated-30";
    private static final int PROBE_SIZE = 150;
    private static final long SEED = 11;
    private static final int RESAMPLES = 8;
    /** A file name that is valid on Linux and hostile in HTML. */
    private static final String HOSTILE = "\"><img src=x onerror=alert(1)>.ckb";

    @TempDir
    static Path dir;

    private final List<Path> files = new ArrayList<>();
    private final List<AuditResult> own = new ArrayList<>();
    private int exit;
    private String stdout;
    private String stderr;
    private Document html;
    private JsonNode json;

    @BeforeAll
    void compare() throws IOException {
        ImageSet train = DataCatalog.load("mnist", "train", null);
        ImageSet validation = DataCatalog.load("mnist", "validation", null);
        ImageSet test = DataCatalog.load("mnist", "test", null);
        // three different models: more data and epochs, fewer, and another learning rate
        LogisticTrainer[] trainers = {new LogisticTrainer(2, 1, 0.05, 3), new LogisticTrainer(1, 1, 0.2, 7),
                new LogisticTrainer(1, 4, 0.01, 5)};
        int[] sizes = {3000, 1500, 2000};
        String[] names = {"first.ckb", HOSTILE, "third.ckb"};
        for (int i = 0; i < trainers.length; i++) {
            try (ModelBundle m = trainers[i].train(train.limit(sizes[i]), null, s -> { })) {
                Path f = dir.resolve(names[i]);
                m.save(f);
                files.add(f);
            }
        }
        List<String> args = new ArrayList<>(List.of("compare"));
        for (Path f : files) {
            args.add("--model");
            args.add(f.toString());
        }
        Path out = dir.resolve("compare.html");
        Path jsonFile = dir.resolve("compare.json");
        args.addAll(List.of("--data", "mnist", "--probes", PROBES, "--probe-size", Integer.toString(PROBE_SIZE),
                "--seed", Long.toString(SEED), "--resamples", Integer.toString(RESAMPLES), "--out", out.toString(),
                "--json", jsonFile.toString()));
        String[] r = run(args.toArray(String[]::new));
        exit = Integer.parseInt(r[0]);
        stdout = r[1];
        stderr = r[2];
        html = Jsoup.parse(Files.readString(out, StandardCharsets.UTF_8));
        json = Json.MAPPER.readTree(Files.readString(jsonFile, StandardCharsets.UTF_8));

        // each model's own audit, independently: probes generated again from the same context
        ProbeContext ctx = new ProbeContext(test, "mnist", PROBE_SIZE, SEED, null, ProbeContext.UNIT_SCALE);
        List<ProbeOutcome> probes = Probes.generate(Probes.select(PROBES), ctx, s -> { });
        for (Path f : files) {
            try (ModelBundle m = ModelBundle.load(f)) {
                own.add(Audit.of(m, ModelData.of(test).withValidation(validation).withProbes(probes),
                        AuditOptions.defaults().withCalibration("temperature").withThreshold(0.9)
                                .withProbeSize(PROBE_SIZE).withSeed(SEED).withResamples(RESAMPLES)));
            }
        }
    }

    @AfterAll
    void noLeftovers() throws IOException {
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(AtomicWrite.PART)), "a temporary file was left");
        }
    }

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void auditWithSeveralModelsWritesTheSameComparison() throws IOException {
        List<String> args = new ArrayList<>(List.of("audit"));
        for (Path f : files) {
            args.add("--model");
            args.add(f.toString());
        }
        Path jsonFile = dir.resolve("audit-several.json");
        args.addAll(List.of("--data", "mnist", "--probes", PROBES, "--probe-size", Integer.toString(PROBE_SIZE),
                "--seed", Long.toString(SEED), "--resamples", Integer.toString(RESAMPLES),
                "--out", dir.resolve("audit-several.html").toString(), "--json", jsonFile.toString()));
        String[] r = run(args.toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        JsonNode other = Json.MAPPER.readTree(Files.readString(jsonFile, StandardCharsets.UTF_8));
        assertEquals(json.path("models").size(), other.path("models").size());
        for (int i = 0; i < files.size(); i++) {
            // the same test and probe numbers, model by model (provenance times differ)
            assertEquals(json.path("models").get(i).path("test"), other.path("models").get(i).path("test"));
            assertEquals(json.path("models").get(i).path("probes"), other.path("models").get(i).path("probes"));
        }
    }

    @Test
    void exitsZeroWithProgressOnStderrAndASummaryOnStdout() {
        assertEquals(0, exit, stderr);
        assertTrue(stderr.contains("compare: [2/3 "), stderr);
        assertTrue(stderr.contains("probe blank-black: 150 images"), stderr);
        assertTrue(stdout.startsWith("calibkit compare: 3 models on mnist (10,000 test images)"), stdout);
        assertTrue(stdout.contains("1. first.ckb"), stdout);
        assertFalse(stdout.contains("audit:"), "progress lines belong on stderr");
    }

    @Test
    void columnsFollowTheOrderOfTheModels() {
        Elements heads = html.select("table.test th.model");
        assertEquals(3, heads.size());
        for (int i = 0; i < 3; i++) {
            String name = files.get(i).getFileName().toString();
            assertTrue(heads.get(i).text().startsWith((i + 1) + ". " + name), heads.get(i).text());
            assertEquals(name, json.get("models").get(i).get("name").asText());
        }
    }

    @Test
    void testNumbersAreEachModelsOwnAudit() {
        for (int i = 0; i < 3; i++) {
            AuditResult a = own.get(i);
            JsonNode t = json.get("models").get(i).get("test");
            assertEquals(a.test().temperature(), t.get("temperature").asDouble(), 0);
            assertEquals(Format.num(a.test().temperature()), cell("temperature", i).ownText());
            for (String key : Comparison.METRICS) {
                Bootstrap.Paired p = a.test().intervals().get(key);
                checkMetric(a.test().uncalibrated(), p.before(), t.get("uncalibrated"), key);
                checkMetric(a.test().calibrated(), p.after(), t.get("calibrated"), key);
                assertEquals(Format.num(a.test().uncalibrated().get(key)), cell(key, i).ownText(), key);
                assertTrue(cell(key, i).text().contains(Format.interval(p.before().lower(), p.before().upper())), key);
                if (!key.equals("accuracy")) {
                    assertEquals(Format.num(a.test().calibrated().get(key)), cell(key + "_calibrated", i).ownText(), key);
                }
            }
        }
    }

    private static void checkMetric(MetricSummary s, Bootstrap.Interval iv, JsonNode node, String key) {
        assertEquals(s.get(key), node.get(key).asDouble(), 0, key);
        assertEquals(iv.lower(), node.get("ci").get(key).get("lower").asDouble(), 0, key);
        assertEquals(iv.upper(), node.get("ci").get(key).get("upper").asDouble(), 0, key);
    }

    private Element cell(String row, int model) {
        Elements cells = html.select("table.test tr[data-row=" + row + "] td.cell");
        assertEquals(3, cells.size(), row);
        return cells.get(model);
    }

    @Test
    void probeNumbersAreEachModelsOwnAudit() {
        for (int i = 0; i < 3; i++) {
            List<ProbeResult> probes = own.get(i).probes();
            JsonNode jp = json.get("models").get(i).get("probes");
            assertEquals(probes.size(), jp.size());
            for (int j = 0; j < probes.size(); j++) {
                ProbeResult p = probes.get(j);
                JsonNode n = jp.get(j);
                assertEquals(p.name(), n.get("name").asText());
                assertEquals(p.meanConfidence(), n.get("mean_confidence").asDouble(), 0, p.name());
                assertEquals(p.overconfidentShare(), n.get("overconfident_share").asDouble(), 0, p.name());
                assertEquals(p.meanConfidenceCalibrated(), n.get("mean_confidence_calibrated").asDouble(), 0, p.name());
                if (p.labelled()) {
                    assertEquals(p.ece(), n.get("ece").asDouble(), 0, p.name());
                    assertEquals(Format.num(p.ece()), html.select("table.shift tr[data-probe=" + p.name() + "] td.cell")
                            .get(i).ownText());
                    assertTrue(n.get("auroc").isNull(), "no detection for a shift probe");
                    continue;
                }
                assertEquals(Format.num(p.meanConfidence()), html.select("table.probes tr[data-probe=" + p.name()
                        + "] td.cell").get(i).ownText(), p.name());
                for (String score : Comparison.SCORES) {
                    double auroc = p.ood().uncalibrated().get(score).auroc();
                    assertEquals(auroc, n.get("auroc").get(score).asDouble(), 0, p.name() + " " + score);
                    Elements row = html.select("table.ood tr[data-probe=" + p.name() + "][data-score=" + score
                            + "] td.cell");
                    assertEquals(3, row.size());
                    assertEquals(Format.num(auroc), row.get(i).ownText(), p.name() + " " + score);
                }
            }
        }
    }

    @Test
    void theBestColumnOfARowIsMarked() {
        // lowest ECE after calibration, by the independent audits
        int best = 0;
        for (int i = 1; i < 3; i++) {
            if (own.get(i).test().calibrated().ece() < own.get(best).test().calibrated().ece()) {
                best = i;
            }
        }
        assertTrue(cell("ece_calibrated", best).hasClass("best"));
        assertEquals(1, html.select("table.test tr[data-row=ece_calibrated] td.cell.best").size());
    }

    @Test
    void oneReliabilityDiagramPerModelBeforeAndAfterCalibration() {
        Elements imgs = html.select("#reliability img");
        assertEquals(6, imgs.size());
        for (Element img : imgs) {
            assertTrue(img.attr("src").startsWith("data:image/png;base64,"));
            assertFalse(img.attr("alt").isBlank());
        }
    }

    @Test
    void theHostileFileNameIsText() {
        assertTrue(html.select("script").isEmpty(), "a <script> element was injected");
        assertTrue(html.select("img[src=x], [onerror]").isEmpty(), "an <img onerror> was injected");
        assertTrue(html.select("table.test th.model").get(1).text().contains(HOSTILE));
        assertEquals(HOSTILE, json.get("models").get(1).get("name").asText());
    }

    @Test
    void jsonHasTheDocumentedKeys() {
        assertEquals(ComparisonJson.SCHEMA_VERSION, json.get("schema_version").asInt());
        assertEquals("calibkit-comparison", json.get("kind").asText());
        assertEquals("mnist", json.get("data").get("dataset").asText());
        assertEquals(PROBE_SIZE, json.get("settings").get("probe_size").asInt());
        JsonNode m = json.get("models").get(0);
        for (String k : List.of("name", "location", "sha256", "kind", "head", "l2_alpha", "variant", "test", "probes",
                "audit")) {
            assertTrue(m.has(k), k);
        }
        assertEquals("softmax", m.get("head").asText());
        assertTrue(m.get("l2_alpha").isNull());
        assertTrue(m.get("test").get("none_share").isNull(), "a softmax head has no none-share");
        assertEquals(1, m.get("audit").get("schema_version").asInt());
        assertNotNull(m.get("probes").get(0).get("auroc").get("energy"));
    }

    @Test
    void badInputIsOneLineAndExitOne() {
        String[] r = run("compare", "--model", dir.resolve("missing.ckb").toString(), "--data", "mnist", "--out",
                dir.resolve("x.html").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("calibkit: error: model bundle ") && r[2].contains("missing.ckb"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        r = run("compare", "--model", files.get(0).toString(), "--data", "mnist", "--probes", "blank,nope", "--out",
                dir.resolve("x.html").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown probe 'blank'"), r[2]);
        assertFalse(Files.exists(dir.resolve("x.html")));
    }

    @Test
    void aCommandLineThatDoesNotParseExitsTwo() {
        String[] r = run("compare", "--data", "mnist", "--out", dir.resolve("y.html").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--model"), r[2]);
    }
}
