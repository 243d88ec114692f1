package org.calibkit.core.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.sources.KerasLogitSource;
import org.calibkit.core.sources.Layout;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keras files written by an independent writer: {@code write_keras_files.py} (next to this
 * test's resources, h5py + numpy, no Keras) lays them out as Keras 2.x / 3 write them and stores,
 * in {@code reference.json}, the outputs of a numpy forward pass of the same weights on the same
 * images. calibkit reads them with jhdf and evaluates them as a TensorFlow-Java graph; the two
 * must agree to float32 precision. The files are regenerated with
 * {@code /usr/bin/python3 write_keras_files.py core/src/test/resources/org/calibkit/core/keras}.
 */
class KerasModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path resource(String name) {
        try {
            return Path.of(KerasModelTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode reference(String file) throws IOException {
        try (InputStream in = KerasModelTest.class.getResourceAsStream(file)) {
            return JSON.readTree(in);
        }
    }

    /** The reference images as an ImageSet of 0..255 pixels with the shape the model takes. */
    static ImageSet images(JsonNode ref, int channels, int height, int width) {
        JsonNode px = ref.get("pixels");
        int per = channels * height * width;
        float[] p = new float[px.size() * per];
        // the script stores images in the model's own (H, W, C) order; ImageSet holds (C, H, W)
        for (int i = 0; i < px.size(); i++) {
            for (int hw = 0; hw < height * width; hw++) {
                for (int c = 0; c < channels; c++) {
                    p[i * per + c * height * width + hw] = (float) px.get(i).get(hw * channels + c).asDouble();
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            names.add(Integer.toString(k));
        }
        return new ImageSet(p, new int[px.size()], channels, height, width, names,
                new DataOrigin("keras-reference", "test", "reference.json", null, false));
    }

    static double[][] matrix(JsonNode m) {
        double[][] out = new double[m.size()][];
        for (int i = 0; i < m.size(); i++) {
            out[i] = new double[m.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = m.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static void assertClose(double[][] want, double[][] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], tol, "row " + i);
        }
    }

    private static void checkLogits(String file, ModelOptions o, int c, int h, int w, String activation) throws IOException {
        JsonNode ref = reference("reference.json").get(file);
        try (KerasLogitSource s = KerasLogitSource.open(resource(file), o.withPixels(PixelTransform.unitScale()))) {
            assertEquals(activation, s.finalActivation());
            assertEquals(OutputKind.LOGITS, s.outputKind());
            Logits z = s.logits(images(ref, c, h, w));
            // the Keras model's last activation was softmax (or none): its input is the logits
            assertClose(matrix(ref.get("pre_activation")), z.toArray(), 2e-4);
            if (!activation.equals("none")) { // the model's own probabilities, through calibkit's softmax
                assertClose(matrix(ref.get("output")), s.head().apply(z).toArray(), 2e-5);
            }
        }
    }

    @Test
    void keras2MlpWithBatchNormalizationEndingInSoftmax() throws IOException {
        checkLogits("mlp_bn.h5", ModelOptions.defaults(), 1, 28, 28, "softmax");
    }

    @Test
    void keras20BareListOfLayersWithLinearOutput() throws IOException {
        checkLogits("keras20_bare.h5", ModelOptions.defaults(), 1, 28, 28, "none");
    }

    @Test
    void keras3CnnSavedAsH5WithModelPathsInWeightNames() throws IOException {
        checkLogits("cnn_keras3.h5", ModelOptions.defaults(), 1, 28, 28, "softmax");
        KerasModel m = KerasFile.read(resource("cnn_keras3.h5"));
        assertArrayEquals(new long[] {-1, 784}, m.inputShape());
        assertEquals(List.of("Reshape", "Conv2D", "MaxPooling2D", "Conv2D", "AveragePooling2D", "Flatten", "Dropout", "Dense"),
                m.layers().stream().map(KerasModel.Layer::className).toList());
    }

    @Test
    void keras3DotKerasFunctionalWithSoftmaxActivationLayer() throws IOException {
        checkLogits("functional.keras", ModelOptions.defaults(), 1, 28, 28, "softmax");
        try (KerasLogitSource s = KerasLogitSource.open(resource("functional.keras"), ModelOptions.defaults())) {
            assertEquals(Layout.NHWC, s.layoutFor(1, 28, 28));
        }
    }

    @Test
    void statedProbabilitiesKeepTheSoftmaxInTheGraph() throws IOException {
        JsonNode ref = reference("reference.json").get("mlp_bn.h5");
        ModelOptions o = ModelOptions.defaults().withPixels(PixelTransform.unitScale()).withOutputKind(OutputKind.PROBABILITIES);
        try (KerasLogitSource s = KerasLogitSource.open(resource("mlp_bn.h5"), o)) {
            assertEquals("none", s.finalActivation());
            assertEquals(Head.SOFTMAX, s.head());
            assertClose(matrix(ref.get("output")), s.probabilities(images(ref, 1, 28, 28)).toArray(), 2e-5);
        }
    }

    @Test
    void badFilesAreRefusedInOneLineNamingTheProblem() {
        String w = assertThrows(CalibkitException.class, () -> KerasFile.read(resource("weights_only.h5"))).getMessage();
        assertTrue(w.contains("weights only") && w.contains("model.save"), w);
        String l = assertThrows(CalibkitException.class, () -> KerasFile.read(resource("lstm.h5"))).getMessage();
        assertTrue(l.contains("'lstm' is a LSTM") && l.contains("tf2onnx"), l);
        String m = assertThrows(CalibkitException.class,
                () -> KerasLogitSource.open(resource("shape_mismatch.h5"), ModelOptions.defaults())).getMessage();
        assertTrue(m.contains("layer 'dense_1'") && m.contains("[10, 10]") && m.contains("need [10, 12]"), m);
        String n = assertThrows(CalibkitException.class, () -> KerasFile.read(resource("not_keras.h5"))).getMessage();
        assertTrue(n.contains("not a Keras model") && n.contains("images"), n);
        for (String s : List.of(w, l, m, n)) {
            assertFalse(s.contains("\n"), s);
        }
    }

    @Test
    void truncatedAndBitFlippedFilesGiveOneLineErrorsNotCrashes(@TempDir Path dir) throws IOException {
        byte[] good = Files.readAllBytes(resource("mlp_bn.h5"));
        for (int cut : new int[] {10, 100, 2000, good.length / 2, good.length - 10}) {
            Path f = dir.resolve("cut" + cut + ".h5");
            Files.write(f, Arrays.copyOf(good, cut));
            assertOneLineOrLoads(f);
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int t = 0; t < 20; t++) {
            byte[] b = good.clone();
            for (int k = 0; k < 8; k++) {
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            Path f = dir.resolve("flip" + t + ".h5");
            Files.write(f, b);
            assertOneLineOrLoads(f);
        }
        byte[] zip = Files.readAllBytes(resource("functional.keras"));
        Path f = dir.resolve("cut.keras");
        Files.write(f, Arrays.copyOf(zip, zip.length / 2));
        assertOneLineOrLoads(f);
    }

    /** A damaged file either still loads (flipped bits inside a weight) or fails with a CalibkitException. */
    private static void assertOneLineOrLoads(Path f) {
        try (KerasLogitSource s = KerasLogitSource.open(f, ModelOptions.defaults())) {
            assertEquals(10, s.classNames().size());
        } catch (CalibkitException e) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    /**
     * The seed's own model, 784-512-512-10 with dropout and softmax, inputs / 255, written at test
     * time by the same script (2.7 MB, too big to commit). Needs Debian's python3-h5py.
     */
    @Test
    void theSeedMlpWrittenAtTestTime(@TempDir Path dir) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(py), "no /usr/bin/python3");
        Process check = new ProcessBuilder(py.toString(), "-c", "import h5py, numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0, "python3-h5py not installed");
        Process p = new ProcessBuilder(py.toString(), resource("write_keras_files.py").toString(), dir.toString(), "--seed-mlp")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        JsonNode ref = JSON.readTree(dir.resolve("seed_reference.json").toFile()).get("test_model.h5");
        try (KerasLogitSource s = KerasLogitSource.open(dir.resolve("test_model.h5"),
                ModelOptions.defaults().withPixels(PixelTransform.unitScale()))) {
            assertEquals("softmax", s.finalActivation());
            Logits z = s.logits(images(ref, 1, 28, 28));
            assertClose(matrix(ref.get("pre_activation")), z.toArray(), 5e-4);
            assertClose(matrix(ref.get("output")), s.head().apply(z).toArray(), 2e-5);
        }
    }
}
