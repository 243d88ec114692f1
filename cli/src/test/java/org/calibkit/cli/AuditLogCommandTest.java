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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.calibkit.report.render.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code calibkit audit --predictions LOG.parquet}: the same rows once as CSV files and once as a
 * Parquet prediction log (written by DuckDB from the very same CSV text, so both readers parse the
 * same decimal strings) give the same audit: every metric, interval, statistic and verdict of the
 * JSON is equal; only the description of where the predictions came from differs. Bad logs end in
 * one error line naming the file and column, and write nothing.
 */
class AuditLogCommandTest {
    private static final int K = 4;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTheSameRowsTwice() throws IOException, SQLException {
        Random rnd = new Random(41);
        write("test", 300, rnd);
        write("val", 200, rnd);
    }

    /** {@code NAME.csv} (outputs), {@code NAME-labels.csv}, {@code NAME-rows.csv} (id, outputs, label) and {@code NAME.parquet}. */
    private static void write(String name, int n, Random rnd) throws IOException, SQLException {
        List<String> outputs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        rows.add("id,l0,l1,l2,l3,label");
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(K);
            int signal = rnd.nextInt(6) == 0 ? rnd.nextInt(K) : y; // some label noise: the model is not perfect
            String[] z = new String[K];
            for (int j = 0; j < K; j++) {
                z[j] = String.format(Locale.ROOT, "%.6f", 2.5 * rnd.nextGaussian() + (j == signal ? 4.0 : 0.0));
            }
            outputs.add(String.join(",", z));
            labels.add(Integer.toString(y));
            rows.add("r" + i + "," + String.join(",", z) + "," + y);
        }
        Files.write(dir.resolve(name + ".csv"), outputs);
        Files.write(dir.resolve(name + "-labels.csv"), labels);
        Files.write(dir.resolve(name + "-rows.csv"), rows);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT id, [l0, l1, l2, l3]::DOUBLE[] AS logits, label::INTEGER AS label FROM read_csv('"
                    + dir.resolve(name + "-rows.csv") + "', header = true, columns = {'id': 'VARCHAR', 'l0': 'DOUBLE', "
                    + "'l1': 'DOUBLE', 'l2': 'DOUBLE', 'l3': 'DOUBLE', 'label': 'INTEGER'})) TO '"
                    + dir.resolve(name + ".parquet") + "' (FORMAT parquet)");
        }
    }

    @Test
    void aParquetLogGivesTheSameAuditAsTheSameRowsInCsvFiles() throws IOException {
        Path csvJson = dir.resolve("csv/report.json");
        CliRun a = CliRun.command("audit", "--predictions", dir.resolve("test.csv").toString(),
                "--labels", dir.resolve("test-labels.csv").toString(), "--val-predictions", dir.resolve("val.csv").toString(),
                "--val-labels", dir.resolve("val-labels.csv").toString(), "--output-kind", "logits", "--resamples", "30",
                "--seed", "3", "--out", dir.resolve("csv/report.html").toString(), "--json", csvJson.toString());
        assertEquals(0, a.code(), a.err());
        Path logJson = dir.resolve("log/report.json");
        CliRun b = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--resamples", "30", "--seed", "3",
                "--out", dir.resolve("log/report.html").toString(), "--json", logJson.toString());
        assertEquals(0, b.code(), b.err());
        JsonNode x = Json.MAPPER.readTree(Files.readString(csvJson));
        JsonNode y = Json.MAPPER.readTree(Files.readString(logJson));
        for (String section : List.of("/test", "/statistics", "/verdicts", "/probes", "/settings", "/verdict_counts")) {
            assertEquals(x.at(section), y.at(section), section);
        }
        assertEquals(300, y.at("/test/n").asInt());
        assertEquals("temperature", y.at("/test/method").asText()); // fitted on the validation log
        assertTrue(y.at("/model/details/test predictions").asText().contains("Parquet log"));
        assertTrue(b.out().contains("audit of"), b.out());
    }

    /**
     * {@code --stream-above 0}: the streamed audit through DuckDB (spark/'s DuckDbAuditEqualityTest
     * shows it equals the Spark audit); here against the in-memory audit of the same log, the
     * reference for the sums: counts exactly, the sums' metrics to 1e-12, and what the streamed audit
     * does not compute named in the report.
     */
    @Test
    void aLogStreamedThroughDuckDbGivesTheInMemoryAuditsSums() throws IOException {
        Path memory = dir.resolve("memory/report.json");
        CliRun a = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--resamples", "30", "--seed", "3",
                "--out", dir.resolve("memory/report.html").toString(), "--json", memory.toString());
        assertEquals(0, a.code(), a.err());
        Path streamed = dir.resolve("streamed/report.json");
        CliRun b = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--resamples", "30", "--seed", "3",
                "--stream-above", "0", "--out", dir.resolve("streamed/report.html").toString(), "--json", streamed.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.err().contains("300 test rows > --stream-above 0: the streamed audit through DuckDB"), b.err());
        JsonNode x = Json.MAPPER.readTree(Files.readString(memory));
        JsonNode y = Json.MAPPER.readTree(Files.readString(streamed));
        assertEquals(x.at("/test/n"), y.at("/test/n"));
        assertEquals(x.at("/test/uncalibrated/accuracy"), y.at("/test/uncalibrated/accuracy"));
        for (String side : List.of("uncalibrated", "calibrated")) {
            for (String key : List.of("nll", "brier", "ece", "mce", "classwise_ece", "ece_equal_mass", "ace")) {
                double e = x.at("/test/" + side + "/" + key).asDouble();
                assertEquals(e, y.at("/test/" + side + "/" + key).asDouble(), 1e-9 * Math.abs(e), side + " " + key);
            }
        }
        assertTrue(y.at("/test/uncalibrated/smooth_ece").isNull(), "not computed when streamed: null, not a number");
        assertTrue(y.at("/model/details").toString().contains("Not computed in DuckDB's streamed audit"), y.at("/model/details").toString());
        CliRun bad = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(), "--stream-above", "-1",
                "--out", dir.resolve("neg/report.html").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--stream-above must be 0 or more rows, but got -1"), bad.err());
        assertFalse(Files.exists(dir.resolve("neg")));
    }

    @Test
    void aLogWithoutTheLabelColumnIsRefusedByName() throws IOException {
        Path out = dir.resolve("bad/report.html");
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(), "--log-label", "truth",
                "--out", out.toString());
        assertEquals(1, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("calibkit: error: ") && lines.get(0).contains("no column truth")
                && lines.get(0).contains("test.parquet"), lines.get(0));
        assertFalse(Files.exists(out.getParent()), "nothing may be written for a bad log");
    }

    @Test
    void labelsFilesDoNotGoWithALog() {
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("test.parquet").toString(),
                "--labels", dir.resolve("test-labels.csv").toString(), "--out", dir.resolve("x/report.html").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("calibkit: error: ") && r.err().contains("label column"), r.err());
    }

    @Test
    void aFileThatIsNotParquetIsNamed() throws IOException {
        Path fake = dir.resolve("fake.parquet");
        Files.writeString(fake, "id,logits,label\n");
        CliRun r = CliRun.command("audit", "--predictions", fake.toString(), "--out", dir.resolve("y/report.html").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("calibkit: error: ") && r.err().contains("fake.parquet"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
