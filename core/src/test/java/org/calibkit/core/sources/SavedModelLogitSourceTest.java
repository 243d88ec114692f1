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
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.MnistSample;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.CnnOptions;
import org.calibkit.core.train.CnnTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.interop.tensorflow.TensorFlowNativeModel;

/**
 * A calibkit CNN (the tutorial network, 1 epoch on 300 real MNIST images, 2 threads) leaves its
 * bundle as a TensorFlow SavedModel two ways: Tribuo's own {@code TensorFlowModel.exportModel}
 * (one signature whose output is the softmax the Tribuo model predicts with), and a re-export of
 * that SavedModel through TF-Java's {@code SavedModelBundle.exporter} with a signature over both
 * the {@code logits} and the {@code probabilities} ops. The reference is the bundle's own logits
 * (calibkit's TensorFlowLogits on a separate session). The same network saved as a Tribuo model
 * file is read by {@link TribuoModelSource} through Tribuo's predict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavedModelLogitSourceTest {
    private ModelBundle cnn;
    private ImageSet test;
    private List<String> tribuoOrder;
    private Path tribuoExport;
    private Path bothOutputs;

    @TempDir
    static Path dir;

    @BeforeAll
    void trainAndExport() throws Exception {
        ImageSet train = MnistSample.train(300);
        test = MnistSample.test(100);
        cnn = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withDropout(0f).withSeed(5).withThreads(2)).train(train, null, s -> { });
        ImmutableOutputInfo<Label> info = cnn.tribuoModel().getOutputIDInfo();
        tribuoOrder = new ArrayList<>();
        for (int i = 0; i < info.size(); i++) {
            tribuoOrder.add(info.getOutput(i).getLabel());
        }
        tribuoExport = dir.resolve("tribuo-export");
        ((TensorFlowNativeModel<Label>) cnn.tribuoModel()).exportModel(tribuoExport.toString());
        bothOutputs = dir.resolve("with-logits");
        try (SavedModelBundle b = SavedModelBundle.load(tribuoExport.toString(), SavedModelBundle.DEFAULT_TAG)) {
            Graph g = b.graph();
            Signature sig = Signature.builder().key(Signature.DEFAULT_KEY)
                    .input("image", g.operation("input").output(0))
                    .output("logits", g.operation("logits").output(0))
                    .output("probabilities", g.operation("probabilities").output(0)).build();
            SavedModelBundle.exporter(bothOutputs.toString()).withFunction(SessionFunction.create(sig, b.session())).export();
        }
    }

    @AfterAll
    void close() {
        cnn.close();
    }

    private ModelOptions options() {
        return ModelOptions.defaults().withPixels(PixelTransform.of(cnn.preprocessing())).withClassNames(tribuoOrder);
    }

    /** Column of class {@code c} (bundle order) in the model's own output order. */
    private int col(int c) {
        return tribuoOrder.indexOf(cnn.classNames().get(c));
    }

    /** One value of a row x class table. */
    private interface Cell {
        double get(int row, int column);
    }

    /** {@code got}, whose columns are in Tribuo's order, equals the bundle's {@code ref} on every test image and class. */
    private void assertSameInTribuoOrder(Cell ref, Cell got) {
        for (int i = 0; i < test.size(); i++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(ref.get(i, c), got.get(i, col(c)), 1e-5, "row " + i + ", class " + c);
            }
        }
    }

    @Test
    void tribuosExportGivesTheBundlesProbabilities() {
        try (SavedModelLogitSource s = SavedModelLogitSource.open(tribuoExport, options())) {
            assertEquals(Signature.DEFAULT_KEY, s.signature());
            assertEquals(OutputKind.PROBABILITIES, s.outputKind());
            assertEquals(Layout.NHWC, s.layoutFor(1, 28, 28));
            assertArrayEquals(new long[] {-1, 28, 28, 1}, s.inputShape());
            assertSameInTribuoOrder(cnn.probabilities(test)::get, s.probabilities(test)::get);
        }
    }

    @Test
    void aLogitsSignatureGivesTheBundlesLogits() {
        String m = assertThrows(CalibkitException.class, () -> SavedModelLogitSource.open(bothOutputs, options())).getMessage();
        assertTrue(m.startsWith("SavedModel " + bothOutputs + " signature 'serving_default' has several float outputs "), m);
        try (SavedModelLogitSource s = SavedModelLogitSource.open(bothOutputs, options().withOutput("logits"))) {
            assertEquals(OutputKind.LOGITS, s.outputKind());
            assertEquals("logits", s.outputName());
            assertSameInTribuoOrder(cnn.logits(test)::get, s.logits(test)::get);
        }
    }

    @Test
    void theSameCnnAsATribuoModelFileGivesItsProbabilities() throws Exception {
        Path file = dir.resolve("cnn.tribuo");
        cnn.tribuoModel().serializeToFile(file);
        try (TribuoModelSource s = TribuoModelSource.load(file, ModelOptions.defaults()
                .withPixels(PixelTransform.of(cnn.preprocessing())))) {
            assertEquals(OutputKind.PROBABILITIES, s.outputKind());
            assertEquals(false, s.exposesLogits());
            assertEquals(cnn.classNames(), s.classNames());
            Probabilities p = s.probabilities(test.limit(40));
            Probabilities ref = cnn.probabilities(test.limit(40));
            for (int i = 0; i < p.n(); i++) {
                assertArrayEquals(ref.row(i), p.row(i), 1e-5, "row " + i);
            }
        }
    }

    @Test
    void badDirectoriesGiveOneClearError() throws Exception {
        Path missing = dir.resolve("none");
        assertEquals("SavedModel " + missing + " does not exist",
                assertThrows(CalibkitException.class, () -> SavedModelLogitSource.open(missing, options())).getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("SavedModel " + empty + " has no saved_model.pb; is it a SavedModel directory?",
                assertThrows(CalibkitException.class, () -> SavedModelLogitSource.open(empty, options())).getMessage());
        Path junk = Files.createDirectories(dir.resolve("junk"));
        Files.write(junk.resolve("saved_model.pb"), new byte[] {9, 9, 9, 9, 9});
        String m = assertThrows(CalibkitException.class, () -> SavedModelLogitSource.open(junk, options())).getMessage();
        assertTrue(m.startsWith("SavedModel " + junk + " cannot be loaded (damaged, or no 'serve' tag?): "), m);
        String sig = assertThrows(CalibkitException.class, () -> SavedModelLogitSource.open(tribuoExport,
                options().withSignature("predict"))).getMessage();
        assertEquals("SavedModel " + tribuoExport + " has no signature 'predict'; its signatures are [serving_default]", sig);
        ImageSet colour = DataFixtures.randomSvhnLike(2, 1);
        try (SavedModelLogitSource s = SavedModelLogitSource.open(tribuoExport, options())) {
            String shape = assertThrows(CalibkitException.class, () -> s.logits(colour)).getMessage();
            assertTrue(shape.startsWith("SavedModel " + tribuoExport + " input '"), shape);
            assertTrue(shape.contains("has shape [-1, 28, 28, 1], which fits images 3x32x32 (channels x height x width) in no layout"), shape);
        }
    }
}
