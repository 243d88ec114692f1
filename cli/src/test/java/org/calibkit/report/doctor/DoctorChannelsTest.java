package org.calibkit.report.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.calibkit.cli.CliRun;
import org.calibkit.core.Channels;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where the model's channels differ from the data's: a colour model audited on grey MNIST.
 * {@code rgb_cnn.py} (next to this test's resources) trains a tiny CNN with Debian's
 * python3-torch on MNIST training images replicated to three channels and scaled by 1/255,
 * exports it to ONNX (input [N, 3, 28, 28]) and prints torch's own accuracy, the independent
 * reference: on the doctor's seeded sample (written here by {@link Doctor#sample}, the grey
 * pixels as they are) and on the first 1,000 test images, each fed as the model was trained.
 * The model and the reference are made at test time (a few seconds on one core).
 */
class DoctorChannelsTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static ImageSet validation;
    private static Path model;
    private static JsonNode torch;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainAndExportWithTorch() throws IOException, InterruptedException {
        Path mnist = DataFixtures.realMnistCache();
        validation = DataCatalog.load("mnist", "validation", null);
        ImageSet sample = Doctor.sample(validation, DoctorOptions.defaults().sample(), DoctorOptions.defaults().seed());
        Path sampleFile = dir.resolve("sample.bin");
        ByteBuffer b = ByteBuffer.allocate(4 + sample.size() * 785);
        b.putInt(sample.size());
        for (float v : sample.rawPixels()) {
            b.put((byte) Math.round(v));
        }
        for (int i = 0; i < sample.size(); i++) {
            b.put((byte) sample.label(i));
        }
        Files.write(sampleFile, b.array());
        Path script = dir.resolve("rgb_cnn.py");
        for (String name : new String[] {"rgb_cnn.py", "mnist_idx.py"}) { // the script imports its IDX reader
            try (InputStream in = DoctorChannelsTest.class.getResourceAsStream(name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Path log = dir.resolve("rgb_cnn.log");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.toString(), mnist.toString(),
                sampleFile.toString()).redirectError(log.toFile()).redirectOutput(dir.resolve("rgb_cnn.json").toFile())
                .start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "rgb_cnn.py did not finish");
        assertEquals(0, p.exitValue(), Files.readString(log));
        torch = new ObjectMapper().readTree(dir.resolve("rgb_cnn.json").toFile());
        model = dir.resolve("rgb_cnn.onnx");
    }

    @Test
    void theDoctorReplicatesGreyToRgbAndFindsTheModelsConvention() {
        DoctorResult r = Doctor.run(model, null, ModelOptions.defaults().withPixels(PixelTransform.unitScale()), validation,
                DoctorOptions.defaults());
        assertEquals("--channels 3 --scale 1/255", r.best().flags());
        assertTrue(r.best().label().startsWith("grey replicated to RGB"), r.best().label());
        // the doctor's accuracy on its sample is torch's on the same images fed the same way (rgb_cnn.py)
        assertEquals(torch.get("sample").asDouble(), r.best().accuracy(), 1e-9);
        assertEquals(DoctorOptions.defaults().sample(), r.best().images());
        // every convention converts (nothing else runs on this model); ImageNet's mean/std is among them (3 channels)
        assertTrue(r.candidates().stream().allMatch(c -> c.flags().startsWith("--channels 3")));
        assertTrue(r.candidates().stream().anyMatch(c -> c.flags().contains("--mean 0.485,0.456,0.406")));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("takes 3 channel(s) and the data has 1")), r.notes().toString());
        assertTrue(r.searched().endsWith("grey replicated to 3 channels (RGB)"), r.searched());
        // the given flags (--scale 1/255) plus the conversion they lack are the model's convention
        assertEquals(1, r.givenRank());
        // the model's input is NCHW, as its opened model says from the worker too: transposed conventions name nchw-t
        assertTrue(r.searched().contains("layout nchw;"), r.searched());
        DoctorResult.Candidate transposed = r.candidates().stream().filter(c -> c.label().endsWith(", transposed"))
                .findFirst().orElseThrow();
        assertTrue(transposed.flags().endsWith("--layout nchw-t"), transposed.flags());
        List<String> args = new java.util.ArrayList<>(List.of("--model", model.toString(), "--data", "mnist",
                "--probes", "blank-black", "--probe-size", "20", "--limit", "100", "--no-doctor",
                "--out", dir.resolve("t.html").toString()));
        args.addAll(List.of(transposed.flags().split(" ")));
        CliRun t = CliRun.command("audit", args.toArray(String[]::new));
        assertEquals(0, t.code(), "the doctor's flags are flags the audit takes: " + t.err());

        // stated, the conversion is the given flags' own and the result is the same
        DoctorResult stated = Doctor.run(model, null, ModelOptions.defaults().withPixels(PixelTransform.unitScale())
                .withChannels(3), validation, DoctorOptions.defaults());
        assertEquals(r.best(), stated.best());
        assertTrue(stated.notes().stream().noneMatch(n -> n.contains("takes 3 channel(s)")), stated.notes().toString());
    }

    @Test
    void theAuditWithTheNamedFlagsGivesTorchsAccuracyAndWithoutThemSaysWhichFlag() throws IOException {
        JsonNode j = DoctorTest.auditFirst1000(dir, "a", model, "--scale", "1/255", "--channels", "3");
        // torch's accuracy on the first 1,000 test images (rgb_cnn.py)
        assertEquals(torch.get("test_first_1000").asDouble(), j.at("/test/uncalibrated/accuracy").asDouble(), 1e-9);
        assertTrue(j.at("/model/details/channels").asText().contains("grey replicated to RGB"), j.at("/model").toString());
        assertEquals("--channels 3 --scale 1/255", j.at("/doctor/flags_to_pass").asText());
        assertEquals(1, j.at("/doctor/given_rank").asInt());
        assertFalse(j.at("/verdicts/0/check").asText().equals(InputCheck.CHECK), "the flags fit");

        CliRun e = CliRun.command("audit", "--model", model.toString(), "--data", "mnist", "--scale", "1/255",
                "--limit", "100", "--out", dir.resolve("never/a.html").toString());
        assertEquals(1, e.code());
        List<String> lines = e.err().strip().lines().toList();
        assertEquals(1, lines.size(), e.err());
        assertTrue(lines.get(0).startsWith("calibkit: error: ONNX model ") && lines.get(0).contains("--channels 3"),
                lines.get(0));
        CliRun bad = CliRun.command("audit", "--model", model.toString(), "--data", "mnist", "--channels", "2",
                "--out", dir.resolve("never/b.html").toString());
        assertEquals(1, bad.code());
        assertEquals(List.of("calibkit: error: --channels must be 1 (colour to grey) or 3 (grey to RGB), but got 2"),
                bad.err().strip().lines().toList());
    }

    /**
     * The reverse direction: a grey model (DoctorTest's softmax regression, {@code lr_unit.h5})
     * given colour images. The images are MNIST replicated to RGB, so their luma is the grey
     * image again (0.299 + 0.587 + 0.114 = 1): converted back, the model must see exactly what it
     * sees on the grey images, and the doctor must name {@code --channels 1} with the numbers of
     * the grey run.
     */
    @Test
    void aGreyModelGivenColourImagesGetsTheirLuma() throws IOException {
        Path lr = dir.resolve("lr_unit.h5");
        try (InputStream in = DoctorTest.class.getResourceAsStream("lr_unit.h5")) {
            Files.copy(in, lr);
        }
        ModelOptions unit = ModelOptions.defaults().withPixels(PixelTransform.unitScale());
        DoctorResult grey = Doctor.run(lr, null, unit, validation, DoctorOptions.defaults());
        DoctorResult colour = Doctor.run(lr, null, unit, Channels.convert(validation, 3), DoctorOptions.defaults());
        assertEquals("--scale 1/255", grey.best().flags());
        assertEquals("--channels 1 --scale 1/255", colour.best().flags());
        assertEquals(grey.best().accuracy(), colour.best().accuracy(), 0);
        assertEquals(grey.best().nll(), colour.best().nll(), 0);
        assertEquals(grey.best().ece(), colour.best().ece(), 0);
        assertTrue(colour.notes().stream().anyMatch(n -> n.contains("takes 1 channel(s) and the data has 3")),
                colour.notes().toString());
    }

    @Test
    void greyToRgbIsThreeCopiesAndRgbToGreyIsTheRec601Luma() {
        // two 1x2 grey images, and the luma by hand: 0.299 * 10 + 0.587 * 200 + 0.114 * 30 = 123.81
        float[] rgb = Channels.convert(new float[] {1, 2, 3, 4}, 1, 3, 2);
        assertEquals(List.of(1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f), boxed(rgb));
        float[] grey = Channels.convert(new float[] {10, 0, 200, 0, 30, 255}, 3, 1, 2);
        assertEquals(123.81f, grey[0], 1e-4f);
        assertEquals(0.299f * 0 + 0.587f * 0 + 0.114f * 255, grey[1], 1e-4f);
        // replicating then taking the luma gives the grey image back (the weights sum to 1)
        float[] back = Channels.convert(rgb, 3, 1, 2);
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, back[i], 1e-5f);
        }
    }

    private static List<Float> boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return List.of(b);
    }
}
