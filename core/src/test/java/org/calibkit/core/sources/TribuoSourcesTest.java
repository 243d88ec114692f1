package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.MnistSample;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.TribuoImages;
import org.calibkit.core.train.LogisticTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

/**
 * A logistic regression trained by calibkit (Tribuo's LinearSGDModel, 1 epoch on the first 400
 * real MNIST training images), taken out of its bundle two ways a user would: exported to ONNX by
 * Tribuo's own exporter and run by ONNX Runtime, and saved in Tribuo's protobuf format and read
 * back. The references are the bundle's logits (calibkit's LinearLogits on the bundled
 * preprocessing) and Tribuo's own predict on the reloaded model, both independent of the sources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TribuoSourcesTest {
    private ModelBundle bundle;
    private ImageSet test;
    private List<String> tribuoOrder;

    @TempDir
    Path dir;

    @BeforeAll
    void train() {
        ImageSet train = MnistSample.train(400);
        test = MnistSample.test(200);
        bundle = new LogisticTrainer(1, 1, 0.1, 3).train(train, null, s -> { });
        ImmutableOutputInfo<Label> info = bundle.tribuoModel().getOutputIDInfo();
        tribuoOrder = new ArrayList<>();
        for (int i = 0; i < info.size(); i++) {
            tribuoOrder.add(info.getOutput(i).getLabel());
        }
    }

    @AfterAll
    void close() {
        bundle.close();
    }

    private ModelOptions options() {
        return ModelOptions.defaults().withPixels(PixelTransform.of(bundle.preprocessing()));
    }

    @Test
    void tribuoOnnxExportIsReadAsProbabilitiesEqualToTheBundles() throws Exception {
        Path onnx = dir.resolve("logistic.onnx");
        ((LinearSGDModel) bundle.tribuoModel()).saveONNXModel("org.calibkit.test", 1, onnx);
        // Tribuo's graph columns follow its output ids, so the class names come in that order
        try (OnnxLogitSource s = OnnxLogitSource.open(onnx, options().withClassNames(tribuoOrder))) {
            assertEquals(OutputKind.PROBABILITIES, s.outputKind(), "Tribuo's graph ends in a softmax");
            assertEquals(Head.SOFTMAX, s.head());
            assertEquals(Layout.FLAT_HWC, s.layoutFor(1, 28, 28));
            assertEquals(-1, s.inputShape()[0]);
            Probabilities p = s.probabilities(test);
            Logits z = s.logits(test);
            Probabilities ref = bundle.probabilities(test);
            Logits refZ = bundle.logits(test);
            for (int i = 0; i < test.size(); i++) {
                double[] row = new double[10];
                double[] zrow = new double[10];
                for (int c = 0; c < 10; c++) {
                    int col = tribuoOrder.indexOf(bundle.classNames().get(c));
                    row[c] = p.get(i, col);
                    zrow[c] = z.get(i, col);
                }
                // ONNX Runtime computes in float32 (Tribuo exports float weights), the bundle in double
                assertArrayEquals(ref.row(i), row, 1e-4, "probabilities, row " + i);
                // logits up to a row constant, where the probability is above the 1e-12 floor of OutputKind.EPS
                int top = refZ.argmax()[i];
                for (int c = 0; c < 10; c++) {
                    if (ref.get(i, c) > 1e-9) {
                        assertEquals(refZ.get(i, c) - refZ.get(i, top), zrow[c] - zrow[top], 1e-3, "logit " + c + ", row " + i);
                    }
                }
            }
        }
    }

    @Test
    void serializedLinearModelGivesTheBundlesLogits() throws Exception {
        Path file = dir.resolve("logistic.tribuo");
        bundle.tribuoModel().serializeToFile(file);
        try (TribuoModelSource s = TribuoModelSource.load(file, options())) {
            assertEquals(OutputKind.LOGITS, s.outputKind());
            assertTrue(s.exposesLogits());
            assertEquals(bundle.classNames(), s.classNames(), "numeric labels in numeric order");
            Logits z = s.logits(test);
            Logits ref = bundle.logits(test);
            for (int i = 0; i < test.size(); i++) {
                assertArrayEquals(ref.row(i), z.row(i), 1e-9, "row " + i);
            }
            // and Tribuo's own predict on the reloaded model agrees with their softmax
            List<Prediction<Label>> preds = s.model().predict(TribuoImages.examples(test.limit(50), bundle.preprocessing()));
            Probabilities p = s.probabilities(test.limit(50));
            for (int i = 0; i < preds.size(); i++) {
                for (int c = 0; c < 10; c++) {
                    assertEquals(preds.get(i).getOutputScores().get(s.classNames().get(c)).getScore(), p.get(i, c), 1e-6);
                }
            }
        }
    }

    @Test
    void badTribuoFilesAndFeatureNamesGiveOneClearError() throws Exception {
        Path missing = dir.resolve("none.tribuo");
        assertEquals("Tribuo model " + missing + " does not exist",
                assertThrows(CalibkitException.class, () -> TribuoModelSource.load(missing, options())).getMessage());
        Path junk = Files.write(dir.resolve("junk.tribuo"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String m = assertThrows(CalibkitException.class, () -> TribuoModelSource.load(junk, options())).getMessage();
        assertTrue(m.startsWith("Tribuo model " + junk + " cannot be read (damaged, or not a model written by Tribuo's "
                + "Model.serializeToFile?): "), m);
        Path file = dir.resolve("m.tribuo");
        bundle.tribuoModel().serializeToFile(file);
        List<String> otherNames = new ArrayList<>();
        for (int i = 0; i < 784; i++) {
            otherNames.add("pixel-" + i);
        }
        try (TribuoModelSource s = TribuoModelSource.load(file, options(), otherNames)) {
            String f = assertThrows(CalibkitException.class, () -> s.logits(test)).getMessage();
            assertTrue(f.contains("knows none of the 784 feature names of images 1x28x28 (pixel-0..pixel-783); its 784 "
                    + "features are named like [p000, p001, p002] (give its feature names)"), f);
        }
        String cls = assertThrows(CalibkitException.class, () -> TribuoModelSource.load(file,
                options().withClassNames(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "nine")))).getMessage();
        assertTrue(cls.endsWith("has no class 'nine'; its classes are [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"), cls);
    }
}
