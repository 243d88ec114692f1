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
}
