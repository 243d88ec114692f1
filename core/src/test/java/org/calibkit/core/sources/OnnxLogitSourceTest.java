package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.sources.OnnxGraphs.End;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link OnnxLogitSource} on graphs the test writes ({@link OnnxGraphs}): a linear layer over
 * 3x4x5 colour images (non-square, so a swapped height and width or a wrong channel order shows),
 * ending in nothing, softmax, log-softmax or sigmoid, with NCHW, NHWC or flat inputs. The
 * reference logits are computed here in double precision from the same weights and the
 * documented transform {@code (x / 255 - mean[c]) / std[c]}, independently of ONNX Runtime and of
 * the source's own input code; ONNX Runtime computes in float32, hence the 1e-4 tolerances.
 */
class OnnxLogitSourceTest {
    private static final int C = 3;
    private static final int H = 4;
    private static final int W = 5;
    private static final int K = 4;
    private static final double[] MEAN = {0.5, 0.4, 0.3};
    private static final double[] STD = {0.2, 0.25, 0.3};
    private static final PixelTransform PIXELS = new PixelTransform(1 / 255.0, MEAN, STD, false);
    private static final float[][] WEIGHTS = new float[K][C * H * W];
    private static final float[] BIAS = new float[K];
    private static final ImageSet IMAGES = images(37, 1);

    static {
        SplittableRandom r = new SplittableRandom(42);
        for (int k = 0; k < K; k++) {
            for (int p = 0; p < C * H * W; p++) {
                WEIGHTS[k][p] = (float) (r.nextDouble() * 0.2 - 0.1);
            }
            BIAS[k] = (float) (r.nextDouble() - 0.5);
        }
    }

    @TempDir
    Path dir;

