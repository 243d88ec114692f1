package org.calibkit.report.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.cli.CliRun;
import org.calibkit.core.open.ModelType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The doctor on models whose convention is known independently. {@code write_zoo.py} (next to
 * this test's resources) trains a softmax regression with numpy on MNIST images scaled to
 * [0, 1], and writes it as a Keras file twice: as trained, and with its weights permuted for
 * images flattened column-major. The script printed both models' MNIST test accuracy under
 * their own convention: 0.9082. The PyTorch CNN in core's test resources was trained on
 * {@code (x / 255 - 0.1307) / 0.3081} (see PyTorchOnnxTest).
 */
class DoctorTest {
    /** MNIST test accuracy of both regressions under their own convention, printed by write_zoo.py (numpy). */
    private static final double NUMPY_TEST_ACCURACY = 0.9082;
    /** The same on the first 1,000 and 300 test images (write_zoo.py prints them for both models). */
    private static final double NUMPY_FIRST_1000_ACCURACY = 0.8910;
    private static final double NUMPY_FIRST_300_ACCURACY = 0.9433;
    private static ImageSet validation;

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        DataFixtures.realMnistCache();
        validation = DataCatalog.load("mnist", "validation", null);
    }

    static Path resource(Class<?> near, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            try (InputStream in = near.getResourceAsStream(name)) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    private static ModelOptions unit() {
        return ModelOptions.defaults().withPixels(PixelTransform.unitScale());
    }

    @Test
    void findsTheTransposedConventionAndTheAuditWithItsFlagsGivesTheAuthorsAccuracy() throws IOException {
        Path m = resource(DoctorTest.class, "lr_transposed.h5");
        DoctorResult r = Doctor.run(m, null, unit(), validation, DoctorOptions.defaults());
        assertEquals("--scale 1/255 --layout flat-hwc-t", r.best().flags());
        // 300 validation images: binomial standard error ~1.7 points around the test accuracy
        assertEquals(NUMPY_TEST_ACCURACY, r.best().accuracy(), 0.06);
        assertTrue(r.given().accuracy() < 0.4, "as documented it is far off: " + r.given());
        InputCheck.Verdict v = InputCheck.check(r).orElseThrow();
        assertTrue(v.message().contains("pass --scale 1/255 --layout flat-hwc-t"), v.message());
        assertTrue(r.seconds() < 120, "a search of seconds, not minutes (loose bound; speed is for benchmarks)");

        // the flags it names, in an audit of the first 1,000 test images, reproduce numpy's accuracy exactly
        JsonNode j = auditFirst1000(dir, "t", m, "--scale", "1/255", "--layout", "flat-t");
        assertEquals(NUMPY_FIRST_1000_ACCURACY, j.path("test").path("uncalibrated").path("accuracy").asDouble(), 1e-4);
        assertFalse(j.path("verdicts").get(0).path("check").asText().equals(InputCheck.CHECK), "the fixed flags fit");
    }

    /**
     * Audits {@code model} on MNIST's first 1,000 test images with these model flags (one small
     * blank-black probe), writing {@code dir/NAME.html} and {@code dir/NAME.json}; asserts exit code 0
     * and returns the JSON.
     */
    static JsonNode auditFirst1000(Path dir, String name, Path model, String... flags) throws IOException {
        Path json = dir.resolve(name + ".json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--model", model.toString(), "--data",
                "mnist"));
        args.addAll(java.util.List.of(flags));
        args.addAll(java.util.List.of("--probes", "blank-black", "--probe-size", "50", "--limit", "1000",
                "--out", dir.resolve(name + ".html").toString(), "--json", json.toString()));
        CliRun a = CliRun.command("audit", args.toArray(String[]::new));
        assertEquals(0, a.code(), a.err());
        return new ObjectMapper().readTree(json.toFile());
    }

    /**
     * The transposed model audited as documented ({@code --scale 1/255}): the report's doctor
     * section names the flags the search found (the same as {@link #findsTheTransposedConventionAndTheAuditWithItsFlagsGivesTheAuthorsAccuracy}),
     * ranks the given flags below them, and all three renderings say so; with {@code --no-doctor}
     * there is no section at all.
     */
    @Test
    void theAuditReportCarriesTheDoctorsSectionAndNoneWithNoDoctor() throws IOException {
        Path m = resource(DoctorTest.class, "lr_transposed.h5");
        Path json = dir.resolve("sec.json");
        Path html = dir.resolve("sec.html");
        CliRun a = CliRun.command("audit", "--model", m.toString(), "--data", "mnist", "--scale", "1/255",
                "--probes", "blank-black", "--probe-size", "50", "--limit", "300", "--out", html.toString(),
                "--json", json.toString());
        assertEquals(0, a.code(), a.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(InputCheck.CHECK, j.path("verdicts").get(0).path("check").asText());
        JsonNode d = j.path("doctor");
        assertTrue(d.path("skipped").isNull(), d.toString());
        assertEquals("--scale 1/255 --layout flat-hwc-t", d.path("flags_to_pass").asText());
        assertEquals("--scale 1/255", d.path("given").path("flags").asText());
        assertTrue(d.path("given_rank").asInt() > 1, d.toString());
        assertEquals(DoctorOptions.quick().sample(), d.path("sample").asInt());
        // numpy's test accuracy under the model's own convention, within the binomial error of 200 images
        assertEquals(NUMPY_TEST_ACCURACY, d.path("best").path("accuracy").asDouble(), 0.07);
        assertTrue(d.path("given").path("accuracy").asDouble() < 0.4, d.toString());
        JsonNode first = d.path("ranking").get(0);
        assertEquals(1, first.path("rank").asInt());
        assertEquals(d.path("best"), ((com.fasterxml.jackson.databind.node.ObjectNode) first.deepCopy()).without("rank"));
        int givenRows = 0;
        for (JsonNode row : d.path("ranking")) {
            if (row.path("given").asBoolean()) {
                givenRows++;
                assertEquals(d.path("given_rank").asInt(), row.path("rank").asInt());
            }
        }
        assertEquals(1, givenRows, "the given flags' row is shown wherever it ranks: " + d.path("ranking"));
        assertEquals(j.path("verdicts").get(0).path("reason").asText(), d.path("verdict").asText());
        assertTrue(d.path("metadata").has("Keras"), d.path("metadata").toString());
        String page = Files.readString(html);
        assertTrue(page.contains("<section id=\"doctor\">") && page.contains("--scale 1/255 --layout flat-hwc-t"));
        assertTrue(a.out().lines().anyMatch(l -> l.startsWith("doctor: the given flags rank " + d.path("given_rank").asInt()
                + " of " + d.path("conventions").asInt() + " input conventions") && l.contains(
                "best: --scale 1/255 --layout flat-hwc-t")), a.out());

        Path plainJson = dir.resolve("plain.json");
        Path plainHtml = dir.resolve("plain.html");
        CliRun p = CliRun.command("audit", "--model", m.toString(), "--data", "mnist", "--scale", "1/255",
                "--probes", "blank-black", "--probe-size", "50", "--limit", "300", "--no-doctor",
                "--out", plainHtml.toString(), "--json", plainJson.toString());
        assertEquals(0, p.code(), p.err());
        assertFalse(new ObjectMapper().readTree(plainJson.toFile()).has("doctor"));
        assertFalse(Files.readString(plainHtml).contains("id=\"doctor\""));
        assertFalse(p.out().contains("doctor:"), p.out());
    }

    @Test
    void extraSingletonDimensionsAndAFixedBatchOfOneAreFedByReshaping() throws IOException {
        // the same regression behind inputs [N, 1, 784] and [1, 784, 1] (write_zoo.py): numpy's accuracy
        // on the first 300 test images, and the same NLL as the plain [N, 784] file
        JsonNode plain = audit("lr_unit.h5");
        for (String name : List.of("lr_n1x784.h5", "lr_1x784x1.h5")) {
            JsonNode j = audit(name);
            assertEquals(NUMPY_FIRST_300_ACCURACY, j.path("accuracy").asDouble(), 1e-4, name);
            assertEquals(plain.path("nll").asDouble(), j.path("nll").asDouble(), 1e-6, name);
        }
    }

    /** The uncalibrated metrics of {@code calibkit audit --scale 1/255} on the first 300 test images (a batch of 1 is slow). */
    private static JsonNode audit(String name) throws IOException {
        Path json = dir.resolve(name + ".json");
        CliRun a = CliRun.command("audit", "--model", resource(DoctorTest.class, name).toString(), "--data", "mnist",
                "--scale", "1/255", "--probes", "blank-black", "--probe-size", "50", "--limit", "300", "--no-doctor",
                "--out", dir.resolve(name + ".html").toString(),
                "--json", json.toString());
        assertEquals(0, a.code(), a.err());
        return new ObjectMapper().readTree(json.toFile()).path("test").path("uncalibrated");
    }

    @Test
    void twoScalingsThatTieOnAccuracyAreToldApartByNll() throws IOException {
        Path m = resource(DoctorTest.class, "lr_unit.h5");
        DoctorResult r = Doctor.run(m, ModelType.KERAS, null, validation, DoctorOptions.defaults());
        assertEquals("--scale 1/255", r.best().flags());
        assertFalse(r.given().given() && r.givenRank() == 1);
        assertEquals("", r.given().flags());
        assertTrue(r.given().meanConfidence() > r.best().meanConfidence());
        String tie = r.tie().orElseThrow();
        assertTrue(tie.contains("indistinguishable by accuracy") && tie.contains("NLL"), tie);
        assertTrue(InputCheck.check(r).isEmpty(), "the accuracy as given is fine; only the confidence is off");

        DoctorResult ok = Doctor.run(m, null, unit(), validation, DoctorOptions.defaults());
        assertEquals(1, ok.givenRank());
        assertTrue(ok.best().given());
    }

    @Test
    void findsTheMnistNormalisationOfAPyTorchModel() throws IOException {
        Path m = resource(org.calibkit.core.sources.ModelOptions.class, "pytorch_mnist_cnn.onnx");
        DoctorResult r = Doctor.run(m, null, unit(), validation, DoctorOptions.defaults().withSample(200));
        assertEquals("--scale 1/255 --mean 0.1307 --std 0.3081", r.best().flags());
        assertEquals("pytorch", r.metadata().get("producer_name"));
        // every candidate that was not stopped early was evaluated on the whole sample, and ranks are by NLL
        List<DoctorResult.Candidate> full = r.candidates().stream().filter(c -> !c.stoppedEarly()).toList();
        for (int i = 1; i < full.size(); i++) {
            assertTrue(full.get(i - 1).nll() <= full.get(i).nll());
            assertEquals(200, full.get(i).images());
        }
    }

    @Test
    void onnxMetadataPropsAreReadAndContradictionsOfTheFlagsSaid() throws IOException {
        // a ModelProto encoded by hand from onnx.proto: ir_version (1) = 7, producer_name (2),
        // metadata_props (14) {key (1), value (2)}, then an opaque graph (7) to skip
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x08, 0x07});
        field(b, 2, "CNTK".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        field(e, 1, "Image.NominalPixelRange".getBytes(StandardCharsets.UTF_8));
        field(e, 2, "NominalRange_0_255".getBytes(StandardCharsets.UTF_8));
        field(b, 14, e.toByteArray());
        field(b, 7, new byte[300]);
        Path f = dir.resolve("meta.onnx");
        Files.write(f, b.toByteArray());
        Map<String, String> md = OnnxMetadata.read(f);
        assertEquals("CNTK", md.get("producer_name"));
        assertEquals("NominalRange_0_255", md.get("Image.NominalPixelRange"));
        DoctorResult.Candidate best = new DoctorResult.Candidate("0..255 unchanged", "", false, 300, false, 0.99, 0.03, 0.99,
                0.9, 0.01);
        List<String> c = Contradictions.find(md, PixelTransform.unitScale(), best, 1);
        assertEquals(1, c.size(), c.toString());
        assertTrue(c.get(0).contains("0..255") && c.get(0).contains("[0, 1]"), c.get(0));
        assertTrue(Contradictions.find(md, PixelTransform.identity(), best, 1).isEmpty());
    }

    private static void field(ByteArrayOutputStream b, int field, byte[] value) {
        b.write(field << 3 | 2);
        int n = value.length;
        while (n >= 0x80) {
            b.write(n & 0x7F | 0x80);
            n >>>= 7;
        }
        b.write(n);
        b.writeBytes(value);
    }

    @Test
    void commandPrintsJsonAndBadModelsFailInOneLine() throws IOException {
        Path m = resource(DoctorTest.class, "lr_transposed.h5");
        CliRun r = CliRun.command("doctor", "--model", m.toString(), "--data", "mnist", "--scale", "1/255", "--sample", "100",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(DoctorResult.SCHEMA, j.get("schema").asText());
        assertEquals("--scale 1/255 --layout flat-hwc-t", j.get("best").get("flags").asText());
        assertTrue(j.get("verdict").get("message").asText().contains("flat-hwc-t"));
        // write_zoo.py gives the Dense layer a softmax: the note says so though the model runs in a worker
        assertTrue(j.get("notes").toString().contains("Keras: the model ends in softmax"), j.get("notes").toString());
        Path bad = dir.resolve("bad.h5");
        Files.write(bad, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 1, 2, 3});
        CliRun e = CliRun.command("doctor", "--model", bad.toString(), "--data", "mnist");
        assertEquals(1, e.code());
        assertTrue(e.err().startsWith("calibkit: error: Keras model " + bad), e.err());
        assertEquals(1, e.err().strip().lines().count(), e.err());
    }
}
