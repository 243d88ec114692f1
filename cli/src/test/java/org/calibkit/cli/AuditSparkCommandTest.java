package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.calibkit.report.render.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code calibkit audit --predictions LOG.parquet --engine spark --master local[2]} writes the HTML
 * report and its JSON twin of the same audit as the single-machine path ({@code --engine duckdb},
 * the reference: the existing code path, the point being the equality of the two) on logs written
 * by DuckDB here: the same rows, T, every sum metric, bins, per-class table, probes and settings;
 * intervals are Poisson-bootstrap ones (their agreement with the multinomial ones is
 * calibkit-spark's PoissonBootstrapTest); what Spark does not compute is null and the report says
 * so. A bad row ends in one error line naming file, id and column, and nothing is written.
 */
class AuditSparkCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeLogs() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // seeded synthetic logits of an overconfident 4-class model: label i % 4, its logit raised on 5 rows of 6
            for (String[] split : new String[][] {{"test", "400", "7"}, {"val", "300", "8"}}) {
                s.execute("SELECT setseed(0." + split[2] + ")");
                s.execute("COPY (SELECT 'r' || i AS id, i % 4 AS label, [2.5 * (random() - 0.5) * 3 + "
                        + "CASE WHEN i % 4 = 0 AND i % 6 <> 0 THEN 4 ELSE 0 END, 2.5 * (random() - 0.5) * 3 + "
                        + "CASE WHEN i % 4 = 1 AND i % 6 <> 0 THEN 4 ELSE 0 END, 2.5 * (random() - 0.5) * 3 + "
                        + "CASE WHEN i % 4 = 2 AND i % 6 <> 0 THEN 4 ELSE 0 END, 2.5 * (random() - 0.5) * 3 + "
                        + "CASE WHEN i % 4 = 3 AND i % 6 <> 0 THEN 4 ELSE 0 END]::DOUBLE[] AS logits "
                        + "FROM range(" + split[1] + ") t(i)) TO '" + dir.resolve(split[0] + ".parquet") + "' (FORMAT parquet)");
            }
            s.execute("COPY (SELECT * REPLACE (CASE WHEN id = 'r17' THEN 9 ELSE label END AS label) FROM '"
                    + dir.resolve("test.parquet") + "') TO '" + dir.resolve("bad.parquet") + "' (FORMAT parquet)");
        }
    }

    @Test
    void sparkWritesTheSameAuditAsTheSingleMachinePath() throws IOException {
        Path oneJson = dir.resolve("one/report.json");
        CliRun a = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--engine", "duckdb", "--resamples", "30",
                "--seed", "3", "--out", dir.resolve("one/report.html").toString(), "--json", oneJson.toString());
        assertEquals(0, a.code(), a.err());
        Path sparkJson = dir.resolve("spark/report.json");
        Path sparkHtml = dir.resolve("spark/report.html");
        CliRun b = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--engine", "spark", "--master", "local[2]",
                "--resamples", "30", "--seed", "3", "--out", sparkHtml.toString(), "--json", sparkJson.toString());
        assertEquals(0, b.code(), b.err());
        JsonNode x = Json.MAPPER.readTree(Files.readString(oneJson));
        JsonNode y = Json.MAPPER.readTree(Files.readString(sparkJson));
        assertEquals(400, y.at("/test/n").asInt());
        assertEquals("temperature", y.at("/test/method").asText());
        double t = x.at("/test/temperature").asDouble();
        assertEquals(t, y.at("/test/temperature").asDouble(), 1e-9 * t);
        for (String side : List.of("uncalibrated", "calibrated")) {
            for (String key : List.of("accuracy", "nll", "brier", "ece", "mce", "signed_ece", "classwise_ece")) {
                double e = x.at("/test/" + side + "/" + key).asDouble();
                // the calibrated side moves with T, which the two fits agree on to 1e-9
                double tol = side.equals("uncalibrated") ? 1e-12 : 1e-8;
                assertEquals(e, y.at("/test/" + side + "/" + key).asDouble(), tol * Math.abs(e), side + " " + key);
                assertTrue(y.at("/test/" + side + "/ci/" + key).isObject(), "a Poisson-bootstrap interval of " + key);
            }
            for (String key : List.of("ece_equal_mass", "ace", "debiased_ece")) { // exact order statistics, no interval
                double e = x.at("/test/" + side + "/" + key).asDouble();
                assertEquals(e, y.at("/test/" + side + "/" + key).asDouble(), 1e-8 * Math.abs(e), side + " " + key);
                assertTrue(y.at("/test/" + side + "/ci/" + key).isNull(), key);
            }
            assertTrue(y.at("/test/" + side + "/smooth_ece").isNull(), "not computed on Spark: null, not a number");
        }
        assertEquals(x.at("/test/reliability/uncalibrated"), y.at("/test/reliability/uncalibrated"));
        assertEquals(x.at("/test/per_class").size(), y.at("/test/per_class").size());
        for (int j = 0; j < 4; j++) {
            JsonNode p = x.at("/test/per_class/" + j);
            JsonNode q = y.at("/test/per_class/" + j);
            assertEquals(p.get("support"), q.get("support"));
            assertEquals(p.get("recall"), q.get("recall"));
            assertEquals(p.get("ece").asDouble(), q.get("ece").asDouble(), 1e-12 * p.get("ece").asDouble());
        }
        // the calibration tests and the exact bin intervals (Spiegelhalter from sums, the others on the sorted confidences)
        JsonNode tx = x.at("/statistics/calibration_tests/uncalibrated");
        JsonNode ty = y.at("/statistics/calibration_tests/uncalibrated");
        assertEquals(4, ty.size(), ty.toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(tx.get(i).get("name"), ty.get(i).get("name"));
            double st = tx.get(i).get("statistic").asDouble();
            assertEquals(st, ty.get(i).get("statistic").asDouble(), 1e-10 * Math.abs(st), tx.get(i).get("name").asText());
        }
        assertEquals(x.at("/statistics/bin_intervals/uncalibrated"), y.at("/statistics/bin_intervals/uncalibrated"));
        // conformal sets: LAC (no randomness) equal to the single-machine audit's; no selective prediction on Spark
        assertEquals(x.at("/statistics/conformal/sets/0"), y.at("/statistics/conformal/sets/0"));
        assertEquals(3, y.at("/statistics/conformal/sets").size());
        assertTrue(y.at("/statistics/selective").isEmpty());
        assertEquals(x.at("/probes"), y.at("/probes"));
        assertEquals(x.at("/settings"), y.at("/settings"));
        assertEquals(x.at("/data"), y.at("/data"));
        assertTrue(y.at("/model/details/test predictions").asText().contains("Apache Spark"), y.at("/model").toString());
        String html = Files.readString(sparkHtml);
        assertTrue(html.contains("Not computed on Spark"), "the page says what Spark did not compute");
        assertTrue(b.err().contains("on Apache Spark"), b.err());
    }

    @Test
    void aBadRowOnSparkIsNamedAndNothingIsWritten() {
        Path out = dir.resolve("bad/report.html");
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("bad.parquet").toString(), "--engine", "spark",
                "--master", "local[2]", "--resamples", "10", "--out", out.toString());
        assertEquals(1, r.code());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("calibkit: error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("bad.parquet") && errors.get(0).contains("id r17")
                && errors.get(0).contains("label") && errors.get(0).contains("9"), errors.get(0));
        assertFalse(Files.exists(out.getParent()), "nothing may be written for a bad log");
    }

    @Test
    void aMissingLocalLogIsOneLineBeforeSparkStarts() {
        Path out = dir.resolve("missing/report.html");
        String missing = dir.resolve("no-such-log.parquet").toString();
        CliRun r = CliRun.command("audit", "--predictions", missing, "--engine", "spark", "--master", "local[2]",
                "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        // the whole of stderr is the one error line (the check runs before a Spark session is asked for)
        assertEquals(List.of("calibkit: error: prediction log " + missing + " does not exist"),
                r.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
        assertFalse(Files.exists(out.getParent()), "nothing may be written for a missing log");
    }

    @Test
    void duckDbDoesNotReadClusterPaths() {
        CliRun r = CliRun.command("audit", "--predictions", "s3a://bucket/logs", "--engine", "duckdb",
                "--out", dir.resolve("s3/report.html").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--engine duckdb reads local files"), r.err());
    }
}
