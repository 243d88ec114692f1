package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import org.calibkit.core.data.Checksums;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same two audits (a tiny model on seeded synthetic image folders, and seeded prediction
 * files) run through {@code calibkit audit}, compared with golden files: the HTML report, its
 * JSON twin and the printed summary. The golden files were written by the code as it was before
 * the restructuring of issue 13 (run with {@code -Dcalibkit.golden.update=DIR} to write them into
 * DIR), so this test proves a refactoring changes nothing a user sees. What legitimately differs
 * between runs is normalised away first: timings, dates, version strings, temporary paths and the
 * hash of the in-test trained bundle (a zip with timestamps).
 */
class GoldenAuditTest {
    private static final String GOLDEN = "/org/calibkit/cli/golden/";
    private static final int CLASSES = 3;

    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void writeDataAndTrainModel() throws IOException {
        data = dir.resolve("bars");
        Random rnd = new Random(13);
        writeSplit(data.resolve("train"), 300, rnd);
        writeSplit(data.resolve("validation"), 150, rnd);
        writeSplit(data.resolve("test"), 150, rnd);
        model = BarImages.trainBundle(dir, data);
    }

    /**
     * {@link BarImages}, one image in eight has its bar at a random other class's rows (label noise, so
     * the model is neither perfect nor trivially calibrated).
     */
    private static void writeSplit(Path split, int n, Random rnd) throws IOException {
        for (int c = 0; c < CLASSES; c++) {
            Files.createDirectories(split.resolve("c" + c));
        }
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            int bar = rnd.nextInt(8) == 0 ? rnd.nextInt(CLASSES) : label;
            BarImages.write(split.resolve("c" + label).resolve(String.format(Locale.ROOT, "%04d.png", i)), bar, rnd);
        }
    }

    @Test
    void aModelAuditWritesWhatItWroteBeforeTheRestructuring() throws IOException {
        Path out = dir.resolve("model-out");
        CliRun r = CliRun.command("audit", "--model", model.toString(), "--data", data.toString(),
                "--probes", "blank-black,noise-uniform,unscaled,rotated-30,inverted", "--probe-size", "40",
                "--resamples", "20", "--seed", "5", "--out", out.resolve("report.html").toString(),
                "--json", out.resolve("report.json").toString());
        assertEquals(0, r.code(), r.err());
        compare("model", out, r.out());
    }

    /**
     * The same model audit with {@code --sweeps rotation,translation}: the shift section is added
     * (13 rotation and 15 translation points, one verdict per family) and nothing else changes.
     */
    @Test
    void sweepsAddTheShiftSectionAndChangeNothingElse() throws IOException {
        Path plain = dir.resolve("sweeps-plain");
        Path swept = dir.resolve("sweeps-on");
        for (Path out : List.of(plain, swept)) {
            List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--data", data.toString(),
                    "--probes", "blank-black,rotated-30", "--probe-size", "40", "--resamples", "20", "--seed", "5",
                    "--out", out.resolve("report.html").toString(), "--json", out.resolve("report.json").toString()));
            if (out == swept) {
                args.addAll(List.of("--sweeps", "rotation,translation"));
            }
            CliRun r = CliRun.command("audit", args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
        }
        com.fasterxml.jackson.databind.JsonNode a = org.calibkit.report.render.Json.MAPPER.readTree(
                Files.readString(plain.resolve("report.json")));
        com.fasterxml.jackson.databind.JsonNode b = org.calibkit.report.render.Json.MAPPER.readTree(
                Files.readString(swept.resolve("report.json")));
        for (String section : List.of("/test", "/probes", "/statistics", "/settings")) {
            assertEquals(a.at(section), b.at(section), section);
        }
        assertEquals(28, b.at("/shift/points").size());
        assertEquals(40, b.at("/shift/points/0/n").asInt()); // the first --probe-size test images
        List<String> checks = new ArrayList<>();
        b.get("verdicts").forEach(v -> checks.add(v.get("check").asText()));
        org.junit.jupiter.api.Assertions.assertTrue(checks.containsAll(List.of("shift.rotation.ece",
                "shift.translation.ece", "shift.estimates")), checks.toString());
        org.junit.jupiter.api.Assertions.assertFalse(a.has("shift"));
    }

    @Test
    void anUnknownSweepIsOneErrorLine() {
        CliRun r = CliRun.command("audit", "--model", model.toString(), "--data", data.toString(), "--sweeps", "rotation,spin",
                "--out", dir.resolve("never/report.html").toString());
        assertEquals(1, r.code());
        assertEquals(List.of("calibkit: error: --sweeps: unknown sweep 'spin'; known: rotation, translation, mnist-c, "
                + "cifar-c, or one corruption such as mnist-c/shot_noise"), r.err().lines().toList());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void aPredictionsAuditWritesWhatItWroteBeforeTheRestructuring() throws IOException {
        Path in = dir.resolve("predictions");
        Files.createDirectories(in);
        Random rnd = new Random(29);
        writeLogits(in, "test", 200, 1.0, rnd);
        writeLogits(in, "val", 150, 1.0, rnd);
        writeLogits(in, "shifted", 80, 0.4, rnd);
        // an out-of-distribution probe: no labels, logits of a model that is still rather sure
        List<String> ood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ood.add(row(new double[] {3 * rnd.nextGaussian(), 3 * rnd.nextGaussian(), 3 * rnd.nextGaussian(), rnd.nextGaussian()}));
        }
        Files.write(in.resolve("ood.csv"), ood);
        Path out = dir.resolve("predictions-out");
        CliRun r = CliRun.command("audit", "--predictions", in.resolve("test.csv").toString(),
                "--labels", in.resolve("test-labels.csv").toString(),
                "--val-predictions", in.resolve("val.csv").toString(), "--val-labels", in.resolve("val-labels.csv").toString(),
                "--probe-predictions", "shifted=" + in.resolve("shifted.csv"),
                "--probe-labels", "shifted=" + in.resolve("shifted-labels.csv"),
                "--probe-predictions", "ood=" + in.resolve("ood.csv"),
                "--class-names", "w,x,y,z", "--output-kind", "logits", "--data", "seeded",
                "--resamples", "20", "--seed", "5", "--out", out.resolve("report.html").toString(),
                "--json", out.resolve("report.json").toString());
        assertEquals(0, r.code(), r.err());
        compare("predictions", out, r.out());
    }

    /**
     * Logits of a 4-class model that is overconfident: the true class gets a boost of
     * {@code signal} x 2.5 plus noise, everything is scaled by 2.5.
     */
    private static void writeLogits(Path in, String name, int n, double signal, Random rnd) throws IOException {
        List<String> logits = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(4);
            double[] z = new double[4];
            for (int k = 0; k < 4; k++) {
                z[k] = 2.5 * (rnd.nextGaussian() + (k == y ? 2.5 * signal : 0));
            }
            logits.add(row(z));
            labels.add(Integer.toString(y));
        }
        Files.write(in.resolve(name + ".csv"), logits);
        Files.write(in.resolve(name + "-labels.csv"), labels);
    }

    private static String row(double[] z) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < z.length; k++) {
            s.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", z[k]));
        }
        return s.toString();
    }

    private static void compare(String name, Path out, String stdout) throws IOException {
        String html = normalise(Files.readString(out.resolve("report.html")));
        String json = normalise(Files.readString(out.resolve("report.json")));
        String text = normalise(stdout);
        String update = System.getProperty("calibkit.golden.update");
        if (update != null) {
            Path d = Path.of(update);
            Files.createDirectories(d);
            Files.writeString(d.resolve(name + ".html"), html);
            Files.writeString(d.resolve(name + ".json"), json);
            Files.writeString(d.resolve(name + ".txt"), text);
        }
        // the golden files are normalised once more: the step names of the timings are timings too
        assertEquals(withoutTimingSteps(golden(name + ".json")), withoutTimingSteps(json), name + ".json");
        assertEquals(withoutTimingSteps(golden(name + ".txt")), withoutTimingSteps(text), name + ".txt");
        assertEquals(withoutTimingSteps(golden(name + ".html")), withoutTimingSteps(html), name + ".html");
    }

    /**
     * The timings block without its step names: which steps are timed separately (inference of the
     * validation split and the probes became steps of their own when the model run was split from
     * the audit) is no part of the result.
     */
    private static String withoutTimingSteps(String t) {
        t = Pattern.compile("\"timings\" : \\{[^}]*}").matcher(t).replaceAll("\"timings\" : \\$TIMINGS");
        return t.replaceAll("<dt>  [a-z_]+</dt><dd>\\$SECONDS</dd>\n", "");
    }

    private static String golden(String file) {
        try (InputStream in = GoldenAuditTest.class.getResourceAsStream(GOLDEN + file)) {
            if (in == null) {
                throw new AssertionError("no golden file " + GOLDEN + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces what differs between two runs of the same audit (and nothing else). */
    static String normalise(String s) throws IOException {
        String t = s.replace(dir.toAbsolutePath().toString(), "$TMP").replace(dir.toString(), "$TMP");
        // the trained bundle is a zip with timestamps and its training times: its hash changes per run
        t = t.replace(Checksums.sha256(model), "$BUNDLE_SHA256");
        t = t.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:[\\d.]+Z", "\\$DATE");
        // the run id is random per run (the same in the HTML and the JSON: AuditRunIdTest)
        t = t.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "\\$RUN_ID");
        // versions: JSON and HTML
        t = t.replaceAll("(\"(?:calibkit|java)_version\" : )\"[^\"]*\"", "$1\"\\$VERSION\"");
        t = t.replaceAll("(<dt>(?:calibkit|Java)</dt><dd>)[^<]*(</dd>)", "$1\\$VERSION$2");
        // timings: the run's (JSON numbers, HTML "0.65 s") and the training's (bundle details)
        t = t.replaceAll("(\"seconds\" : )[0-9.E-]+", "$1\\$SECONDS");
        Matcher timings = Pattern.compile("\"timings\" : \\{[^}]*}").matcher(t);
        t = timings.replaceAll(m -> Matcher.quoteReplacement(m.group().replaceAll(" : [0-9.E-]+", " : \\$SECONDS")));
        t = t.replaceAll("(<dt>(?:Wall time|  [a-z_]+)</dt><dd>)[0-9.]+ s(</dd>)", "$1\\$SECONDS$2");
        t = t.replaceAll("((?:\"|<dt>)(?:seconds per epoch|train cpu seconds|train seconds)(?:\" : \"|</dt><dd>))[0-9.]+",
                "$1\\$SECONDS");
        return t;
    }
}
