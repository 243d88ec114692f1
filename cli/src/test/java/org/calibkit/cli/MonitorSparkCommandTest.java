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
import java.util.Random;

import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.report.render.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code calibkit monitor --predictions LOG.parquet --engine spark --master local[2] --window 1h}
 * writes the same windows as the single-machine path on the same DuckDB-written log (the
 * reference: the existing {@code --engine duckdb} path; the point is the equality of the two):
 * names, rows, labels and counts exactly, the sums to 1e-12 relative; {@code --group-by model}
 * writes one report per model whose rows add up to the log's; bad input is one error line and
 * nothing is written.
 */
class MonitorSparkCommandTest {
    static final int K = 4;
    static final int N = 900;
    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws SQLException {
        Random rnd = new Random(21);
        int[] yv = new int[1500];
        double[] zv = new double[1500 * K];
        for (int i = 0; i < 1500; i++) {
            yv[i] = rnd.nextInt(K);
            for (int j = 0; j < K; j++) {
                zv[i * K + j] = rnd.nextGaussian() + (j == yv[i] ? 3.0 : 0);
            }
        }
        PredictionFiles.writeNpy(dir.resolve("ref.npy"), zv, 1500, K);
        PredictionFiles.writeNpy(dir.resolve("ref-labels.npy"), yv);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.21)");
            // in time order, 11 s apart from 10:05 to 12:49:49: hour windows 10:00, 11:00, 12:00; model v1 on rows
            // i % 5 < 3, v2 otherwise; labels arrived for two rows of three; the true class i % 4 raised by 3
            StringBuilder logits = new StringBuilder("[");
            for (int j = 0; j < K; j++) {
                logits.append(j == 0 ? "" : ", ").append("(random() - 0.5) * 3.4 + CASE WHEN i % 4 = ").append(j)
                        .append(" THEN 3 ELSE 0 END");
            }
            logits.append("]::DOUBLE[]");
            s.execute("COPY (SELECT 'r' || i AS id, TIMESTAMP '2026-12-01 10:05:00' + to_seconds(11 * i) AS \"timestamp\", "
                    + "CASE WHEN i % 5 < 3 THEN 'v1' ELSE 'v2' END AS model, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 4 END "
                    + "AS label, " + logits + " AS logits FROM range(" + N + ") t(i) ORDER BY i) TO '"
                    + dir.resolve("log.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT * EXCLUDE (\"timestamp\") FROM '" + dir.resolve("log.parquet") + "') TO '"
                    + dir.resolve("no-time.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT * REPLACE (CASE WHEN id = 'r77' THEN [1, 'NaN'::DOUBLE, 0, 0] ELSE logits END AS logits)"
                    + " FROM '" + dir.resolve("log.parquet") + "') TO '" + dir.resolve("nan.parquet") + "' (FORMAT parquet)");
        }
    }

    static CliRun monitor(String log, String out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve(log).toString(), "--window", "1h", "--out", dir.resolve(out + "/m.html").toString(), "--json",
                dir.resolve(out + "/m.json").toString()));
        args.addAll(List.of(more));
        return CliRun.command("monitor", args.toArray(String[]::new));
    }

    @Test
    void sparkWritesTheSameWindowsAsOneMachineAndOneReportPerModel() throws IOException {
        CliRun one = monitor("log.parquet", "one", "--engine", "duckdb");
        assertEquals(0, one.code(), one.err());
        CliRun spark = monitor("log.parquet", "spark", "--engine", "spark", "--master", "local[2]");
        assertEquals(0, spark.code(), spark.err());
        JsonNode a = Json.MAPPER.readTree(Files.readString(dir.resolve("one/m.json")));
        JsonNode b = Json.MAPPER.readTree(Files.readString(dir.resolve("spark/m.json")));
        assertEquals(3, a.get("windows").size());
        assertEquals(a.get("windows").size(), b.get("windows").size());
        for (int w = 0; w < a.get("windows").size(); w++) {
            JsonNode x = a.at("/windows/" + w);
            JsonNode y = b.at("/windows/" + w);
            for (String key : List.of("name", "first_row", "rows", "labelled", "unfamiliar_share", "class_mix_p",
                    "accuracy")) {
                assertEquals(x.get(key), y.get(key), "window " + w + " " + key);
            }
            for (String key : List.of("mean_confidence", "ece", "estimates/0/accuracy", "estimates/1/accuracy")) {
                double e = x.at("/" + key).asDouble();
                assertEquals(e, y.at("/" + key).asDouble(), 1e-12 * Math.abs(e), "window " + w + " " + key);
            }
        }
        assertEquals(a.get("alerts").size(), b.get("alerts").size());
        assertTrue(Files.exists(dir.resolve("spark/m.html")));

        CliRun grouped = monitor("log.parquet", "g", "--engine", "spark", "--master", "local[2]", "--group-by", "model");
        assertEquals(0, grouped.code(), grouped.err());
        int rows = 0;
        for (String m : List.of("v1", "v2")) {
            JsonNode g = Json.MAPPER.readTree(Files.readString(dir.resolve("g/m-" + m + ".json")));
            assertTrue(Files.exists(dir.resolve("g/m-" + m + ".html")), m);
            int r = 0;
            for (JsonNode w : g.get("windows")) {
                r += w.get("rows").asInt();
            }
            // rows i % 5 < 3 of 0..899 are v1: 540 of them, 360 of v2
            assertEquals(m.equals("v1") ? 540 : 360, r, m);
            rows += r;
        }
        assertEquals(N, rows);
        assertFalse(Files.exists(dir.resolve("g/m.json")), "grouped runs write per-group files only");
        assertTrue(grouped.out().contains("monitor of " + dir.resolve("log.parquet") + " (model v1): "), grouped.out());
    }

    @Test
    void badInputIsOneLineAndWritesNothing() {
        CliRun noTime = monitor("no-time.parquet", "bad1", "--engine", "spark", "--master", "local[2]");
        assertEquals(1, noTime.code());
        assertEquals(List.of("calibkit: error: file " + dir.resolve("no-time.parquet") + ": no column timestamp (columns: "
                + "id, model, label, logits)"), errors(noTime));
        assertFalse(Files.exists(dir.resolve("bad1")));
        CliRun nan = monitor("nan.parquet", "bad2", "--engine", "spark", "--master", "local[2]");
        assertEquals(1, nan.code());
        List<String> e = errors(nan);
        assertEquals(1, e.size(), nan.err());
        assertTrue(e.get(0).matches("calibkit: error: file \\S+nan\\.parquet \\(id r77\\): column logits\\[1] is NaN, "
                + "expected a finite number"), e.get(0));
        assertFalse(Files.exists(dir.resolve("bad2/m.html")));
        CliRun rowsWindow = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve("log.parquet").toString(), "--engine", "spark", "--window", "300", "--out",
                dir.resolve("bad3/m.html").toString());
        assertEquals(1, rowsWindow.code());
        assertEquals(List.of("calibkit: error: --engine spark cuts the log by time: --window must be a duration (1d, 6h, "
                + "30m), not a number of rows (300)"), errors(rowsWindow));
        assertFalse(Files.exists(dir.resolve("bad3/m.html")));
    }

    static List<String> errors(CliRun r) {
        return r.err().lines().filter(l -> l.startsWith("calibkit:")).toList();
    }
}
