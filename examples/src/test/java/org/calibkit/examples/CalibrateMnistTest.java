package org.calibkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Runs the end-to-end example on real MNIST (fetched through the data chain) with 3,000
 * training images, so it stays small. Properties, not pinned numbers: the numbers come from a
 * trained model and are checked for what must hold whatever the weights are.
 */
class CalibrateMnistTest {
    @Test
    void trainsCalibratesAndReports() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CalibrateMnist.Result r = CalibrateMnist.run(3_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // the published size of the MNIST test set
        assertEquals(10_000, r.before().n());
        // far above chance (0.1) for softmax regression on 3,000 images
        assertTrue(r.before().accuracy() > 0.8, "accuracy " + r.before().accuracy());
        // dividing logits by T > 0 never changes the argmax: accuracy is exactly the same
        assertEquals(r.before().accuracy(), r.after().accuracy(), 0.0);
        // the fit is an optimum of the validation NLL, and T = 1 was a candidate
        assertTrue(r.temperature().converged());
        assertTrue(r.temperature().nllAfter() <= r.temperature().nllBefore());
        assertTrue(r.temperature().temperature() > 0 && Double.isFinite(r.temperature().temperature()));
        // the table is printed with every metric key
        String text = bytes.toString(StandardCharsets.UTF_8);
        for (String key : r.before().toMap().keySet()) {
            assertTrue(text.contains(key), "missing " + key + " in\n" + text);
        }
    }
}
