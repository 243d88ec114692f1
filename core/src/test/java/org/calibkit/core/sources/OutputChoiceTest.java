package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.open.OpenedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with a feature tensor next to its scores (the flattened image, 16 columns, before the
 * 3 class scores; written with core's test fixture {@link OnnxGraphs}, hence this package): opened
 * for images of 3 classes, the one output with 3 columns is read and the model section says so;
 * without the class count the choice is refused with the list, as before.
 */
class OutputChoiceTest {
    @Test
    void theOneOutputAsWideAsTheClassCountIsRead(@TempDir Path dir) {
        float[][] w = new float[3][16];
        for (int j = 0; j < 3; j++) {
            w[j][j] = 1;
        }
        Path f = new OnnxGraphs.Builder(1, 4, 4, w, new float[] {0.1f, 0.2f, 0.3f}).end(OnnxGraphs.End.SOFTMAX)
                .alsoFeatures().write(dir.resolve("two-outputs.onnx"));
        ModelOptions o = ModelOptions.defaults().withImageShape(1, 4, 4);
        // typed across the worker's protocol: the candidates travel as a list, not inside the wording
        AmbiguousOutputException e = assertThrows(AmbiguousOutputException.class, () -> OpenedModel.open(f, null, o));
        assertEquals(java.util.Set.of("y", "flat"), java.util.Set.copyOf(e.candidates())); // ONNX Runtime names outputs in no fixed order
        String refused = e.getMessage();
        assertTrue(refused.contains("several float outputs") && refused.contains("flat"), refused);
        try (OpenedModel m = OpenedModel.open(f, null, o, 3)) {
            // the model runs in the isolated worker: the output read is named in the model's details
            assertTrue(m.info().details().get("output").startsWith("'y'"), m.info().details().toString());
            assertEquals(3, m.source().classNames().size());
            assertTrue(m.info().details().get("output").contains("the only one with 3 columns"), m.info().details().toString());
        }
        assertThrows(CalibkitException.class, () -> OpenedModel.open(f, null, o, 5), "no output with 5 columns");
    }
}
