package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.report.json.AuditJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * {@code calibkit audit} on models calibkit did not train and on prediction files, with gates.
 *
 * <p>The model: the PyTorch CNN of core's {@code PyTorchOnnxTest} ({@code pytorch_mnist_cnn.onnx},
 * made by {@code examples/python/train_export_mnist.py}), audited with only the preprocessing its
 * author documents. The reference, {@code pytorch_mnist_cnn_first500_reference.json}, was computed
 * by {@code examples/python/check_onnx_audit.py --first 500 --write-reference}: the ONNX graph run in
 * numpy (float64) from the file's own weights, accuracy and NLL with scikit-learn, Brier, ECE and MCE
 * (15 equal-width bins) with numpy, temperature with scipy's bounded scalar minimiser on the first
 * 500 validation images (the last 5,000 training images). PyTorch's own logits of the first 500
 * test images ({@code pytorch_mnist_cnn_test_logits.npy}) are the prediction files.
 */
class AuditSourcesCommandTest {
    @TempDir
    static Path dir;
    static Path onnx;
    static Path torchLogits;
    static Path labels;
    static JsonNode reference;

    @BeforeAll
    static void files() throws IOException {
        DataFixtures.realMnistCache();
        onnx = copy("/org/calibkit/core/sources/pytorch_mnist_cnn.onnx", "model.onnx");
        torchLogits = copy("/org/calibkit/core/sources/pytorch_mnist_cnn_test_logits.npy", "test_logits.npy");
        ImageSet test = DataCatalog.load("mnist", "test", null).limit(500);
        labels = dir.resolve("test_labels.npy");
        PredictionFiles.writeNpy(labels, test.labels());
        try (InputStream in = AuditSourcesCommandTest.class.getResourceAsStream("pytorch_mnist_cnn_first500_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    private static Path copy(String resource, String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = AuditSourcesCommandTest.class.getResourceAsStream(resource)) {
            Files.copy(in, p);
        }
        return p;
    }


    static CliRun run(String... args) {
        return CliRun.command("audit", args);
    }

    private static String[] predictions(Path html, String... more) {
        List<String> a = new ArrayList<>(List.of("--predictions", torchLogits.toString(), "--labels", labels.toString(),
                "--resamples", "20", "--out", html.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    /** The lines of stderr that are not progress lines. */
    private static List<String> errors(CliRun r) {
        return r.err().lines().filter(l -> l.startsWith("calibkit:")).toList();
    }

    @Test
    void anOnnxModelFromPyTorchAgreesWithPython() {
        Path html = dir.resolve("onnx/r.html");
        Path json = dir.resolve("onnx/r.json");
        CliRun r = run("--model", onnx.toString(), "--data", "mnist", "--scale", "1/255", "--mean", "0.1307", "--std", "0.3081",
                "--limit", "500", "--probes", "blank-black,unscaled", "--probe-size", "50", "--resamples", "20",
                "--out", html.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = AuditJson.read(json);
        assertEquals("onnx", j.at("/model/kind").asText());
        assertEquals("logits", j.at("/model/output_kind").asText());
        assertTrue(j.at("/model/details/input").asText().contains("[-1, 1, 28, 28], layout nchw"), j.at("/model").toString());
        assertEquals(500, j.at("/test/n").asInt());
        assertEquals(500, j.at("/data/validation_count").asInt());
        for (String side : List.of("uncalibrated", "calibrated")) {
            assertEquals(reference.at("/" + side + "/accuracy").asDouble(), j.at("/test/" + side + "/accuracy").asDouble(), 0);
            for (String m : List.of("nll", "brier")) {
                assertEquals(reference.at("/" + side + "/" + m).asDouble(), j.at("/test/" + side + "/" + m).asDouble(), 1e-5, side + " " + m);
            }
            assertEquals(reference.at("/" + side + "/ece").asDouble(), j.at("/test/" + side + "/ece").asDouble(), 1e-4, side + " ece");
            assertEquals(reference.at("/" + side + "/mce").asDouble(), j.at("/test/" + side + "/mce").asDouble(), 1e-3, side + " mce");
        }
        assertEquals(reference.at("/temperature").asDouble(), j.at("/test/temperature").asDouble(), 1e-3);
        // the unscaled probe knows the model's scale (1/255) from --scale: it multiplies the pixels by 255
        JsonNode unscaled = j.at("/probes/1");
        assertEquals("unscaled", unscaled.path("name").asText());
        assertTrue(unscaled.path("skip_reason").isNull(), unscaled.toString());
        assertTrue(unscaled.path("description").asText().contains("it sees 0..255 where it was trained on 0..1"),
                unscaled.toString());
    }

    @Test
    void predictionFilesAreAuditedWithoutAModel() throws IOException {
        // a noise probe's outputs (small logits) and a labelled probe: 100 test rows again
        Random rnd = new Random(3);
        double[] noise = new double[200 * 10];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rnd.nextGaussian();
        }
        Path noiseFile = dir.resolve("noise_logits.npy");
        PredictionFiles.writeNpy(noiseFile, noise, 200, 10);
        Logits z = PredictionFiles.readLogits(torchLogits);
        Path shift = dir.resolve("shift_logits.npy");
        PredictionFiles.writeNpy(shift, Arrays.copyOf(z.raw(), 100 * 10), 100, 10);
        Path shiftLabels = dir.resolve("shift_labels.npy");
        PredictionFiles.writeNpy(shiftLabels, Arrays.copyOf(PredictionFiles.readLabels(labels), 100));
        Path html = dir.resolve("pred/r.html");
        Path json = dir.resolve("pred/r.json");
        CliRun r = run(predictions(html, "--json", json.toString(), "--probes", "blank-black,unscaled", "--data", "mnist",
                "--probe-predictions", "my-noise=" + noiseFile, "--probe-predictions", "again=" + shift,
                "--probe-labels", "again=" + shiftLabels));
        assertEquals(0, r.code(), r.err());
        JsonNode j = AuditJson.read(json);
        assertEquals("predictions", j.at("/model/kind").asText());
        assertEquals("logits", j.at("/model/output_kind").asText());
        // PyTorch's own logits of the same 500 images give Python's uncalibrated metrics
        for (String m : List.of("nll", "brier")) {
            assertEquals(reference.at("/uncalibrated/" + m).asDouble(), j.at("/test/uncalibrated/" + m).asDouble(), 1e-5, m);
        }
        assertEquals(reference.at("/uncalibrated/ece").asDouble(), j.at("/test/uncalibrated/ece").asDouble(), 1e-4);
        assertTrue(j.at("/test/calibrated").isNull(), "no validation predictions: nothing calibrated");
        assertTrue(j.path("input_range").isNull());
        JsonNode probes = j.path("probes");
        assertEquals(4, probes.size());
        for (int i = 0; i < 2; i++) {
            assertTrue(probes.get(i).path("skip_reason").asText().startsWith("needs the model"), probes.get(i).toString());
        }
        assertEquals("my-noise", probes.get(2).path("name").asText());
        assertEquals("out_of_distribution", probes.get(2).path("kind").asText());
        assertEquals(200, probes.get(2).path("count").asInt());
        assertTrue(probes.get(2).at("/auroc/energy").isNumber());
        assertEquals("shift", probes.get(3).path("kind").asText());
        assertTrue(probes.get(3).path("labelled").asBoolean());
        assertTrue(probes.get(3).path("accuracy").isNumber());
    }

    @Test
    void predictionFilesWithAValidationSplitAreCalibrated() throws IOException {
        Logits z = PredictionFiles.readLogits(torchLogits);
        int[] y = PredictionFiles.readLabels(labels);
        Path vz = dir.resolve("val_logits.npy");
        Path vy = dir.resolve("val_labels.npy");
        PredictionFiles.writeNpy(vz, Arrays.copyOfRange(z.raw(), 2500, 5000), 250, 10);
        PredictionFiles.writeNpy(vy, Arrays.copyOfRange(y, 250, 500));
        Path json = dir.resolve("val/r.json");
        CliRun r = run(predictions(dir.resolve("val/r.html"), "--json", json.toString(), "--probes", "blank-black",
                "--val-predictions", vz.toString(), "--val-labels", vy.toString(), "--calibration", "temperature"));
        assertEquals(0, r.code(), r.err());
        JsonNode j = AuditJson.read(json);
        assertEquals(250, j.at("/data/validation_count").asInt());
        assertTrue(j.at("/test/temperature").isNumber());
        assertTrue(j.at("/test/calibrated/ece").isNumber());
    }

    @Test
    void gatesGiveTheDocumentedExitCodes() {
        Path html = dir.resolve("gates/r.html");
        CliRun hold = run(predictions(html, "--probes", "blank-black", "--fail-on", "ece>0.5,accuracy<0.9"));
        assertEquals(0, hold.code(), hold.err());
        assertTrue(hold.err().contains("calibkit: all 2 gates hold"), hold.err());

        CliRun fail = run(predictions(html, "--probes", "blank-black", "--fail-on", "ece>0.01, nll > 10,accuracy<0.98"));
        assertEquals(1, fail.code(), fail.err());
        List<String> e = errors(fail);
        assertEquals(3, e.size(), fail.err());
        assertTrue(e.get(0).startsWith("calibkit: gate failed: ece = 0.03679"), e.get(0));
        assertTrue(e.get(0).endsWith("fails > 0.01 (test.uncalibrated.ece)"), e.get(0));
        assertTrue(e.get(1).startsWith("calibkit: gate failed: accuracy = 0.97 fails < 0.98"), e.get(1));
        assertEquals("calibkit: 2 of 3 gates failed", e.get(2));
        assertTrue(Files.isRegularFile(html), "a failing gate still writes the report CI will keep");

        CliRun skippedProbe = run(predictions(html, "--probes", "blank-black", "--fail-on", "probe.blank-black.overconfident_share>0.5"));
        assertEquals(1, skippedProbe.code(), "a gate on a value that was not computed fails");
        assertTrue(skippedProbe.err().contains("has no value"), skippedProbe.err());
    }

    @Test
    void aGateThatDoesNotParseOrNamesAnUnknownKeyIsAUsageError() throws IOException {
        Path html = dir.resolve("usage/r.html");
        CliRun syntax = run(predictions(html, "--fail-on", "ece>>0.1"));
        assertEquals(2, syntax.code());
        assertTrue(syntax.err().startsWith("calibkit: error: --fail-on: gate 'ece>>0.1' does not parse"), syntax.err());
        CliRun unknown = run(predictions(html, "--probes", "blank-black", "--fail-on", "probe.noise-uniform.auroc.energy<0.9"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("calibkit: error: --fail-on: gate key 'probe.noise-uniform.auroc.energy' is not "
                + "in the audit: probes has no 'noise-uniform' (its entries: blank-black"), unknown.err());
        assertFalse(Files.exists(html), "no report when a gate names an unknown key");
    }

    @Test
    void badInputIsOneLineExitOneAndNoFile() throws IOException {
        Path html = dir.resolve("bad/r.html");
        Path nan = dir.resolve("nan.npy");
        double[] v = PredictionFiles.readLogits(torchLogits).raw();
        v[7 * 10 + 3] = Double.NaN;
        PredictionFiles.writeNpy(nan, v, 500, 10);
        CliRun r = run("--predictions", nan.toString(), "--labels", labels.toString(), "--out", html.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(r.err().strip()), r.err().strip().lines().toList(), "one line");
        assertTrue(r.err().contains("NaN at row 7, class 3"), r.err());

        Path wrongCount = dir.resolve("labels9.npy");
        PredictionFiles.writeNpy(wrongCount, new int[] {1, 2, 3});
        r = run("--predictions", torchLogits.toString(), "--labels", wrongCount.toString(), "--out", html.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().startsWith("calibkit: error: labels file " + wrongCount + " has 3 labels"), r.err());

        Path outOfRange = dir.resolve("labels_oor.npy");
        int[] y = PredictionFiles.readLabels(labels);
        y[42] = 10;
        PredictionFiles.writeNpy(outOfRange, y);
        r = run("--predictions", torchLogits.toString(), "--labels", outOfRange.toString(), "--out", html.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("label 10 at index 42 is outside [0, 10)"), r.err());

        r = run(predictions(html, "--class-names", "0,1,2,3,4,5,6,7,8"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has 10 columns, but 9 class names were given"), r.err());
        r = run(predictions(html, "--class-names", "a,b,c,d,e,f,g,h,i,a"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("class name 'a' appears twice"), r.err());
        r = run(predictions(html, "--class-names", "a,b,c,d,e,f,g,h,i,line\nbreak"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("contains the control character U+000A"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = run("--model", onnx.toString(), "--data", "mnist", "--output", "probs", "--scale", "1/255", "--out", html.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().endsWith("has no output 'probs'; its outputs are [logits: float [-1, 10]]")
                || r.err().contains("has no output 'probs'"), r.err());
        assertEquals(1, errors(r).size(), r.err());
        assertFalse(Files.exists(html), "no report for bad input");
    }

    @Test
    void hostileClassNamesAreShownAsText() throws IOException {
        Path html = dir.resolve("hostile/r.html");
        CliRun r = run(predictions(html, "--probes", "blank-black", "--class-names",
                "<script>alert(1)</script>,1,2,3,4,5,6,7,8,<img src=x onerror=alert(1)>"));
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(html);
        assertFalse(page.contains("<script>alert(1)"), "escaped");
        assertFalse(page.contains("<img src=x"), "escaped");
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void optionsThatDoNotFitTheSourceAreUsageErrors() {
        Path html = dir.resolve("u/r.html");
        assertEquals(2, run("--data", "mnist", "--out", html.toString()).code());
        assertEquals(2, run(predictions(html, "--model", onnx.toString())).code());
        assertEquals(2, run(predictions(html, "--scale", "1/255")).code());
        assertEquals(2, run("--predictions", torchLogits.toString(), "--out", html.toString()).code());
        assertEquals(2, run("--model", onnx.toString(), "--out", html.toString()).code());
        assertEquals(2, run("--model", onnx.toString(), "--model-type", "pytorch", "--data", "mnist", "--out", html.toString()).code());
    }
}
