package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.report.render.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code calibkit monitor} through the command line on seeded .npy files: a log whose first 1,000
 * rows are drawn like the reference and whose last 1,000 are noise alerts first in the first
 * noise window and never before; --fail-on-alert turns that into exit 1; bad input is one error
 * line and writes nothing.
 */
class MonitorCommandTest {
    private static final int K = 4;

    @TempDir
    static Path dir;

    private static double[] rows(Random rnd, int n, double margin, int[] y, int from) {
        double[] z = new double[n * K];
        for (int i = 0; i < n; i++) {
            y[from + i] = rnd.nextInt(K);
            for (int j = 0; j < K; j++) {
                z[i * K + j] = rnd.nextGaussian() + (j == y[from + i] ? margin : 0);
            }
        }
        return z;
    }

    @BeforeAll
    static void write() {
        Random rnd = new Random(11);
        int[] yv = new int[2000];
        PredictionFiles.writeNpy(dir.resolve("ref.npy"), rows(rnd, 2000, 3.5, yv, 0), 2000, K);
        PredictionFiles.writeNpy(dir.resolve("ref-labels.npy"), yv);
        int[] y = new int[2000];
        double[] log = new double[2000 * K];
        System.arraycopy(rows(rnd, 1000, 3.5, y, 0), 0, log, 0, 1000 * K);
        System.arraycopy(rows(rnd, 1000, 0.0, y, 1000), 0, log, 1000 * K, 1000 * K);
        PredictionFiles.writeNpy(dir.resolve("log.npy"), log, 2000, K);
        PredictionFiles.writeNpy(dir.resolve("log-labels.npy"), y);
    }

