package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.report.render.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 15, section 3, on the real MNIST CNN's predictions: the PyTorch CNN of core's
 * {@code PyTorchOnnxTest} ({@code pytorch_mnist_cnn.onnx}) run by ONNX Runtime through
 * {@link OpenedModel} (the path {@code calibkit audit --model} takes) with its author's documented
 * preprocessing ({@code --scale 1/255 --mean 0.1307 --std 0.3081}, docs/audit.md) on the 10,000
 * MNIST test images; the logits written by DuckDB as two Parquet prediction logs (validation = the
 * first 5,000 rows, test = the last 5,000; columns id, label, logits DOUBLE[] as docs/scale.md
 * documents them). {@code calibkit audit} of those logs three ways: the in-memory single-machine
 * audit (the reference: 5,000 test rows are below the default {@code --stream-above}), the
 * streamed audit through DuckDB ({@code --stream-above 0}) and Spark ({@code --engine spark
 * --master local[2]}). The logits are first checked on their own: the first 500 rows against
 * PyTorch's own ({@code pytorch_mnist_cnn_test_logits.npy}, to 1e-4), the argmax against numpy's
 * count of 9,619 right of 10,000 (docs/audit.md), and both logs read back bit for bit.
 *
 * <p>The streamed paths give the reference's numbers within the tolerances docs/scale.md states
 * ("What is exact"; {@code AuditSparkCommandTest} checks the same on synthetic logs, with the order
 * statistics to 1e-8 where this test holds them to the documented 1e-12): counts, the uncalibrated
 * reliability bins and the confidence histogram exactly, sums, order statistics and the
 * calibration tests' statistics to 1e-12 relative, T to 1e-9, the calibrated side (which moves
 * with T) to 1e-8. Their bootstrap intervals are Poisson ones and differ from the multinomial
 * ones by design: only their presence is checked. Conformal and selective sections are not
 * compared.
 */
class AuditRealCnnLogTest {
    private static final int N = 10_000;
    private static final int K = 10;
    private static final int HALF = N / 2;
    /** Metrics that are ratios of sums (each with a bootstrap interval on every path). */
    private static final List<String> SUMS = List.of("accuracy", "nll", "brier", "ece", "mce", "signed_ece", "classwise_ece");
    /** Metrics of exact order statistics (equal-mass edges, found by selection passes on the streamed paths). */
    private static final List<String> ORDER = List.of("ece_equal_mass", "ace", "debiased_ece");

    @TempDir
    static Path dir;
    static Logits logits;
    static int[] labels;
    /** The in-memory audit of the test log, calibrated on the validation log. */
    static JsonNode reference;

