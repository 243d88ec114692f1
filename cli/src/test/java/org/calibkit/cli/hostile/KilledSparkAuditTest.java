package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, section 3: a Spark audit killed halfway (SIGKILL, as an out-of-memory killer or a
 * cancelled cluster job does it) leaves no half-written report and does not touch the report an
 * earlier run wrote to the same place. The real command line runs in a child JVM on
 * {@code local[2]}; it is killed when it says it has finished the pass over the test log and
 * started the distributed sort, so the order statistics, the temperature fit and both writes are
 * still ahead of it.
 */
class KilledSparkAuditTest {
    @TempDir
    Path dir;

    @Test
    void aKilledSparkAuditLeavesTheEarlierReportAsItWasAndNothingElse() throws Exception {
        Path test = dir.resolve("test.parquet");
        Path val = dir.resolve("val.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.5)");
            for (Path p : List.of(test, val)) {
                s.execute("COPY (SELECT 'r' || i AS id, i % 3 AS label, [random() * 4 + CASE WHEN i % 3 = 0 THEN 2 ELSE 0 END, "
                        + "random() * 4 + CASE WHEN i % 3 = 1 THEN 2 ELSE 0 END, random() * 4]::DOUBLE[] AS logits "
                        + "FROM range(3000) t(i)) TO '" + p + "' (FORMAT parquet)");
            }
        }
        Path out = Files.createDirectory(dir.resolve("out"));
        // an earlier run's report: the killed run must leave these bytes as they are
        byte[] earlierHtml = "<!doctype html><title>earlier</title>".getBytes(StandardCharsets.UTF_8);
        byte[] earlierJson = "{\"earlier\": true}".getBytes(StandardCharsets.UTF_8);
        Files.write(out.resolve("report.html"), earlierHtml);
        Files.write(out.resolve("report.json"), earlierJson);
        String[] audit = {"audit", "--predictions", test.toString(), "--val-predictions", val.toString(), "--engine", "spark",
            "--master", "local[2]", "--resamples", "30", "--out", out.resolve("report.html").toString(),
            "--json", out.resolve("report.json").toString()};

        Process p = new ProcessBuilder(HostileCli.command(sparkOptions(), audit)).directory(dir.toFile())
                .redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        boolean halfway = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                seen.add(line);
                if (line.startsWith("audit: exact order statistics")) {
                    halfway = true;
                    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed audit did not end");
        assertTrue(halfway, "the audit never reached its order statistics:\n" + String.join("\n", seen));
        // nothing but calibkit's progress before it: Spark's start-up log is off from its first line
        // (the JVM's own notice of the incubator module Spark asks for aside)
        for (String line : seen) {
            assertTrue(line.startsWith("audit: ") || line.startsWith("WARNING: Using incubator modules"),
                    "a line that is not calibkit's: " + line);
        }
        assertEquals(137, p.exitValue(), "not ended by SIGKILL");

        assertArrayEquals(earlierHtml, Files.readAllBytes(out.resolve("report.html")), "the earlier HTML report was replaced");
        assertArrayEquals(earlierJson, Files.readAllBytes(out.resolve("report.json")), "the earlier JSON report was replaced");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("report.html", "report.json"), s.map(f -> f.getFileName().toString()).sorted().toList(),
                    "the killed audit left files behind");
        }

    }

    /** Spark's Java 17 options as this test JVM got them from the build (the parent pom's spark.module.options). */
    private static List<String> sparkOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("--add-modules")
                        || a.startsWith("-Dio.netty"))
                .toList();
    }
}
