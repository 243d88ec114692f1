package org.calibkit.report.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.core.data.MnistSample;
import org.junit.jupiter.api.Test;

/**
 * The example grid as pixels: its size is fixed by the layout (a 2-pixel gap around every cell,
 * cells {@code zoom} times the image), the first column is the clean image enlarged by nearest
 * neighbour, and the rows are capped at {@link ExampleGrid#MAX_ROWS}.
 */
class ExampleGridTest {
    @Test
    void theFirstColumnIsTheCleanImageEnlarged() {
        ImageSet test = MnistSample.test(3); // real MNIST test images from the test resources
        List<Corruption> two = Corruptions.family("mnist-c").subList(0, 2);
        ExampleGrid g = ExampleGrid.of(test, 1, two, 7L, 2);
        assertEquals(1, g.channels());
        assertEquals(2 * (28 * 2 + 2) + 2, g.height());
        assertEquals(6 * (28 * 2 + 2) + 2, g.width());
        assertEquals(List.of(two.get(0).key(), two.get(1).key()), g.rows());
        float[] image = test.image(1);
        float[] v = g.values();
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                assertEquals(image[(y / 2) * 28 + x / 2], v[(2 + y) * g.width() + 2 + x], 0f, "at " + x + "," + y);
            }
        }
        assertEquals(0x80, v[0], 0f); // the gap is grey
    }

    @Test
    void atMostFifteenRows() {
        List<Corruption> many = Corruptions.all();
        ExampleGrid g = ExampleGrid.of(MnistSample.test(1), 0, many.subList(0, Math.min(many.size(), 20)), 1L, 1);
        assertEquals(Math.min(ExampleGrid.MAX_ROWS, many.size()), g.rows().size());
    }
}
