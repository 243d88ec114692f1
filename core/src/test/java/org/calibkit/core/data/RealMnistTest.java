package org.calibkit.core.data;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the acquisition chain on the real MNIST files share: the verified MNIST
 * cache they serve or copy from, a temporary directory, the progress lines and the locations
 * each test sets up.
 */
abstract class RealMnistTest {
    static Path realCache;

    @TempDir
    Path tmp;
    final DataFixtures.Recorder progress = new DataFixtures.Recorder();
    DataLocations loc;

    @BeforeAll
    static void realMnist() {
        realCache = DataFixtures.realMnistCache();
    }
}
