package org.calibkit.report.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

import picocli.CommandLine;

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

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 1];
        full[0] = "audit";
        System.arraycopy(args, 0, full, 1, args.length);
        return new Run(cl.execute(full), out.toString(), err.toString());
    }

    @Test
    void writesBothFilesAndAFiveLineSummary() {
        Path html = dir.resolve("r/report.html");
        Path json = dir.resolve("r/report.json");
        Run r = run("--model", model.toString(), "--data", "mnist", "--probes", "blank-black,unscaled,rotated-30",
                "--probe-size", "100", "--resamples", "20", "--out", html.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(html));
        JsonNode j = AuditJson.read(json);
        assertEquals(3, j.path("probes").size());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines.length <= 5, r.out());
        assertTrue(r.out().contains(html.toString()), r.out());
        assertTrue(r.err().contains("audit: probe unscaled"), "progress lines on stderr: " + r.err());
    }

    @Test
    void badInputIsOneLineWithExitCodeOneAndNoFile() throws IOException {
        Path html = dir.resolve("bad/report.html");
        Run missing = run("--model", dir.resolve("nope.ckb").toString(), "--data", "mnist", "--out", html.toString());
        assertEquals(1, missing.code());
        assertEquals("calibkit: error: model bundle " + dir.resolve("nope.ckb") + " does not exist", missing.err().strip());

        Path corrupt = dir.resolve("corrupt.ckb");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Run truncated = run("--model", corrupt.toString(), "--data", "mnist", "--out", html.toString());
        assertEquals(1, truncated.code());
        assertTrue(truncated.err().startsWith("calibkit: error: model bundle " + corrupt), truncated.err());

        Run probe = run("--model", model.toString(), "--data", "mnist", "--probes", "blank-black,blanc", "--out", html.toString());
        assertEquals(1, probe.code());
        assertTrue(probe.err().contains("unknown probe 'blanc'"), probe.err());

        Run method = run("--model", model.toString(), "--data", "mnist", "--calibration", "tempreature", "--out", html.toString());
        assertEquals(1, method.code());
        assertTrue(method.err().contains("--calibration must be one of"), method.err());
        assertFalse(Files.exists(html), "no report for a failed run");
        assertFalse(Files.exists(html.getParent()) && Files.list(html.getParent()).findAny().isPresent());
    }

    @Test
    void aCommandLineThatDoesNotParseExitsWithTwo() {
        Run r = run("--data", "mnist", "--out", "x.html");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--model=FILE'"), r.err());
        assertEquals(2, run("--model", "m", "--data", "mnist", "--out", "x.html", "--threshold", "high").code());
    }
}
