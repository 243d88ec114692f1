package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fashion-MNIST from the Debian package dataset-fashion-mnist, into a fresh cache for each test. Reference
 * numbers: numpy on the gzipped files (labels[:10], image sums, np.bincount of the last 5000
 * training labels) and the published 6,000 / 1,000 images per class.
 */
class FashionMnistTest {
    @TempDir
    Path cache;
    private DataLocations loc;

    @BeforeAll
    static void needsDebianPackage() {
        assumeTrue(Files.isDirectory(FashionMnist.SYSTEM_DIR),
                "Fashion-MNIST tests need /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
    }

    @BeforeEach
    void freshCache() {
        loc = DataLocations.defaults(null).withUserDir(null).withCacheDir(cache).withNetwork(false, false)
                .withProgress(ProgressListener.silent());
    }

    @Test
    void availableFromTheSystemPackageThenFromTheCache() {
        Dataset fm = DataCatalog.get("fashion-mnist");
        assertTrue(fm.availability(loc).source().contains("system package"), fm.availability(loc).toString());
        ImageSet test = fm.load("test", loc);
        assertTrue(fm.availability(loc).source().contains("cache"), fm.availability(loc).toString());
        assertEquals(FashionMnist.CLASS_NAMES, test.classNames());
        assertEquals("Ankle boot", test.classNames().get(9));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.labelCounts());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        double s = 0;
        for (float v : test.rawPixels()) {
            s += v;
        }
        assertEquals(573469082.0, s, 0);
        assertTrue(test.origin().verified());
    }

    @Test
    void trainingSplits() {
        Dataset fm = DataCatalog.get("fashion-mnist");
        ImageSet full = fm.load("train-full", loc);
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, full.labelCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(full.labels(), 10));
        double s0 = 0;
        for (float v : full.image(0)) {
            s0 += v;
        }
        assertEquals(76247.0, s0, 0);
        ImageSet val = fm.load("validation", loc);
        assertArrayEquals(new int[] {521, 497, 490, 508, 527, 503, 467, 450, 515, 522}, val.labelCounts());
        assertEquals(55000, fm.load("train", loc).size());
    }
}