    private static CliRun monitor(String out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve("log.npy").toString(), "--window", "250", "--out", dir.resolve(out + "/m.html").toString(),
                "--json", dir.resolve(out + "/m.json").toString()));
        args.addAll(List.of(extra));
        return CliRun.command("monitor", args.toArray(String[]::new));
    }

    @Test
    void theFirstAlertIsTheFirstNoiseWindow() throws IOException {
        CliRun r = monitor("a", "--labels", dir.resolve("log-labels.npy").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("monitor of " + dir.resolve("log.npy") + ": 8 windows of 250 rows, "), r.out());
        assertTrue(r.out().contains("the first in window 4"), r.out());
        JsonNode j = Json.MAPPER.readTree(Files.readString(dir.resolve("a/m.json")));
        assertEquals(8, j.get("windows").size());
        assertEquals(4, j.at("/alerts/0/window").asInt());
        assertEquals(250, j.at("/windows/3/labelled").asInt());
        assertTrue(Files.size(dir.resolve("a/m.html")) > 10_000);
    }

    /**
     * An .npy log is read window by window (never whole); the same rows as a headerless CSV take the
     * in-memory path. Both must give the same windows and alerts, number for number (the CSV holds
     * each double as Double.toString writes it, which reads back to the same double).
     */
    @Test
    void theStreamedNpyLogGivesWhatTheWholeLogGives() throws IOException {
        double[] log = PredictionFiles.readLogits(dir.resolve("log.npy")).raw();
        int[] y = PredictionFiles.readLabels(dir.resolve("log-labels.npy"));
        StringBuilder csv = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < K; j++) {
                csv.append(j == 0 ? "" : ",").append(log[i * K + j]);
            }
            csv.append('\n');
            labels.append(y[i]).append('\n');
        }
        Path logCsv = Files.writeString(dir.resolve("log.csv"), csv);
        Path labelsCsv = Files.writeString(dir.resolve("log-labels.csv"), labels);
        CliRun streamed = monitor("s", "--labels", dir.resolve("log-labels.npy").toString());
        assertEquals(0, streamed.code(), streamed.err());
        assertTrue(streamed.err().contains("read window by window"), streamed.err());
        CliRun whole = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions", logCsv.toString(),
                "--labels", labelsCsv.toString(), "--window", "250", "--out", dir.resolve("w/m.html").toString(),
                "--json", dir.resolve("w/m.json").toString());
        assertEquals(0, whole.code(), whole.err());
        assertFalse(whole.err().contains("read window by window"), whole.err());
        JsonNode a = Json.MAPPER.readTree(Files.readString(dir.resolve("s/m.json")));
        JsonNode b = Json.MAPPER.readTree(Files.readString(dir.resolve("w/m.json")));
        assertEquals(8, a.get("windows").size());
        assertEquals(b.get("windows"), a.get("windows"));
        assertEquals(b.get("alerts"), a.get("alerts"));
    }

    /** Midnight starting the CSV and Parquet logs' first day, in epoch seconds. */
    private static final long DAY0 = java.time.Instant.parse("2026-11-30T00:00:00Z").getEpochSecond();

    /** Row {@code i} of a CSV log: id {@code p<i>}, the timestamp, the K outputs (no label column). */
    private static String csvRow(int i, long epochSecond, double[] z) {
        StringBuilder b = new StringBuilder("p" + i + "," + java.time.Instant.ofEpochSecond(epochSecond));
        for (int c = 0; c < K; c++) {
            b.append(',').append(z[i * K + c]);
        }
        return b.toString();
    }

    /**
     * A CSV log with a header (id, timestamp, the 4 outputs, label empty) cut into days by its
     * timestamps, and labels that arrived later joined by id: 3 days of 300, 300 and 400 rows (the
     * rows written out of order), labels for the first day only.
     */
    @Test
    void aCsvLogIsCutIntoDaysAndLateLabelsAreJoinedById() throws IOException {
        Random rnd = new Random(12);
        int[] y = new int[1000];
        double[] z = rows(rnd, 1000, 3.5, y, 0);
        List<String> log = new java.util.ArrayList<>(List.of("id,timestamp,z0,z1,z2,z3,label"));
        List<String> late = new java.util.ArrayList<>(List.of("id,label"));
        for (int i = 999; i >= 0; i--) { // newest first: windows follow the timestamps, not the file order
            int day = i < 300 ? 0 : i < 600 ? 1 : 2;
            log.add(csvRow(i, DAY0 + day * 86_400L + i, z) + ",");
            if (day == 0) {
                late.add("p" + i + "," + y[i]);
            }
        }
        Files.write(dir.resolve("log.csv"), log);
        Files.write(dir.resolve("late.csv"), late);
        CliRun r = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve("log.csv").toString(), "--labels", dir.resolve("late.csv").toString(), "--window", "1d",
                "--out", dir.resolve("d/m.html").toString(), "--json", dir.resolve("d/m.json").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(Files.readString(dir.resolve("d/m.json")));
        assertEquals("1d", j.at("/settings/window").asText());
        assertEquals(3, j.get("windows").size());
        assertEquals("2026-11-30T00:00:00Z", j.at("/windows/0/name").asText());
        assertEquals(List.of(300, 300, 400), List.of(j.at("/windows/0/rows").asInt(), j.at("/windows/1/rows").asInt(),
                j.at("/windows/2/rows").asInt()));
        assertEquals(List.of(300, 0, 0), List.of(j.at("/windows/0/labelled").asInt(), j.at("/windows/1/labelled").asInt(),
                j.at("/windows/2/labelled").asInt()));
        // the realised accuracy of day 0, counted here: arg-max against the joined labels
        int hit = 0;
        for (int i = 0; i < 300; i++) {
            int best = 0;
            for (int c = 1; c < K; c++) {
                best = z[i * K + c] > z[i * K + best] ? c : best;
            }
            hit += best == y[i] ? 1 : 0;
        }
        assertEquals(hit / 300.0, j.at("/windows/0/accuracy").asDouble(), 1e-12);
        assertTrue(j.at("/windows/1/accuracy").isNull());
    }

    @Test
    void aLateLabelForAnUnknownIdIsNamed() throws IOException {
        Files.write(dir.resolve("log2.csv"), List.of("id,z0,z1,z2,z3", "a,1,0,0,0", "b,0,1,0,0"));
        Files.write(dir.resolve("late2.csv"), List.of("id,label", "a,0", "zz,1"));
        CliRun r = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve("log2.csv").toString(), "--labels", dir.resolve("late2.csv").toString(),
                "--window", "20", "--out", dir.resolve("e/m.html").toString());
        assertEquals(1, r.code());
        assertEquals(List.of("calibkit: error: labels " + dir.resolve("late2.csv") + " line 3: id 'zz' is not in the "
                + "prediction log"), r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
        assertFalse(Files.exists(dir.resolve("e")));
    }

    @Test
    void failOnAlertExitsOne() {
        CliRun r = monitor("b", "--fail-on-alert");
        assertEquals(1, r.code());
        assertTrue(Files.exists(dir.resolve("b/m.html")), "the page is written before the exit code says alert");
    }

    @Test
    void aLogOfOtherColumnsIsOneLineAndWritesNothing() {
        PredictionFiles.writeNpy(dir.resolve("wide.npy"), new double[50], 10, 5);
        CliRun r = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions",
                dir.resolve("wide.npy").toString(), "--out", dir.resolve("c/m.html").toString());
        assertEquals(1, r.code());
        assertEquals(List.of("calibkit: error: prediction log " + dir.resolve("wide.npy") + " has 5 output columns, but the "
                + "reference " + dir.resolve("ref.npy") + " has 4"), r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
        assertFalse(Files.exists(dir.resolve("c")));
    }

    private static CliRun audit(String out, boolean withValidation) {
        List<String> args = new java.util.ArrayList<>(List.of("--predictions", dir.resolve("log.npy").toString(),
                "--labels", dir.resolve("log-labels.npy").toString(), "--resamples", "20",
                "--out", dir.resolve(out + "/a.html").toString(), "--json", dir.resolve(out + "/a.json").toString()));
        if (withValidation) {
            args.addAll(List.of("--val-predictions", dir.resolve("ref.npy").toString(), "--val-labels",
                    dir.resolve("ref-labels.npy").toString()));
        }
        return CliRun.command("audit", args.toArray(String[]::new));
    }

    /**
     * The audit of predictions with a validation split stores the monitor's reference in its JSON;
     * monitoring with it must give, number for number, what fitting the reference from the same
     * validation files gives (both fit the same temperature, estimators and threshold on the same
     * rows; the JSON keeps each double as Double.toString writes it, which reads back exactly).
     */
    @Test
    void aReferenceFromAnAuditsJsonGivesWhatItsValidationFilesGive() throws IOException {
        CliRun a = audit("ra", true);
        assertEquals(0, a.code(), a.err());
        JsonNode stored = Json.MAPPER.readTree(Files.readString(dir.resolve("ra/a.json"))).get("monitor_reference");
        assertEquals("calibkit-monitor-reference", stored.get("format").asText());
        assertEquals(2000, stored.get("n").asInt());
        CliRun fromAudit = CliRun.command("monitor", "--reference", dir.resolve("ra/a.json").toString(), "--predictions",
                dir.resolve("log.npy").toString(), "--labels", dir.resolve("log-labels.npy").toString(), "--window", "250",
                "--out", dir.resolve("rm/m.html").toString(), "--json", dir.resolve("rm/m.json").toString());
        assertEquals(0, fromAudit.code(), fromAudit.err());
        assertTrue(fromAudit.err().contains("fitted on 2000 validation rows x 4 classes when audited"), fromAudit.err());
        CliRun fromFiles = monitor("rf", "--labels", dir.resolve("log-labels.npy").toString());
        assertEquals(0, fromFiles.code(), fromFiles.err());
        JsonNode x = Json.MAPPER.readTree(Files.readString(dir.resolve("rm/m.json")));
        JsonNode y = Json.MAPPER.readTree(Files.readString(dir.resolve("rf/m.json")));
        assertEquals(y.get("reference"), x.get("reference"));
        assertEquals(y.get("windows"), x.get("windows"));
        assertEquals(y.get("alerts"), x.get("alerts"));
        assertEquals(8, x.get("windows").size());
        assertFalse(x.get("alerts").isEmpty());
    }

    @Test
    void anAuditWithoutValidationIsNoReference() throws IOException {
        CliRun a = audit("na", false);
        assertEquals(0, a.code(), a.err());
        assertFalse(Json.MAPPER.readTree(Files.readString(dir.resolve("na/a.json"))).has("monitor_reference"));
        CliRun r = CliRun.command("monitor", "--reference", dir.resolve("na/a.json").toString(), "--predictions",
                dir.resolve("log.npy").toString(), "--out", dir.resolve("nm/m.html").toString());
        assertEquals(1, r.code());
        assertEquals(List.of("calibkit: error: audit JSON " + dir.resolve("na/a.json") + " holds no monitor_reference: "
                + "audit the model (or its predictions) with a validation split, or give --reference-predictions and "
                + "--reference-labels"), r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
        assertFalse(Files.exists(dir.resolve("nm")));
    }

    /** An edited reference (another version, a share outside [0, 1], a class dropped) is one line naming it. */
    @Test
    void aDamagedStoredReferenceIsOneLine() throws IOException {
        CliRun a = audit("da", true);
        assertEquals(0, a.code(), a.err());
        String text = Files.readString(dir.resolve("da/a.json"));
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(text);
        com.fasterxml.jackson.databind.node.ObjectNode ref = (com.fasterxml.jackson.databind.node.ObjectNode)
                root.get("monitor_reference");
        List<java.util.Map.Entry<String, Runnable>> edits = List.of(
                java.util.Map.entry("has version 2, which this calibkit does not read (it reads 1)",
                        () -> ref.put("version", 2)),
                java.util.Map.entry("has class share 1.5 at 0, not a number in [0, 1]",
                        () -> ((com.fasterxml.jackson.databind.node.ArrayNode) ref.get("class_shares")).set(0, 1.5)),
                java.util.Map.entry("has 3 class names and 4 class shares; expected the same number, at least 2",
                        () -> ((com.fasterxml.jackson.databind.node.ArrayNode) ref.get("class_names")).remove(0)));
        int i = 0;
        for (var e : edits) {
            com.fasterxml.jackson.databind.node.ObjectNode saved = ref.deepCopy();
            e.getValue().run();
            Path f = Files.writeString(dir.resolve("da/edited" + i + ".json"), Json.MAPPER.writeValueAsString(root));
            CliRun r = CliRun.command("monitor", "--reference", f.toString(), "--predictions",
                    dir.resolve("log.npy").toString(), "--out", dir.resolve("dm" + i + "/m.html").toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(List.of("calibkit: error: " + f + "'s monitor_reference " + e.getKey()),
                    r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
            assertFalse(Files.exists(dir.resolve("dm" + i)));
            ref.removeAll();
            ref.setAll(saved);
            i++;
        }
    }

    @Test
    void bothReferenceFormsAtOnceIsAUsageError() {
        CliRun r = CliRun.command("monitor", "--reference", dir.resolve("x.json").toString(), "--reference-predictions",
                dir.resolve("ref.npy").toString(), "--reference-labels", dir.resolve("ref-labels.npy").toString(),
                "--predictions", dir.resolve("log.npy").toString(), "--out", dir.resolve("bm/m.html").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
        assertFalse(Files.exists(dir.resolve("bm")));
    }

    /**
     * The audit stored "logits"; a log of the model's softmax outputs read as logits would give
     * other probabilities without a word, so it is refused naming the flag, and with the flag it
     * gives what the logits give: softmax(log p / T) = softmax(z / T), equal up to rounding
     * (the log-probabilities differ from the logits by a constant per row).
     */
    @Test
    void aLogOfProbabilitiesAgainstAnAuditOfLogitsNeedsTheFlag() throws IOException {
        CliRun a = audit("pa", true);
        assertEquals(0, a.code(), a.err());
        double[] z = PredictionFiles.readLogits(dir.resolve("log.npy")).raw();
        double[] p = new double[z.length];
        for (int i = 0; i < z.length / K; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < K; j++) {
                max = Math.max(max, z[i * K + j]);
            }
            double sum = 0;
            for (int j = 0; j < K; j++) {
                p[i * K + j] = Math.exp(z[i * K + j] - max);
                sum += p[i * K + j];
            }
            for (int j = 0; j < K; j++) {
                p[i * K + j] /= sum;
            }
        }
        PredictionFiles.writeNpy(dir.resolve("log-p.npy"), p, z.length / K, K);
        List<String> args = new java.util.ArrayList<>(List.of("--reference", dir.resolve("pa/a.json").toString(),
                "--predictions", dir.resolve("log-p.npy").toString(), "--window", "250"));
        List<String> refused = new java.util.ArrayList<>(args);
        refused.addAll(List.of("--out", dir.resolve("pr/m.html").toString()));
        CliRun r = CliRun.command("monitor", refused.toArray(String[]::new));
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("calibkit: error: prediction log " + dir.resolve("log-p.npy") + " holds probabilities (each "
                + "of its first 1000 rows sums to 1), but the reference in " + dir.resolve("pa/a.json") + " was fitted on "
                + "the model's logits: pass --output-kind probabilities to read them as the model's probabilities"),
                r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
        assertFalse(Files.exists(dir.resolve("pr")));
        args.addAll(List.of("--output-kind", "probabilities", "--out", dir.resolve("pp/m.html").toString(), "--json",
                dir.resolve("pp/m.json").toString()));
        CliRun ok = CliRun.command("monitor", args.toArray(String[]::new));
        assertEquals(0, ok.code(), ok.err());
        CliRun logits = CliRun.command("monitor", "--reference", dir.resolve("pa/a.json").toString(), "--predictions",
                dir.resolve("log.npy").toString(), "--window", "250", "--out", dir.resolve("pl/m.html").toString(),
                "--json", dir.resolve("pl/m.json").toString());
        assertEquals(0, logits.code(), logits.err());
        JsonNode x = Json.MAPPER.readTree(Files.readString(dir.resolve("pp/m.json")));
        JsonNode y = Json.MAPPER.readTree(Files.readString(dir.resolve("pl/m.json")));
        for (int w = 0; w < 8; w++) {
            assertEquals(y.at("/windows/" + w + "/mean_confidence").asDouble(), x.at("/windows/" + w + "/mean_confidence")
                    .asDouble(), 1e-9);
            assertEquals(y.at("/windows/" + w + "/estimates/1/accuracy").asDouble(),
                    x.at("/windows/" + w + "/estimates/1/accuracy").asDouble(), 1e-9);
        }
    }

    /**
     * The same log as a Parquet file (written by DuckDB from the CSV text: id, a TIMESTAMP column,
     * the outputs as a DOUBLE[] column, no label column) cut into days, with the late labels joined
     * by id, gives the CSV log's windows number for number.
     */
    @Test
    void aParquetLogIsCutByTimeAndJoinsLateLabelsAsTheCsvLog() throws Exception {
        Random rnd = new Random(14);
        int[] y = new int[600];
        double[] z = rows(rnd, 600, 3.5, y, 0);
        List<String> log = new java.util.ArrayList<>(List.of("id,timestamp,z0,z1,z2,z3"));
        List<String> late = new java.util.ArrayList<>(List.of("id,label"));
        for (int i = 0; i < 600; i++) {
            log.add(csvRow(i, DAY0 + (i / 200) * 86_400L + 7 * i, z));
            if (i % 3 == 0) {
                late.add("p" + i + "," + y[i]);
            }
        }
        Path csv = Files.write(dir.resolve("pq-log.csv"), log);
        Path labels = Files.write(dir.resolve("pq-late.csv"), late);
        Path parquet = dir.resolve("pq-log.parquet");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement st = c.createStatement()) {
            st.execute("COPY (SELECT id, CAST(\"timestamp\" AS TIMESTAMP) AS \"timestamp\", [z0, z1, z2, z3]::DOUBLE[] AS logits "
                    + "FROM read_csv('" + csv + "', header = true, columns = {'id': 'VARCHAR', 'timestamp': 'VARCHAR', "
                    + "'z0': 'DOUBLE', 'z1': 'DOUBLE', 'z2': 'DOUBLE', 'z3': 'DOUBLE'})) TO '" + parquet + "' (FORMAT parquet)");
        }
        CliRun fromCsv = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions", csv.toString(),
                "--labels", labels.toString(), "--window", "1d", "--out", dir.resolve("pc/m.html").toString(), "--json",
                dir.resolve("pc/m.json").toString());
        assertEquals(0, fromCsv.code(), fromCsv.err());
        CliRun fromParquet = CliRun.command("monitor", "--reference-predictions", dir.resolve("ref.npy").toString(),
                "--reference-labels", dir.resolve("ref-labels.npy").toString(), "--predictions", parquet.toString(),
                "--labels", labels.toString(), "--window", "1d", "--out", dir.resolve("pp2/m.html").toString(), "--json",
                dir.resolve("pp2/m.json").toString());
        assertEquals(0, fromParquet.code(), fromParquet.err());
        JsonNode a = Json.MAPPER.readTree(Files.readString(dir.resolve("pc/m.json")));
        JsonNode b = Json.MAPPER.readTree(Files.readString(dir.resolve("pp2/m.json")));
        assertEquals(3, b.get("windows").size());
        assertEquals(List.of(67, 67, 66), List.of(b.at("/windows/0/labelled").asInt(), b.at("/windows/1/labelled").asInt(),
                b.at("/windows/2/labelled").asInt())); // every third row of 200 per day
        assertEquals(a.get("windows"), b.get("windows"));
        assertEquals(a.get("alerts"), b.get("alerts"));
    }

    /** --fail-on KINDS exits 1 exactly when an alert of those kinds is in the run's JSON; an unknown kind is one line. */
    @Test
    void failOnKindsFailsOnThoseKindsOnly() throws IOException {
        java.util.Set<String> raised = new java.util.HashSet<>();
        for (String kind : List.of("accuracy", "unfamiliar", "class_mix")) {
            CliRun r = monitor("f-" + kind, "--fail-on", kind);
            JsonNode j = Json.MAPPER.readTree(Files.readString(dir.resolve("f-" + kind + "/m.json")));
            boolean present = false;
            for (JsonNode a : j.get("alerts")) {
                present |= a.get("kind").asText().equals(kind);
            }
            if (present) {
                raised.add(kind);
            }
            assertEquals(present ? 1 : 0, r.code(), kind + ": " + r.err());
        }
        assertTrue(raised.contains("accuracy") && raised.contains("unfamiliar"), raised.toString());
        CliRun bad = monitor("f-bad", "--fail-on", "accuracy,ece");
        assertEquals(1, bad.code());
        assertEquals(List.of("calibkit: error: --fail-on takes alert kinds accuracy, unfamiliar, class_mix, but got 'ece'"),
                bad.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
        assertFalse(Files.exists(dir.resolve("f-bad")));
    }

    /**
     * An audit with an out-of-distribution probe stores the OOD score of highest mean AUROC
     * (recounted here from the audit's own JSON: calibrated AUROC per score, averaged over its
     * out-of-distribution probes) as the monitor's unfamiliarity score, and the monitor uses it.
     */
    @Test
    void theAuditsBestOodScoreSetsTheUnfamiliarThreshold() throws IOException {
        Random rnd = new Random(15);
        int[] ignored = new int[400];
        PredictionFiles.writeNpy(dir.resolve("ood.npy"), rows(rnd, 400, 0.0, ignored, 0), 400, K);
        CliRun a = CliRun.command("audit", "--predictions", dir.resolve("log.npy").toString(), "--labels",
                dir.resolve("log-labels.npy").toString(), "--val-predictions", dir.resolve("ref.npy").toString(),
                "--val-labels", dir.resolve("ref-labels.npy").toString(), "--probe-predictions",
                "ood=" + dir.resolve("ood.npy"), "--resamples", "20", "--out", dir.resolve("oa/a.html").toString(),
                "--json", dir.resolve("oa/a.json").toString());
        assertEquals(0, a.code(), a.err());
        JsonNode j = Json.MAPPER.readTree(Files.readString(dir.resolve("oa/a.json")));
        String best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (String score : List.of("msp", "max_logit", "energy", "entropy")) {
            double sum = 0;
            int n = 0;
            for (JsonNode p : j.get("probes")) {
                // the built-in probes need a model and are skipped here (no AUROC); ours ran
                if (p.get("kind").asText().equals("out_of_distribution") && p.path("auroc").isObject()) {
                    JsonNode au = p.path("calibrated").path("auroc").isObject() ? p.path("calibrated").path("auroc")
                            : p.path("auroc");
                    sum += au.get(score).asDouble();
                    n++;
                }
            }
            assertEquals(1, n, "the one probe that ran is out of distribution");
            if (sum / n > bestMean) {
                best = score;
                bestMean = sum / n;
            }
        }
        assertEquals(best, j.at("/monitor_reference/unfamiliar_score").asText());
        CliRun m = CliRun.command("monitor", "--reference", dir.resolve("oa/a.json").toString(), "--predictions",
                dir.resolve("log.npy").toString(), "--window", "250", "--out", dir.resolve("om/m.html").toString(),
                "--json", dir.resolve("om/m.json").toString());
        assertEquals(0, m.code(), m.err());
        JsonNode mj = Json.MAPPER.readTree(Files.readString(dir.resolve("om/m.json")));
        assertEquals(best, mj.at("/reference/unfamiliar_score").asText());
        assertEquals(j.at("/monitor_reference/unfamiliar_below").asDouble(), mj.at("/reference/unfamiliar_below").asDouble(),
                0.0);
    }
}
