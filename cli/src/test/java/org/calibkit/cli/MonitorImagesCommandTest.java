package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * {@code calibkit monitor --model F --inputs DIR}: the monitor runs a model (a logistic bundle
 * trained here on {@link BarImages}) on a folder of
 * images in time order, by modification time or by a manifest, against a reference fitted on the
 * data set's validation split or read from an audit's JSON.
 */
class MonitorImagesCommandTest {
    private static final int CLASSES = 3;
    private static final long DAY0 = java.time.Instant.parse("2026-11-28T00:00:00Z").getEpochSecond();

    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static Path inputs;
    /** The class drawn for each input image (-1: noise without a bar), in file-name order. */
    static int[] drawn;

    private static void writeImage(Path file, int bar, Random rnd) throws IOException {
        BarImages.write(file, bar, rnd);
    }

    private static void writeSplit(Path split, int n, Random rnd) throws IOException {
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            writeImage(split.resolve("c" + label).resolve(String.format(Locale.ROOT, "%04d.png", i)), label, rnd);
        }
    }

    @BeforeAll
    static void writeDataAndTrainModel() throws IOException {
        Random rnd = new Random(21);
        data = dir.resolve("bars");
        writeSplit(data.resolve("train"), 300, rnd);
        writeSplit(data.resolve("validation"), 300, rnd);
        writeSplit(data.resolve("test"), 150, rnd);
        model = BarImages.trainBundle(dir, data);
        // five days of 120 images, one per 10 minutes; the last two days are noise without a bar.
        // The file names run against time (z0599 first), so the order must come from the times.
        inputs = dir.resolve("inputs");
        drawn = new int[600];
        for (int i = 0; i < 600; i++) {
            int day = i / 120;
            drawn[i] = day < 3 ? rnd.nextInt(CLASSES) : -1;
            Path f = inputs.resolve(String.format(Locale.ROOT, "z%04d.png", 599 - i));
            writeImage(f, drawn[i], rnd);
            Files.setLastModifiedTime(f, FileTime.from(java.time.Instant.ofEpochSecond(DAY0 + day * 86_400L + (i % 120) * 600L)));
        }
        Files.writeString(inputs.resolve("notes.txt"), "not an image: skipped and counted\n");
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(Files.readString(file));
    }

    /** The run of {@link #fromData()}, once per class. */
    private static CliRun fromDataRun;

    /**
     * {@code calibkit monitor} of the inputs by modification time with the reference fitted on the data's validation
     * split, writing {@code a/m.html} and {@code a/m.json}: run once, its output asserted by two tests.
     */
    private static CliRun fromData() {
        if (fromDataRun == null) {
            fromDataRun = CliRun.command("monitor", "--model", model.toString(), "--data", data.toString(), "--inputs",
                    inputs.toString(), "--window", "1d", "--out", dir.resolve("a/m.html").toString(), "--json",
                    dir.resolve("a/m.json").toString());
        }
        return fromDataRun;
    }

    @Test
    void imagesByModificationTimeAlertFirstOnTheFirstNoiseDay() throws IOException {
        CliRun r = fromData();
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("running the model on 300 validation images of bars"), r.err());
        assertTrue(r.err().contains("running the model on 600 images (1 other files skipped)"), r.err());
        JsonNode j = json(dir.resolve("a/m.json"));
        assertEquals(5, j.get("windows").size());
        for (int d = 0; d < 5; d++) {
            assertEquals(java.time.Instant.ofEpochSecond(DAY0 + d * 86_400L).toString(), j.at("/windows/" + d + "/name").asText());
            assertEquals(120, j.at("/windows/" + d + "/rows").asInt());
            assertEquals(0, j.at("/windows/" + d + "/labelled").asInt());
        }
        assertEquals(3, j.at("/alerts/0/window").asInt(), j.get("alerts").toString());
        assertTrue(r.out().contains("the first in window 3"), r.out());
    }

    /**
     * With a manifest (file, timestamp, label) the times and labels come from it; the realised
     * accuracy of each day is recounted here from {@code calibkit predict --json} on the same files
     * (another command, its own arg-max) against the drawn classes.
     */
    @Test
    void aManifestGivesTimesAndLabelsAndTheRealisedAccuracyIsPredictsOwn() throws IOException {
        Path m = dir.resolve("manifest-inputs");
        Files.createDirectories(m);
        List<String> lines = new ArrayList<>(List.of("file,timestamp,label"));
        List<String> predictArgs = new ArrayList<>(List.of("--model", model.toString(), "--json"));
        for (int i = 0; i < 360; i++) { // the three bar days, labels known for all but every fifth row
            String name = String.format(Locale.ROOT, "z%04d.png", 599 - i);
            Files.copy(inputs.resolve(name), m.resolve(name));
            String ts = java.time.Instant.ofEpochSecond(DAY0 + (i / 120) * 86_400L + (i % 120) * 600L).toString();
            lines.add(name + "," + ts + "," + (i % 5 == 4 ? "" : "c" + drawn[i]));
            predictArgs.add(m.resolve(name).toString());
        }
        Files.write(m.resolve("manifest.csv"), lines);
        CliRun r = CliRun.command("monitor", "--model", model.toString(), "--data", data.toString(), "--inputs",
                m.toString(), "--window", "1d", "--out", dir.resolve("b/m.html").toString(), "--json",
                dir.resolve("b/m.json").toString());
        assertEquals(0, r.code(), r.err());
        CliRun p = CliRun.command("predict", predictArgs.toArray(String[]::new));
        assertEquals(0, p.code(), p.err());
        JsonNode predictions = Json.MAPPER.readTree(p.out()).get("predictions");
        JsonNode j = json(dir.resolve("b/m.json"));
        assertEquals(3, j.get("windows").size());
        for (int d = 0; d < 3; d++) {
            int hit = 0;
            int labelled = 0;
            for (int i = d * 120; i < (d + 1) * 120; i++) {
                if (i % 5 != 4) {
                    labelled++;
                    hit += predictions.get(i).get("predicted").asText().equals("c" + drawn[i]) ? 1 : 0;
                }
            }
            assertEquals(96, labelled);
            assertEquals(labelled, j.at("/windows/" + d + "/labelled").asInt());
            assertEquals((double) hit / labelled, j.at("/windows/" + d + "/accuracy").asDouble(), 1e-12, "day " + d);
        }
    }

    /**
     * The reference fitted by the monitor on the validation split equals the one the audit of the
     * same model and data stored in its JSON (the audit runs the model through its own model run).
     */
    @Test
    void theReferenceFromTheDataIsTheAuditsStoredOne() throws IOException {
        CliRun a = CliRun.command("audit", "--model", model.toString(), "--data", data.toString(), "--probes",
                "blank-black", "--probe-size", "20", "--resamples", "20", "--out", dir.resolve("c/a.html").toString(),
                "--json", dir.resolve("c/a.json").toString());
        assertEquals(0, a.code(), a.err());
        CliRun fromAudit = CliRun.command("monitor", "--reference", dir.resolve("c/a.json").toString(), "--model",
                model.toString(), "--inputs", inputs.toString(), "--window", "1d", "--out",
                dir.resolve("c/m1.html").toString(), "--json", dir.resolve("c/m1.json").toString());
        assertEquals(0, fromAudit.code(), fromAudit.err());
        CliRun fromData = fromData();
        assertEquals(0, fromData.code(), fromData.err());
        JsonNode x = json(dir.resolve("c/m1.json"));
        JsonNode y = json(dir.resolve("a/m.json"));
        assertEquals(y.get("reference"), x.get("reference"));
        assertEquals(y.get("windows"), x.get("windows"));
        assertEquals(y.get("alerts"), x.get("alerts"));
    }

    /**
     * After sweeps, the audit's stored reference alerts on the estimator the sweeps found closest to
     * the truth (the first of shift.estimates.summaries), and the monitor names it.
     */
    @Test
    void theSweepsBestEstimatorIsThePrimary() throws IOException {
        CliRun a = CliRun.command("audit", "--model", model.toString(), "--data", data.toString(), "--probes",
                "blank-black", "--probe-size", "30", "--resamples", "20", "--sweeps", "rotation,translation", "--out",
                dir.resolve("s/a.html").toString(), "--json", dir.resolve("s/a.json").toString());
        assertEquals(0, a.code(), a.err());
        String best = json(dir.resolve("s/a.json")).at("/shift/estimates/summaries/0/estimator").asText();
        assertFalse(best.isEmpty());
        CliRun m = CliRun.command("monitor", "--reference", dir.resolve("s/a.json").toString(), "--model",
                model.toString(), "--inputs", inputs.toString(), "--window", "1d", "--out",
                dir.resolve("s/m.html").toString(), "--json", dir.resolve("s/m.json").toString());
        assertEquals(0, m.code(), m.err());
        JsonNode j = json(dir.resolve("s/m.json"));
        assertEquals(best, j.at("/reference/estimator").asText());
        assertEquals(best, j.at("/windows/0/estimates/0/estimator").asText());
        assertTrue(a.err().contains("the monitor reference estimates accuracy with " + best + ", the sweeps' best"), a.err());
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        Path escape = dir.resolve("escape");
        Files.createDirectories(escape);
        Files.write(escape.resolve("manifest.csv"), List.of("file,timestamp", "../inputs/z0000.png,0"));
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Path badTime = dir.resolve("bad-time");
        Files.createDirectories(badTime);
        Files.copy(inputs.resolve("z0000.png"), badTime.resolve("a.png"));
        Files.write(badTime.resolve("manifest.csv"), List.of("file,timestamp", "a.png,yesterday"));
        List<List<String>> cases = List.of(
                List.of("--model", model.toString(), "--data", data.toString(), "--inputs", escape.toString()),
                List.of("--model", model.toString(), "--data", data.toString(), "--inputs", empty.toString()),
                List.of("--model", model.toString(), "--data", data.toString(), "--inputs", badTime.toString()),
                List.of("--data", data.toString(), "--inputs", inputs.toString()),
                List.of("--model", model.toString(), "--inputs", inputs.toString()));
        List<String> expected = List.of(
                escape.resolve("manifest.csv") + " line 2: file '../inputs/z0000.png' is not a path inside " + escape,
                "--inputs " + empty + " holds no PNG, JPEG, GIF, BMP or TIFF images and no manifest.csv",
                badTime.resolve("manifest.csv") + " line 2: timestamp 'yesterday' is neither epoch seconds nor an ISO-8601 "
                        + "instant such as 2026-12-01T10:00:00Z",
                "--data needs --model (the monitor runs the model on those images)",
                "give the reference one way: --reference AUDIT.json, or --reference-predictions FILE with "
                        + "--reference-labels FILE, or --model FILE with --data D (its validation split)");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(cases.get(i));
            args.addAll(List.of("--out", dir.resolve("bad" + i + "/m.html").toString()));
            CliRun r = CliRun.command("monitor", args.toArray(String[]::new));
            assertEquals(1, r.code(), r.err());
            assertEquals(List.of("calibkit: error: " + expected.get(i)),
                    r.err().lines().filter(l -> l.startsWith("calibkit:")).toList());
            assertFalse(Files.exists(dir.resolve("bad" + i)));
        }
    }
}
