package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SVHN from files a user placed (small files in the real layout; they cannot match the published MD5s). */
class SvhnDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void userFilesLoadUnverifiedWithAWarningAndSplitsFollowTheConvention() throws Exception {
        Path dir = tmp.resolve("data/svhn");
        SvhnFiles.write(DataFixtures.randomSvhnLike(5010, 5), dir.resolve("train_32x32.mat"));
        SvhnFiles.write(DataFixtures.randomSvhnLike(20, 6), dir.resolve("test_32x32.mat"));
        List<String> warnings = new ArrayList<>();
        DataLocations loc = new DataLocations(tmp.resolve("data"), tmp.resolve("cache"), null, false, false,
                DataFixtures.progress(line -> { }, warnings::add));
        Dataset svhn = DataCatalog.get("svhn");
        assertTrue(svhn.availability(loc).available());
        assertEquals(dir.toString(), svhn.availability(loc).source());
        ImageSet test = svhn.load("test", loc);
        assertEquals(20, test.size());
        assertArrayEquals(new int[] {3, 32, 32}, test.shape());
        assertFalse(test.origin().verified());
        assertTrue(warnings.get(0).contains("does not match the published MD5"), warnings.toString());
        ImageSet train = svhn.load("train", loc);
        ImageSet val = svhn.load("validation", loc);
        assertEquals(10, train.size());
        assertEquals(5000, val.size());
        assertArrayEquals(DataFixtures.randomSvhnLike(5010, 5).image(5009), val.image(4999));
        // fetch does not copy unverified files into the cache
        svhn.fetch(loc, loc.progress());
        assertFalse(Files.exists(tmp.resolve("cache/svhn/test_32x32.mat")));
    }
}
