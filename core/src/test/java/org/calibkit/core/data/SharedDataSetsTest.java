package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** USPS and notMNIST from the shared data directory beside the checkout. */
class SharedDataSetsTest {
    private static DataLocations loc;

    @BeforeAll
    static void needsSharedData() {
        assumeTrue(SharedData.find() != null, "no shared/data directory beside the checkout (" + SharedData.searched() + ")");
        loc = DataLocations.defaults(null).withUserDir(null).withProgress(ProgressListener.silent());
    }

    @Test
    void notMnistFromTheSharedDirectory() {
        // numpy on the gzipped files: labels[:10] = [3 5 9 2 7 2 9 8 5 3] (D F J C H C J I F D),
        // int(images.astype(np.int64).sum()) = 852906614, int(images[0].sum()) = 76873
        ImageSet s = DataCatalog.get("notmnist").load("test", loc);
        assertEquals(List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J"), s.classNames());
        assertArrayEquals(new int[] {3, 5, 9, 2, 7, 2, 9, 8, 5, 3}, Arrays.copyOf(s.labels(), 10));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, s.labelCounts());
        assertEquals(852906614.0, DataFixtures.sum(s.rawPixels(), 0, s.rawPixels().length), 0);
        assertEquals(76873.0, DataFixtures.sum(s.rawPixels(), 0, 784), 0);
        assertTrue(s.origin().verified());
    }

    @Test
    void uspsInMnistConvention() {
        // d = np.loadtxt('zip.test'); m = (d[:,1:].reshape(-1,16,16) + 1) * 127.5
        // z = [scipy.ndimage.zoom(im, 20/16, order=1, mode='nearest', grid_mode=True, prefilter=False)]
        // out = zeros((n,28,28)); out[:, 4:24, 4:24] = z
        // out.sum() = 54707199.247575, out[0].sum() = 27758.955750,
        // out[0,14,4:12] = [0, 0, 44.9055, 137.0306, 245.6479, 233.1529, 230.1273, 233.0381]
        ImageSet s = DataCatalog.get("usps").load("test", loc);
        assertEquals(2007, s.size());
        assertArrayEquals(new int[] {1, 28, 28}, s.shape());
        assertArrayEquals(new int[] {359, 264, 198, 166, 200, 160, 170, 147, 166, 177}, s.labelCounts());
        assertEquals(54707199.247575, DataFixtures.sum(s.rawPixels(), 0, s.rawPixels().length), 5.0);
        assertEquals(27758.955750, DataFixtures.sum(s.rawPixels(), 0, 784), 0.01);
        float[] row = Arrays.copyOfRange(s.image(0), 14 * 28 + 4, 14 * 28 + 12);
        double[] expected = {0, 0, 44.9055, 137.0306, 245.6479, 233.1529, 230.1273, 233.0381};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], row[k], 1e-3);
        }
        // the 4-pixel frame is black: MNIST's 20x20 box centred in 28x28
        for (int i = 0; i < s.size(); i++) {
            float[] img = s.image(i);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    if (r < 4 || r >= 24 || c < 4 || c >= 24) {
                        assertEquals(0f, img[r * 28 + c]);
                    }
                }
            }
        }
        assertTrue(s.origin().verified());
    }
}
