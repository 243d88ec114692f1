package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.json.AuditJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/** {@code calibkit calibrate} writes a bundle with a stored map that audit and predict use; {@code calibkit predict} on every input kind. */
class CalibratePredictCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path calibrated;
    static ImageSet test;
    static ImageSet validation;

    @BeforeAll
    static void trainAndCalibrate() {
        ImageSet train = DataCatalog.load("mnist", "train", null).limit(2000);
        test = DataCatalog.load("mnist", "test", null).limit(8);
        validation = DataCatalog.load("mnist", "validation", null).limit(1000);
        model = dir.resolve("lr.ckb");
        try (ModelBundle b = new LogisticTrainer(1, 1, 0.05, 2).train(train, null, s -> { })) {
            b.save(model);
        }
        calibrated = dir.resolve("lr-cal.ckb");
        CliRun r = run("calibrate", "--model", model.toString(), "--data", "mnist", "--limit", "1000", "--out",
                calibrated.toString());
        assertEquals(0, r.code(), r.err());
    }


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void calibrateStoresTheMapFittedOnValidationAndPrintsItsStatistics() {
        try (ModelBundle raw = ModelBundle.load(model); ModelBundle cal = ModelBundle.load(calibrated)) {
            TemperatureMap t = assertInstanceOf(TemperatureMap.class, cal.calibration().orElseThrow());
            Logits z = raw.logits(validation);
            int[] y = validation.labels();
            // the stored T minimises the validation NLL: 1% either way is worse
            double at = CalibrationMetrics.nll(z.divide(t.temperature()), y);
            assertTrue(at < CalibrationMetrics.nll(z.divide(t.temperature() * 1.01), y));
            assertTrue(at < CalibrationMetrics.nll(z.divide(t.temperature() / 1.01), y));
            assertEquals(raw.classNames(), cal.classNames());
            assertTrue(raw.calibration().isEmpty());
        }
        CliRun again = run("calibrate", "--model", calibrated.toString(), "--data", "mnist", "--limit", "500", "--method",
                "vector", "--out", dir.resolve("lr-vec.ckb").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("calibration: "), again.out());
        assertTrue(again.out().contains("validation: NLL "), again.out());
        assertTrue(again.out().contains("replaced the stored calibration temperature"), again.out());
        assertTrue(again.out().strip().endsWith("wrote " + dir.resolve("lr-vec.ckb")), again.out());
    }

    @Test
    void calibrateBadInputIsOneLineAndWritesNothing() {
        Path out = dir.resolve("never.ckb");
        CliRun m = run("calibrate", "--model", model.toString(), "--data", "mnist", "--method", "tempreature", "--out", out.toString());
        assertEquals(1, m.code());
        assertTrue(m.err().startsWith("calibkit: error: --method must be one of"), m.err());
        CliRun missing = run("calibrate", "--model", dir.resolve("nope.ckb").toString(), "--data", "mnist", "--out", out.toString());
        assertEquals(1, missing.code());
        assertEquals("calibkit: error: model bundle " + dir.resolve("nope.ckb") + " does not exist", missing.err().strip());
        assertEquals(2, run("calibrate", "--model", model.toString(), "--out", out.toString()).code());
        assertFalse(Files.exists(out));
    }

    @Test
    void aLaterAuditUsesTheStoredMapByDefaultAndRefitsWhenAsked() throws IOException {
        double stored;
        try (ModelBundle cal = ModelBundle.load(calibrated)) {
            stored = ((TemperatureMap) cal.calibration().orElseThrow()).temperature();
        }
        String[] common = {"--data", "mnist", "--limit", "300", "--probes", "blank-black", "--probe-size", "20", "--resamples", "20"};
        Path json = dir.resolve("a/stored.json");
        CliRun r = run(concat(new String[] {"audit", "--model", calibrated.toString(), "--out", dir.resolve("a/s.html").toString(),
                "--json", json.toString()}, common));
        assertEquals(0, r.code(), r.err());
        JsonNode j = AuditJson.read(json);
        assertEquals("stored", j.at("/settings/calibration").asText());
        assertEquals(stored, j.at("/test/temperature").asDouble(), 1e-12);
        assertTrue(j.at("/test/calibration").asText().endsWith("(stored)"), j.at("/test").toString());
        assertTrue(j.at("/model/details/stored calibration").asText().startsWith("temperature"), j.at("/model").toString());
        assertTrue(j.at("/test/uncalibrated/nll").isNumber() && j.at("/test/calibrated/nll").isNumber(), "raw and stored");
        assertTrue(r.err().contains("applying the stored calibration"), r.err());

        Path refit = dir.resolve("a/refit.json");
        r = run(concat(new String[] {"audit", "--model", calibrated.toString(), "--calibration", "temperature",
                "--out", dir.resolve("a/r.html").toString(), "--json", refit.toString()}, common));
        assertEquals(0, r.code(), r.err());
        assertEquals("temperature", AuditJson.read(refit).at("/settings/calibration").asText());

        r = run(concat(new String[] {"audit", "--model", model.toString(), "--calibration", "stored",
                "--out", dir.resolve("a/x.html").toString()}, common));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has no stored calibration"), r.err());
        assertFalse(Files.exists(dir.resolve("a/x.html")));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------- predict

    private static Path png(int i) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = test.image(i);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, Math.round(px[y * 28 + x]));
            }
        }
        Path f = dir.resolve("digit" + i + ".png");
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    /** A .npy of the first n test images: uint8 (n, 28, 28), or float32 divided by {@code divide}. */
    private static Path npy(String name, int n, boolean uint8, double divide) throws IOException {
        String descr = uint8 ? "|u1" : "<f4";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + n + ", 28, 28), }";
        int pad = 16 - (10 + header.length() + 1) % 16;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + n * 784 * (uint8 ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            for (float v : test.image(i)) {
                if (uint8) {
                    b.put((byte) Math.round(v));
                } else {
                    b.putFloat((float) (v / divide));
                }
            }
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static Path idx(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.putInt(0x803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n; i++) {
            for (float v : test.image(i)) {
                b.put((byte) Math.round(v));
            }
        }
        Path f = dir.resolve("five-idx3-ubyte");
        Files.write(f, b.array());
        return f;
    }

    private static JsonNode json(CliRun r) throws IOException {
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void pngIdxAndNpyGiveTheBundlesOwnProbabilities() throws IOException {
        Probabilities expected;
        try (ModelBundle b = ModelBundle.load(model)) {
            expected = b.probabilities(test);
        }
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--json"));
        for (int i = 0; i < 3; i++) {
            args.add(png(i).toString());
        }
        args.add(idx(5).toString());
        args.add(npy("batch.npy", 8, true, 1).toString());
        JsonNode j = json(run(args.toArray(new String[0])));
        assertFalse(j.path("calibrated").asBoolean());
        assertEquals("softmax", j.path("probabilities").asText());
        JsonNode rows = j.path("predictions");
        assertEquals(3 + 5 + 8, rows.size());
        int[] image = new int[16];
        for (int i = 0; i < 16; i++) {
            image[i] = i < 3 ? i : i < 8 ? i - 3 : i - 8;
        }
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                double p = row.path("probabilities").get(c).asDouble();
                assertEquals(expected.get(image[r], c), p, 1e-12, "row " + r + " class " + c);
                sum += p;
            }
            assertEquals(1, sum, 1e-9);
            assertEquals(expected.argmax()[image[r]], row.path("predicted_index").asInt());
        }
        assertEquals(dir.resolve("digit0.png").toString(), rows.get(0).path("input").asText());
        assertEquals(dir.resolve("batch.npy") + "[7]", rows.get(15).path("input").asText());

        CliRun table = run("predict", "--model", model.toString(), png(0).toString());
        assertEquals(0, table.code(), table.err());
        List<String> lines = table.out().lines().toList();
        assertEquals(3, lines.size(), table.out());
        assertTrue(lines.get(0).startsWith("# model lr.ckb (logistic), softmax probabilities, uncalibrated"), lines.get(0));
        assertTrue(lines.get(1).matches("input\\s+predicted\\s+confidence(\\s+\\d){10}"), lines.get(1));
    }

    @Test
    void aStoredMapCalibratesAndRawDoesNot() throws IOException {
        double t;
        Logits z;
        try (ModelBundle b = ModelBundle.load(calibrated)) {
            t = ((TemperatureMap) b.calibration().orElseThrow()).temperature();
            z = b.logits(test);
        }
        Path batch = npy("cal.npy", 8, true, 1);
        JsonNode cal = json(run("predict", "--model", calibrated.toString(), "--json", batch.toString()));
        assertTrue(cal.path("calibrated").asBoolean());
        assertTrue(cal.path("calibration").asText().startsWith("temperature"), cal.toString());
        Probabilities scaled = z.divide(t).softmax();
        Probabilities own = z.softmax();
        JsonNode raw = json(run("predict", "--model", calibrated.toString(), "--json", "--raw", batch.toString()));
        assertFalse(raw.path("calibrated").asBoolean());
        for (int i = 0; i < 8; i++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(scaled.get(i, c), cal.at("/predictions/" + i + "/probabilities/" + c).asDouble(), 1e-12);
                assertEquals(own.get(i, c), raw.at("/predictions/" + i + "/probabilities/" + c).asDouble(), 1e-12);
            }
        }
    }

    @Test
    void imagesOnAnotherScaleAreRefusedWithTheNumbersUnlessForced() throws IOException {
        Path unit = npy("unit.npy", 4, false, 255);
        CliRun r = run("predict", "--model", model.toString(), unit.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("calibkit: error: "), r.err());
        assertTrue(r.err().contains("refusing to predict") && r.err().matches("(?s).*max[ =]+1(\\.0+)?\\b.*"), r.err());
        CliRun forced = run("predict", "--model", model.toString(), "--force-range", unit.toString());
        assertEquals(0, forced.code(), forced.err());
        assertEquals(2 + 4, forced.out().lines().count());
    }

    @Test
    void anOnnxModelWithItsDocumentedPreprocessingGivesPyTorchsSoftmax() throws IOException {
        Path onnx = dir.resolve("torch.onnx");
        Path logits = dir.resolve("torch_logits.npy");
        try (InputStream in = getClass().getResourceAsStream("/org/calibkit/core/sources/pytorch_mnist_cnn.onnx")) {
            Files.copy(in, onnx);
        }
        try (InputStream in = getClass().getResourceAsStream("/org/calibkit/core/sources/pytorch_mnist_cnn_test_logits.npy")) {
            Files.copy(in, logits);
        }
        Probabilities torch = PredictionFiles.readLogits(logits).softmax(); // PyTorch's own logits of the first 500 test images
        JsonNode j = json(run("predict", "--model", onnx.toString(), "--scale", "1/255", "--mean", "0.1307", "--std", "0.3081",
                "--json", npy("onnx.npy", 8, true, 1).toString(), png(3).toString()));
        assertEquals("onnx", j.path("model_kind").asText());
        assertEquals(9, j.path("predictions").size());
        for (int r = 0; r < 9; r++) {
            int i = r < 8 ? r : 3;
            for (int c = 0; c < 10; c++) {
                assertEquals(torch.get(i, c), j.at("/predictions/" + r + "/probabilities/" + c).asDouble(), 1e-5);
            }
        }
        CliRun bad = run("predict", "--model", model.toString(), "--scale", "1/255", png(0).toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("carries its own preprocessing"), bad.err());
        CliRun missing = run("predict", "--model", model.toString(), dir.resolve("none.png").toString());
        assertEquals(1, missing.code());
        assertEquals("calibkit: error: input " + dir.resolve("none.png") + " does not exist", missing.err().strip());
    }
}
