package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.MnistSample;
import org.junit.jupiter.api.Test;

/**
 * An ONNX model nobody here trained with calibkit: a tiny PyTorch CNN (2 conv layers, 9.3k
 * parameters, 1 epoch on 20,000 MNIST images, 96.2% test accuracy) made by
 * {@code examples/python/train_export_mnist.py} with Debian's python3-torch 1.13 and exported with
 * {@code torch.onnx.export} (NCHW input 'image' with a dynamic batch, output 'logits'). The same
 * script saved PyTorch's own float32 logits for the first 500 MNIST test images,
 * {@code pytorch_mnist_cnn_test_logits.npy}, computed with its documented preprocessing
 * {@code (x / 255 - 0.1307) / 0.3081}. Both files sit next to this test as resources (38 KB and
 * 20 KB). calibkit, given only that documented preprocessing, must reproduce those logits.
 */
class PyTorchOnnxTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PyTorchOnnxTest.class.getResource(name).toURI());
    }

    @Test
    void reproducesPyTorchsOwnLogitsWithTheDocumentedPreprocessing() throws Exception {
        ImageSet test = MnistSample.test(500);
        Logits torch = PredictionFiles.readLogits(resource("pytorch_mnist_cnn_test_logits.npy"));
        ModelOptions o = ModelOptions.defaults()
                .withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307}, new double[] {0.3081}, false));
        try (OnnxLogitSource s = OnnxLogitSource.open(resource("pytorch_mnist_cnn.onnx"), o)) {
            assertEquals("image", s.inputName());
            assertEquals("logits", s.outputName());
            assertArrayEquals(new long[] {-1, 1, 28, 28}, s.inputShape());
            assertEquals(Layout.NCHW, s.layoutFor(1, 28, 28));
            assertEquals(OutputKind.LOGITS, s.outputKind());
            assertEquals(Head.SOFTMAX, s.head());
            Logits z = s.logits(test);
            assertEquals(torch.n(), z.n());
            double worst = 0;
            for (int i = 0; i < z.n(); i++) {
                for (int c = 0; c < 10; c++) {
                    worst = Math.max(worst, Math.abs(z.get(i, c) - torch.get(i, c)));
                }
            }
            assertTrue(worst < 1e-4, "largest difference from PyTorch's logits: " + worst);
            int correct = 0;
            int[] pred = z.argmax();
            for (int i = 0; i < pred.length; i++) {
                correct += pred[i] == test.label(i) ? 1 : 0;
            }
            assertTrue(correct >= 450, "accuracy on the first 500 test images: " + correct + "/500");
        }
    }
}