    static ImageSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[n * C * H * W];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % K;
        }
        return new ImageSet(px, labels, C, H, W, List.of("a", "b", "c", "d"), new DataOrigin("random", "test", "seed " + seed, null, false));
    }

    /** W x + b with x the transformed image in (C, H, W) order; {@code invert} uses 255 - x. */
    static double[][] reference(ImageSet images, boolean invert) {
        int per = C * H * W;
        double[][] z = new double[images.size()][K];
        for (int i = 0; i < images.size(); i++) {
            for (int k = 0; k < K; k++) {
                double s = BIAS[k];
                for (int p = 0; p < per; p++) {
                    int c = p / (H * W);
                    double raw = images.rawPixels()[i * per + p];
                    double x = ((invert ? 255 - raw : raw) / 255.0 - MEAN[c]) / STD[c];
                    s += WEIGHTS[k][p] * x;
                }
                z[i][k] = s;
            }
        }
        return z;
    }

    private OnnxGraphs.Builder graph() {
        return new OnnxGraphs.Builder(C, H, W, WEIGHTS, BIAS);
    }

    private static double[] centred(double[] row) {
        double m = Arrays.stream(row).average().orElseThrow();
        return Arrays.stream(row).map(v -> v - m).toArray();
    }

    private static String message(Runnable r) {
        return assertThrows(CalibkitException.class, r::run).getMessage();
    }

    @ParameterizedTest
    @CsvSource({
        "NCHW, NONE, LOGITS, SOFTMAX",
        "NHWC, NONE, LOGITS, SOFTMAX",
        "NCHW, SOFTMAX, PROBABILITIES, SOFTMAX",
        "NHWC, SOFTMAX, PROBABILITIES, SOFTMAX",
        "NCHW, LOG_SOFTMAX, LOG_PROBABILITIES, SOFTMAX",
        "NHWC, LOG_SOFTMAX, LOG_PROBABILITIES, SOFTMAX",
        "NCHW, SIGMOID, INDEPENDENT_PROBABILITIES, SIGMOID",
        "NHWC, SIGMOID, INDEPENDENT_PROBABILITIES, SIGMOID",
    })
    void detectsKindAndLayoutAndRecoversLogitsUpToARowConstant(String layout, End end, OutputKind kind, Head head) {
        Path file = graph().layout(layout).end(end).write(dir.resolve(layout + "-" + end + ".onnx"));
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS).withBatchSize(8))) {
            assertEquals(kind, s.outputKind());
            assertEquals(head, s.head());
            assertEquals(Layout.valueOf(layout), s.layoutFor(C, H, W));
            assertEquals(List.of("0", "1", "2", "3"), s.classNames());
            assertEquals(-1, s.inputShape()[0], "dynamic batch dimension reads as -1");
            double[][] ref = reference(IMAGES, false);
            Logits z = s.logits(IMAGES);
            assertEquals(IMAGES.size(), z.n());
            for (int i = 0; i < ref.length; i++) {
                if (head == Head.SOFTMAX && kind != OutputKind.LOGITS) {
                    assertArrayEquals(centred(ref[i]), centred(z.row(i)), 1e-4, "row " + i);
                } else {
                    assertArrayEquals(ref[i], z.row(i), 1e-4, "row " + i);
                }
            }
        }
    }

    @Test
    void flatColourInputNeedsItsChannelOrderSaid() {
        Path file = graph().layout("FLAT").write(dir.resolve("flat.onnx"));
        ModelOptions o = ModelOptions.defaults().withPixels(PIXELS);
        try (OnnxLogitSource s = OnnxLogitSource.open(file, o)) {
            String m = message(() -> s.logits(IMAGES));
            assertTrue(m.contains("input 'x' has shape [-1, 60], which fits images 3x4x5 (channels x height x width) in several layouts (flat-hwc, flat-chw)"), m);
        }
        try (OnnxLogitSource s = OnnxLogitSource.open(file, o.withLayout(Layout.parse("flat-chw")))) {
            double[][] ref = reference(IMAGES, false);
            Logits z = s.logits(IMAGES);
            for (int i = 0; i < ref.length; i++) {
                assertArrayEquals(ref[i], z.row(i), 1e-4, "row " + i);
            }
        }
    }

    @Test
    void fixedBatchDimensionIsPaddedAndInvertIsApplied() {
        Path file = graph().fixedBatch(2).write(dir.resolve("fixed.onnx"));
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS.withInvert(true)))) {
            assertEquals(2, s.inputShape()[0]);
            double[][] ref = reference(IMAGES, true);
            Logits z = s.logits(IMAGES); // 37 images in batches of 2, the last one padded
            for (int i = 0; i < ref.length; i++) {
                assertArrayEquals(ref[i], z.row(i), 1e-4, "row " + i);
            }
            assertTrue(s.inputPreprocessing().isEmpty(), "an inverting transform is no Preprocessing");
        }
    }

    @Test
    void severalFloatOutputsNeedOneNamed() {
        Path file = graph().end(End.SOFTMAX).alsoLogits().write(dir.resolve("two.onnx"));
        String m = message(() -> OnnxLogitSource.open(file, ModelOptions.defaults()));
        assertTrue(m.startsWith("ONNX model " + file + " has several float outputs that could hold the class scores "
                + "['y': FLOAT [-1, 4]; 'z': FLOAT [-1, 4]]; name the one to read (output option)"), m);
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS).withOutput("z"))) {
            assertEquals(OutputKind.LOGITS, s.outputKind());
            assertEquals("z", s.outputName());
            assertArrayEquals(reference(IMAGES, false)[3], s.logits(IMAGES).row(3), 1e-4);
        }
        String unknown = message(() -> OnnxLogitSource.open(file, ModelOptions.defaults().withOutput("logits")));
        assertTrue(unknown.endsWith("has no output 'logits'; its outputs are ['y': FLOAT [-1, 4]; 'z': FLOAT [-1, 4]]"), unknown);
    }

    @Test
    void zipMapOutputIsReadAsProbabilities() {
        Path file = graph().end(End.SOFTMAX).zipMap().write(dir.resolve("zipmap.onnx"));
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS))) {
            assertEquals(OutputKind.PROBABILITIES, s.outputKind());
            assertEquals("probs", s.outputName());
            assertEquals(List.of("0", "1", "2", "3"), s.classNames());
            Probabilities p = s.probabilities(IMAGES);
            double[][] ref = reference(IMAGES, false);
            for (int i = 0; i < ref.length; i++) {
                assertArrayEquals(Logits.of(new double[][] {ref[i]}).softmax().row(0), p.row(i), 1e-6, "row " + i);
            }
        }
    }

    @Test
    void nonTensorOutputIsRefusedWithHowToExportWithoutIt() {
        Path file = graph().alsoSequence().write(dir.resolve("seq.onnx"));
        String m = message(() -> OnnxLogitSource.open(file, ModelOptions.defaults().withOutput("seq")));
        assertTrue(m.startsWith("ONNX model " + file + " output 'seq' is "), m);
        assertTrue(m.contains("not a tensor of class scores") && m.contains("options={id(model): {'zipmap': False}}"), m);
        // unnamed, the one float tensor is taken and the sequence ignored
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS))) {
            assertEquals("z", s.outputName());
        }
    }

    @Test
    void nanOutputsAreRefusedNamingFileTensorRowAndColumn() {
        Path file = graph().sqrt().write(dir.resolve("nan.onnx"));
        String atOpen = message(() -> OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS)));
        assertTrue(atOpen.startsWith("ONNX model " + file + " output 'root' on probe inputs: Expected finite outputs, but got NaN at row "), atOpen);
        ModelOptions stated = ModelOptions.defaults().withPixels(PIXELS).withOutputKind(OutputKind.LOGITS);
        try (OnnxLogitSource s = OnnxLogitSource.open(file, stated)) {
            String m = message(() -> s.logits(IMAGES));
            assertTrue(m.startsWith("ONNX model " + file + " output 'root' (stated as logits) on images random/test: "
                    + "Expected finite outputs, but got NaN at row "), m);
        }
    }

    @Test
    void imagesOfAnotherShapeAreRefusedWithBothShapes() {
        Path file = graph().write(dir.resolve("m.onnx"));
        ImageSet mnistLike = new ImageSet(new float[2 * 784], new int[] {0, 1}, 1, 28, 28, List.of("a", "b"),
                new DataOrigin("mnist", "test", "memory", null, false));
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults())) {
            assertEquals("ONNX model " + file + " input 'x' has shape [-1, 3, 4, 5], which fits images 1x28x28 "
                    + "(channels x height x width) in no layout (NCHW would be [-1, 1, 28, 28], NHWC [-1, 28, 28, 1], "
                    + "flat [-1, 784])", message(() -> s.logits(mnistLike)));
            org.calibkit.core.model.Preprocessing prep = s.inputPreprocessing().orElseThrow();
            assertEquals(List.of(3, 4, 5), List.of(prep.channels(), prep.height(), prep.width()));
        }
    }

    @Test
    void pixelsOnTheWrongScaleAreRefusedUnlessAskedFor() {
        Path file = graph().write(dir.resolve("m.onnx"));
        float[] px = IMAGES.rawPixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] /= 255f;
        }
        ImageSet scaled = new ImageSet(px, IMAGES.labels(), C, H, W, IMAGES.classNames(), IMAGES.origin());
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withPixels(PIXELS))) {
            String m = message(() -> s.logits(scaled));
            assertTrue(m.contains("look already scaled to [0, 1]") && m.contains("refusing to predict with ONNX model " + file), m);
            assertEquals(IMAGES.size(), s.withoutRangeCheck().logits(scaled).n());
        }
    }

    @Test
    void classNamesAreCheckedAgainstTheOutput() {
        Path file = graph().write(dir.resolve("m.onnx"));
        assertEquals("ONNX model " + file + " output 'z' has 4 columns, but 3 class names were given",
                message(() -> OnnxLogitSource.open(file, ModelOptions.defaults().withClassNames(List.of("a", "b", "c")))));
        try (OnnxLogitSource s = OnnxLogitSource.open(file, ModelOptions.defaults().withClassNames(List.of("w", "x", "y", "z")))) {
            assertEquals(List.of("w", "x", "y", "z"), s.classNames());
        }
    }

    @Test
    void missingAndDamagedFilesGiveOneClearError() throws Exception {
        Path missing = dir.resolve("nope.onnx");
        assertEquals("ONNX model " + missing + " does not exist", message(() -> OnnxLogitSource.open(missing, ModelOptions.defaults())));
        Path junk = Files.write(dir.resolve("junk.onnx"), "this is not a model".getBytes());
        String m = message(() -> OnnxLogitSource.open(junk, ModelOptions.defaults()));
        assertTrue(m.startsWith("ONNX model " + junk + " cannot be loaded (damaged, or not an ONNX model?): "), m);
        byte[] good = graph().build().toByteArray();
        Path truncated = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(good, good.length / 2));
        String t = message(() -> OnnxLogitSource.open(truncated, ModelOptions.defaults()));
        assertTrue(t.startsWith("ONNX model " + truncated + " cannot be loaded"), t);
    }

    @Test
    void pixelTransformReadsItsJsonFile() throws Exception {
        Path f = Files.writeString(dir.resolve("prep.json"),
                "{\"scale\": \"1/255\", \"mean\": [0.5, 0.4, 0.3], \"std\": [0.2, 0.25, 0.3]}");
        assertEquals(PIXELS, PixelTransform.fromJson(f));
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"scale\": 0.5, \"men\": [0.1]}");
        assertEquals("preprocessing file " + bad + ": unknown preprocessing field 'men' (expected scale, mean, std, invert)",
                message(() -> PixelTransform.fromJson(bad)));
        Path neg = Files.writeString(dir.resolve("neg.json"), "{\"std\": [0.2, -1]}");
        assertEquals("preprocessing file " + neg + ": pixel std[1] must be finite and > 0, but got -1.0",
                message(() -> PixelTransform.fromJson(neg)));
    }
}