    @BeforeAll
    static void predictWriteAndAudit() throws IOException, SQLException {
        DataFixtures.realMnistCache();
        ImageSet test = DataCatalog.load("mnist", "test", null);
        assertEquals(N, test.size());
        labels = test.labels();
        Path onnx = dir.resolve("model.onnx");
        try (InputStream in = AuditRealCnnLogTest.class.getResourceAsStream("/org/calibkit/core/sources/pytorch_mnist_cnn.onnx")) {
            Files.copy(in, onnx);
        }
        ModelOptions o = ModelOptions.defaults()
                .withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307}, new double[] {0.3081}, false))
                .withImageShape(test.channels(), test.height(), test.width());
        try (OpenedModel m = OpenedModel.open(onnx, ModelType.ONNX, o, K)) {
            logits = m.source().logits(test);
        }
        writeLog("val", 0, HALF);
        writeLog("test", HALF, N);
        CliRun r = audit("memory");
        assertTrue(r.err().contains("30 bootstrap resamples of every metric") && !r.err().contains("streamed"),
                "the in-memory audit: " + r.err());
        reference = json("memory");
    }

    /**
     * {@code NAME.parquet}: rows {@code [from, to)} as id (the row's index in the MNIST test set),
     * label and logits, through a CSV of Java's shortest round-trip decimals
     * ({@link Double#toString}) that DuckDB parses back to the same doubles (as spark/'s
     * {@code SyntheticLog.writeWithDuckDb} does).
     */
    private static void writeLog(String name, int from, int to) throws IOException, SQLException {
        Path csv = dir.resolve(name + ".csv");
        StringBuilder outputs = new StringBuilder("[");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,label");
            for (int j = 0; j < K; j++) {
                w.write(",z" + j);
                outputs.append(j == 0 ? "" : ", ").append("z").append(j).append("::DOUBLE");
            }
            w.write("\n");
            for (int i = from; i < to; i++) {
                StringBuilder row = new StringBuilder().append(i).append(',').append(labels[i]);
                for (int j = 0; j < K; j++) {
                    row.append(',').append(Double.toString(logits.get(i, j)));
                }
                w.write(row.append('\n').toString());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT id::BIGINT AS id, label::INTEGER AS label, " + outputs + "]::DOUBLE[] AS logits FROM "
                    + "read_csv('" + csv + "', header = true, all_varchar = true)) TO '" + dir.resolve(name + ".parquet")
                    + "' (FORMAT parquet)");
        }
        Files.delete(csv);
    }

    /** {@code calibkit audit} of the test log calibrated on the validation log, writing {@code NAME/report.json}. */
    private static CliRun audit(String name, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--predictions", dir.resolve("test.parquet").toString(),
                "--val-predictions", dir.resolve("val.parquet").toString(), "--resamples", "30", "--seed", "3",
                "--out", dir.resolve(name + "/report.html").toString(), "--json", dir.resolve(name + "/report.json").toString()));
        args.addAll(List.of(more));
        CliRun r = CliRun.command("audit", args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private static JsonNode json(String name) throws IOException {
        return Json.MAPPER.readTree(Files.readString(dir.resolve(name + "/report.json")));
    }

    @Test
    void theLogsHoldTheCnnsOwnLogits() throws Exception {
        // PyTorch's own float32 logits of the first 500 test images (examples/python/train_export_mnist.py)
        Logits torch;
        try (InputStream in = AuditRealCnnLogTest.class.getResourceAsStream(
                "/org/calibkit/core/sources/pytorch_mnist_cnn_test_logits.npy")) {
            Path p = dir.resolve("torch_logits.npy");
            Files.copy(in, p);
            torch = PredictionFiles.readLogits(p);
        }
        assertEquals(500, torch.n());
        double worst = 0;
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < K; j++) {
                worst = Math.max(worst, Math.abs(logits.get(i, j) - torch.get(i, j)));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from PyTorch's logits: " + worst);
        // 9,619 of 10,000 right: numpy's count for this model (examples/python/check_onnx_audit.py, docs/audit.md)
        int[] predicted = logits.argmax();
        int correct = 0;
        int correctInTest = 0;
        for (int i = 0; i < N; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
            correctInTest += i >= HALF && predicted[i] == labels[i] ? 1 : 0;
        }
        assertEquals(9619, correct);
        // the audit's accuracy is the argmax's share of the test log's rows, before and after T (T > 0 keeps the argmax)
        assertEquals(correctInTest / (double) HALF, reference.at("/test/uncalibrated/accuracy").asDouble(), 0);
        assertEquals(correctInTest / (double) HALF, reference.at("/test/calibrated/accuracy").asDouble(), 0);
        assertEquals(HALF, reference.at("/test/n").asInt());
        assertEquals(HALF, reference.at("/data/validation_count").asInt());
        // the Parquet logs hold the very doubles the model gave, in row order (read back through DuckDB)
        assertLogHolds("val", 0, HALF);
        assertLogHolds("test", HALF, N);
    }

    /** Log {@code NAME.parquet} holds rows {@code [from, to)}: their ids, labels and the model's logits bit for bit. */
    private static void assertLogHolds(String name, int from, int to) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, label, logits FROM '" + dir.resolve(name + ".parquet") + "' ORDER BY id")) {
            int i = from;
            while (rs.next()) {
                assertEquals(i, rs.getLong(1), name);
                assertEquals(labels[i], rs.getInt(2), name + " row " + i);
                Array a = rs.getArray(3);
                Object[] z = (Object[]) a.getArray();
                assertEquals(K, z.length);
                for (int j = 0; j < K; j++) {
                    assertEquals(logits.get(i, j), ((Number) z[j]).doubleValue(), 0, name + " row " + i + ", class " + j);
                }
                i++;
            }
            assertEquals(to, i, name);
        }
    }

    @Test
    void theStreamedAuditThroughDuckDbGivesTheInMemoryAuditsNumbers() throws IOException {
        CliRun r = audit("streamed", "--stream-above", "0");
        assertTrue(r.err().contains("5,000 test rows > --stream-above 0: the streamed audit through DuckDB"), r.err());
        assertSameAudit(reference, json("streamed"));
    }

    @Test
    void sparkGivesTheInMemoryAuditsNumbers() throws IOException {
        CliRun r = audit("spark", "--engine", "spark", "--master", "local[2]");
        assertTrue(r.err().contains("on Apache Spark"), r.err());
        JsonNode y = json("spark");
        assertTrue(y.at("/model/details/test predictions").asText().contains("Apache Spark"), y.at("/model").toString());
        assertSameAudit(reference, y);
    }

    /**
     * What both audits compute, {@code y} against the reference {@code x}: counts exactly, sums and
     * order statistics to 1e-12 relative (the additions run in another order), T to 1e-9, the
     * calibrated side to 1e-8 (it moves with T).
     */
    private static void assertSameAudit(JsonNode x, JsonNode y) {
        assertEquals(x.at("/test/n"), y.at("/test/n"));
        assertEquals("temperature", y.at("/test/method").asText());
        double t = x.at("/test/temperature").asDouble();
        assertEquals(t, y.at("/test/temperature").asDouble(), 1e-9 * t, "T");
        for (String side : List.of("uncalibrated", "calibrated")) {
            double tol = side.equals("uncalibrated") ? 1e-12 : 1e-8;
            assertEquals(x.at("/test/" + side + "/accuracy"), y.at("/test/" + side + "/accuracy"), side + " accuracy");
            for (String key : SUMS) {
                close(x, y, "/test/" + side + "/" + key, tol);
                assertTrue(y.at("/test/" + side + "/ci/" + key + "/lower").isNumber()
                        && y.at("/test/" + side + "/ci/" + key + "/upper").isNumber(), "a bootstrap interval of " + side + " " + key);
            }
            for (String key : ORDER) {
                close(x, y, "/test/" + side + "/" + key, tol);
            }
            // reliability bins: counts and correct counts exactly, the binned confidence sums as the side's sums
            JsonNode bx = x.at("/test/reliability/" + side);
            JsonNode by = y.at("/test/reliability/" + side);
            assertEquals(15, by.size(), side + " bins");
            for (int b = 0; b < bx.size(); b++) {
                String p = "/test/reliability/" + side + "/" + b;
                assertEquals(bx.get(b).get("count"), by.get(b).get("count"), p);
                assertEquals(bx.get(b).get("accuracy"), by.get(b).get("accuracy"), p);
                assertEquals(bx.get(b).get("lower"), by.get(b).get("lower"), p);
                if (bx.get(b).get("count").asInt() == 0) {
                    assertEquals(bx.get(b), by.get(b), p + ", an empty bin"); // no mean confidence: null in both
                    continue;
                }
                close(x, y, p + "/confidence_sum", tol);
                close(x, y, p + "/mean_confidence", tol);
            }
            // the exact bin intervals depend on the counts only
            assertEquals(x.at("/statistics/bin_intervals/" + side), y.at("/statistics/bin_intervals/" + side), side);
            // Spiegelhalter from sums, Hosmer-Lemeshow, Kolmogorov-Smirnov and Kuiper on the sorted confidences
            JsonNode tx = x.at("/statistics/calibration_tests/" + side);
            JsonNode ty = y.at("/statistics/calibration_tests/" + side);
            assertEquals(4, ty.size(), ty.toString());
            for (int i = 0; i < 4; i++) {
                String p = "/statistics/calibration_tests/" + side + "/" + i;
                for (String exact : List.of("test", "name", "n", "df", "groups", "rejects")) {
                    assertEquals(tx.get(i).get(exact), ty.get(i).get(exact), p + "/" + exact);
                }
                close(x, y, p + "/statistic", tol);
                // a p-value's relative error is |d ln p / d ln s| x the statistic s's; at most about 80 here (normal
                // tail, Spiegelhalter's z = -8.3: z^2 = 69; the cumulative curve's Brownian tails ~ exp(-s^2 / 2),
                // Kuiper's s = 9.1: s^2 = 83; chi-square 77 on 8 df: 35): 1000 x the statistic's tolerance
                close(x, y, p + "/p_value", 1000 * tol);
            }
        }
        // before calibration the binned confidence sums are fixed-point sums on every path: the bins equal exactly
        assertEquals(x.at("/test/reliability/uncalibrated"), y.at("/test/reliability/uncalibrated"));
        assertEquals(x.at("/test/reliability/bins"), y.at("/test/reliability/bins"));
        assertEquals(x.at("/test/confidence_histogram"), y.at("/test/confidence_histogram"));
        assertEquals(K, y.at("/test/per_class").size());
        for (int j = 0; j < K; j++) {
            String p = "/test/per_class/" + j;
            for (String exact : List.of("name", "support", "frequency", "recall")) {
                assertEquals(x.at(p + "/" + exact), y.at(p + "/" + exact), p + "/" + exact);
            }
            close(x, y, p + "/mean_probability", 1e-12);
            close(x, y, p + "/ece", 1e-12);
            close(x, y, p + "/ece_calibrated", 1e-8);
        }
        assertEquals(x.at("/data"), y.at("/data"));
        assertEquals(x.at("/settings"), y.at("/settings"));
        assertEquals(x.at("/probes"), y.at("/probes"));
        // conformal sets fitted on the validation log: LAC has no randomness, so its threshold, rank and test
        // evaluation equal the in-memory audit's exactly; APS and RAPS draw a row's u from its id (another
        // randomisation than the in-memory row order: the same guarantee, coverage near 1 - alpha)
        JsonNode cx = x.at("/statistics/conformal/sets");
        JsonNode cy = y.at("/statistics/conformal/sets");
        assertEquals(3, cy.size(), cy.toString());
        assertEquals(cx.get(0), cy.get(0), "LAC");
        for (int i = 1; i < 3; i++) {
            assertEquals(cx.get(i).get("score"), cy.get(i).get("score"));
            assertEquals(cx.get(i).get("rank"), cy.get(i).get("rank"));
            assertEquals(cx.get(i).at("/test/coverage").asDouble(), cy.get(i).at("/test/coverage").asDouble(), 0.02,
                    cx.get(i).get("score").asText());
        }
    }

    /** The number at {@code pointer} in both, to {@code rel} relative. */
    private static void close(JsonNode x, JsonNode y, String pointer, double rel) {
        JsonNode a = x.at(pointer);
        JsonNode b = y.at(pointer);
        assertTrue(a.isNumber() && b.isNumber(), pointer + ": " + a + " and " + b);
        double e = a.asDouble();
        assertEquals(e, b.asDouble(), rel * Math.abs(e), pointer);
    }
}
