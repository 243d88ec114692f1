package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import org.calibkit.core.DataOrigin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files corrupted at a few hundred random positions (fixed seeds), and truncated: the readers
 * either read the file (a changed pixel is undetectable) or throw {@link DataFormatException};
 * nothing else ever escapes (no EOFException, ZipException, MFL exception, IndexOutOfBounds...).
 */
class CorruptionFuzzTest {
    @TempDir
    Path tmp;

    private static Path mnistCache;
    private static final DataOrigin O = new DataOrigin("fuzz", "test", "x", null, false);

    @BeforeAll
    static void realMnist() {
        mnistCache = DataFixtures.realMnistCache();
    }

    /** Outcome counts of one campaign. */
    private static final class Tally {
        int ok;
        int rejected;
    }

    /**
     * Runs {@code trials} corruptions of {@code original}: a third change a byte in the first
     * {@code headerBytes}, a third change a byte anywhere, a third truncate.
     *
     * @param mustRejectHeaderAndCuts whether header damage and truncation must always be detected
     */
    private Tally campaign(String name, byte[] original, int headerBytes, int trials, long seed,
                           boolean mustRejectHeaderAndCuts, Consumer<Path> reader) throws IOException {
        Random r = new Random(seed);
        long t0 = System.nanoTime();
        Tally t = new Tally();
        Path f = tmp.resolve(name);
        for (int i = 0; i < trials; i++) {
            int kind = i % 3;
            byte[] b;
            String what;
            if (kind == 2) {
                int len = r.nextInt(original.length);
                b = Arrays.copyOf(original, len);
                what = "truncated to " + len;
            } else {
                b = original.clone();
                int pos = kind == 0 ? r.nextInt(Math.min(headerBytes, b.length)) : r.nextInt(b.length);
                byte v;
                do {
                    v = (byte) r.nextInt(256);
                } while (v == b[pos]);
                b[pos] = v;
                what = "byte " + pos + " set to " + (v & 0xFF);
            }
            Files.write(f, b);
            try {
                reader.accept(f);
                t.ok++;
                if (mustRejectHeaderAndCuts && kind != 1) {
                    fail(name + " trial " + i + " (" + what + "): damage was not detected");
                }
            } catch (DataFormatException e) {
                t.rejected++;
                assertTrue(e.getMessage().contains(f.toString()), "message must name the file: " + e.getMessage());
            } catch (Throwable e) {
                fail(name + " trial " + i + " (" + what + "): undocumented " + e, e);
            }
        }
        System.out.printf("fuzz %s: %d trials, %d read, %d rejected (%.1f s)%n", name, trials, t.ok, t.rejected,
                (System.nanoTime() - t0) / 1e9);
        return t;
    }

    @Test
    void mnistTestImagesAndLabels() throws IOException {
        byte[] images = Files.readAllBytes(mnistCache.resolve("t10k-images-idx3-ubyte"));
        byte[] labels = Files.readAllBytes(mnistCache.resolve("t10k-labels-idx1-ubyte"));
        Path goodLabels = Files.write(tmp.resolve("labels"), labels);
        Path goodImages = Files.write(tmp.resolve("images"), images);
        Tally ti = campaign("t10k-images", images, 16, 120, 11, true,
                f -> IdxFiles.read(f, goodLabels, DataFixtures.digits(), O));
        IdxFiles.Images parsed = IdxFiles.parseImages(goodImages, images);
        Tally tl = campaign("t10k-labels", labels, 8, 150, 12, false, f -> IdxFiles.toImageSet(parsed, f,
                IdxFiles.parseLabels(f, IdxFiles.readBytes(f), 10), DataFixtures.digits(), O));
        assertTrue(ti.ok > 0 && tl.rejected > 100, "both outcomes seen");
    }

    @Test
    void notMnistGzipFiles() throws IOException {
        Path shared = SharedData.find();
        assumeTrue(shared != null, "no shared/data beside the checkout");
        Path dir = shared.resolve("notmnist");
        byte[] images = Files.readAllBytes(dir.resolve(NotMnistDataset.IMAGES.name()));
        byte[] labels = Files.readAllBytes(dir.resolve(NotMnistDataset.LABELS.name()));
        Path goodLabels = Files.write(tmp.resolve("labels.gz"), labels);
        Path goodImages = Files.write(tmp.resolve("images.gz"), images);
        campaign("notmnist-images.gz", images, 40, 60, 21, false,
                f -> IdxFiles.read(f, goodLabels, NotMnistDataset.CLASS_NAMES, O));
        IdxFiles.Images parsed = IdxFiles.parseImages(goodImages, IdxFiles.readBytes(goodImages));
        Tally tl = campaign("notmnist-labels.gz", labels, 40, 150, 22, false, f -> IdxFiles.toImageSet(parsed, f,
                IdxFiles.parseLabels(f, IdxFiles.readBytes(f), 10), NotMnistDataset.CLASS_NAMES, O));
        assertTrue(tl.rejected > 100, "gzip damage is mostly detected (CRC)");
    }

    @Test
    void uspsText() throws IOException {
        Path shared = SharedData.find();
        assumeTrue(shared != null, "no shared/data beside the checkout");
        byte[] text = Files.readAllBytes(shared.resolve("usps").resolve("zip.test"));
        Tally t = campaign("zip.test", text, 20, 90, 31, false, f -> UspsFiles.read(f, O));
        assertTrue(t.rejected > 0);
    }

    @Test
    void smallSvhnLayoutFiles() throws Exception {
        Path written = tmp.resolve("w.mat");
        SvhnFiles.write(DataFixtures.randomSvhnLike(30, 9), written);
        byte[] zipped = Files.readAllBytes(written);
        byte[] plain = Files.readAllBytes(Path.of(getClass().getResource("svhn_scipy_plain.mat").toURI()));
        Tally a = campaign("svhn-mfl.mat", zipped, 300, 150, 41, false, f -> SvhnFiles.read(f, "test"));
        Tally b = campaign("svhn-scipy-plain.mat", plain, 400, 150, 42, false, f -> SvhnFiles.read(f, "test"));
        assertTrue(a.rejected > 60 && b.rejected > 30, "damage is detected often");
        assertEquals(300, a.ok + a.rejected + b.ok + b.rejected);
    }
}
