package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.json.AuditJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;


/** {@code calibkit audit} as a user runs it: exit codes, one-line errors, both files, the summary. */
class AuditCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainSmallModel() {
        ImageSet train = DataCatalog.load("mnist", "train", null).limit(2000);
        model = dir.resolve("lr.ckb");
        try (ModelBundle b = new LogisticTrainer(1, 1, 0.05, 2).train(train, null, s -> { })) {
            b.save(model);
        }
    }


    private static CliRun run(String... args) {
        return CliRun.command("audit", args);
    }

    @Test
    void writesBothFilesAndAFiveLineSummary() {
        Path html = dir.resolve("r/report.html");
        Path json = dir.resolve("r/report.json");
        CliRun r = run("--model", model.toString(), "--data", "mnist", "--probes", "blank-black,unscaled,rotated-30",
                "--probe-size", "100", "--resamples", "20", "--out", html.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(html));
        JsonNode j = AuditJson.read(json);
        assertEquals(3, j.path("probes").size());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines.length <= 5, r.out());
        assertTrue(r.out().contains(html.toString()), r.out());
        assertTrue(r.err().contains("audit: probe unscaled"), "progress lines on stderr: " + r.err());
        // issue 17: the two files of one run carry the same run id, a random UUID; another run has another
        String id = runIdOf(html);
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        assertEquals(id, j.path("provenance").path("run_id").asText());
        Path again = dir.resolve("r2/report.html");
        CliRun second = run("--model", model.toString(), "--data", "mnist", "--limit", "300", "--probes", "blank-black",
                "--probe-size", "20", "--resamples", "2", "--out", again.toString());
        assertEquals(0, second.code(), second.err());
        assertFalse(id.equals(runIdOf(again)));
    }

    private static String runIdOf(Path html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<meta name=\"calibkit-run-id\" content=\"([^\"]*)\">")
                .matcher(readString(html));
        assertTrue(m.find(), "no run id in " + html);
        return m.group(1);
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badInputIsOneLineWithExitCodeOneAndNoFile() throws IOException {
        Path html = dir.resolve("bad/report.html");
        CliRun missing = run("--model", dir.resolve("nope.ckb").toString(), "--data", "mnist", "--out", html.toString());
        assertEquals(1, missing.code());
        assertEquals("calibkit: error: model bundle " + dir.resolve("nope.ckb") + " does not exist", missing.err().strip());

        Path corrupt = dir.resolve("corrupt.ckb");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun truncated = run("--model", corrupt.toString(), "--data", "mnist", "--out", html.toString());
        assertEquals(1, truncated.code());
        assertTrue(truncated.err().startsWith("calibkit: error: model bundle " + corrupt), truncated.err());

        CliRun probe = run("--model", model.toString(), "--data", "mnist", "--probes", "blank-black,blanc", "--out", html.toString());
        assertEquals(1, probe.code());
        assertTrue(probe.err().contains("unknown probe 'blanc'"), probe.err());

        CliRun method = run("--model", model.toString(), "--data", "mnist", "--calibration", "tempreature", "--out", html.toString());
        assertEquals(1, method.code());
        assertTrue(method.err().contains("--calibration must be one of"), method.err());
        assertFalse(Files.exists(html), "no report for a failed run");
        assertFalse(Files.exists(html.getParent()) && Files.list(html.getParent()).findAny().isPresent());
    }

    @Test
    void aTribuoModelFileWithTheBundlesPreprocessingGivesTheBundlesMetrics() throws IOException {
        Path tribuo = dir.resolve("lr.tribuo");
        String scale;
        String mean;
        String std;
        try (ModelBundle b = ModelBundle.load(model)) {
            b.tribuoModel().serializeToFile(tribuo);
            scale = Double.toString(b.preprocessing().scale());
            mean = Double.toString(b.preprocessing().mean()[0]);
            std = Double.toString(b.preprocessing().std()[0]);
        }
        String[] common = {"--data", "mnist", "--limit", "400", "--probes", "blank-black", "--probe-size", "20",
            "--resamples", "20", "--calibration", "none"};
        Path jb = dir.resolve("t/bundle.json");
        Path jt = dir.resolve("t/tribuo.json");
        CliRun rb = run(concat(new String[] {"--model", model.toString(), "--out", dir.resolve("t/b.html").toString(), "--json",
            jb.toString()}, common));
        assertEquals(0, rb.code(), rb.err());
        // no extension hint: the file is told apart by its content (a protobuf naming an org.tribuo class)
        CliRun rt = run(concat(new String[] {"--model", tribuo.toString(), "--scale", scale, "--mean", mean, "--std", std,
            "--out", dir.resolve("t/t.html").toString(), "--json", jt.toString()}, common));
        assertEquals(0, rt.code(), rt.err());
        JsonNode b = AuditJson.read(jb);
        JsonNode t = AuditJson.read(jt);
        assertEquals("tribuo", t.at("/model/kind").asText());
        assertEquals("logits", t.at("/model/output_kind").asText(), "a linear model exposes its logits");
        for (String m : java.util.List.of("accuracy", "nll", "brier", "ece")) {
            assertEquals(b.at("/test/uncalibrated/" + m).asDouble(), t.at("/test/uncalibrated/" + m).asDouble(), 1e-6, m);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aCommandLineThatDoesNotParseExitsWithTwo() {
        CliRun r = run("--data", "mnist", "--out", "x.html");
        assertEquals(2, r.code());
        // --model is not required on its own since --predictions can stand in for it; one of them is
        assertTrue(r.err().startsWith("calibkit: error: give the model (--model FILE --data D) or prediction files"), r.err());
        assertEquals(2, run("--model", "m", "--data", "mnist", "--out", "x.html", "--threshold", "high").code());
    }
}
