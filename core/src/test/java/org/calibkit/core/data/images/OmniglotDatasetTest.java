package org.calibkit.core.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.DataUnavailableException;
import org.calibkit.core.data.ProgressListener;
import org.calibkit.core.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OmniglotDatasetTest {
    private static Path shared;
    private static ImageSet all;

    @TempDir
    Path tmp;

    /** The real set from shared/data/omniglot, loaded once; tests needing it skip with a reason without it. */
    private static synchronized ImageSet real() {
        if (all == null) {
            shared = SharedData.find();
            assumeTrue(shared != null && Files.isDirectory(shared.resolve("omniglot")),
                    "no shared/data/omniglot beside the checkout");
            DataLocations loc = new DataLocations(null, Path.of("target", "cache-unused"), shared, false, false,
                    ProgressListener.silent());
            all = DataCatalog.get("omniglot").load("test", loc);
        }
        return all;
    }

    private static Path small(int k) {
        return shared.resolve("omniglot").resolve("images_background_small" + k + ".zip");
    }

    private static final DataOrigin ORIGIN = new DataOrigin("omniglot", "test", "x", null, false);

    @Test
    void countsMatchTheReadmeWithTheSharedGreekAndLatinCountedOnce() {
        real();
        // README: small1 2720 PNGs, small2 3120; Greek (480) and Latin (520) are in both, byte-identical
        List<String> classes = new OmniglotDataset().classNames();
        ImageSet second = OmniglotDataset.read(List.of(small(2)), classes, ORIGIN);
        assertEquals(3120, second.size());
        assertEquals(2720 + 3120 - 1000, all.size());   // so small1 gave 2720 (it has no duplicates within)
        // small2 alone: Greek 480, Japanese 940, Latin 520, Sanskrit 840, Tagalog 340
        assertArrayEquals(new int[] {0, 0, 480, 940, 0, 520, 840, 340}, second.labelCounts());
        // Balinese, Early_Aramaic, Greek, Japanese_(katakana), Korean, Latin, Sanskrit, Tagalog (README)
        assertArrayEquals(new int[] {480, 440, 480, 940, 800, 520, 840, 340}, all.labelCounts());
        assertArrayEquals(new int[] {1, 28, 28}, all.shape());
        assertTrue(all.origin().verified());
    }

    @Test
    void pixelRangeAndMnistPolarity() {
        real();
        float[] px = all.rawPixels();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertTrue(max <= 255f && max > 250f, "max " + max);
        double mean = sum / px.length;
        assertTrue(mean > 5 && mean < 50, "mean " + mean);   // thin white strokes on black
        double border = 0;
        for (int i = 0; i < all.size(); i++) {
            float[] img = all.image(i);
            for (int k = 0; k < 28; k++) {
                border += img[k] + img[27 * 28 + k] + img[k * 28] + img[k * 28 + 27];
            }
            float[] sorted = img.clone();
            java.util.Arrays.sort(sorted);
            double imageMean = 0;
            for (float v : img) {
                imageMean += v;
            }
            imageMean /= img.length;
            // background is black: the median pixel of every image is (near) 0
            assertTrue(sorted[392] < 5, "image " + i + ": median " + sorted[392] + " (background not dark)");
            assertTrue(imageMean > 3, "image " + i + ": no visible stroke, mean " + imageMean);
        }
        border /= all.size() * 112.0;
        assertTrue(border < 5, "mean of the border pixels " + border);
    }

    @Test
    void firstImageEqualsAnIndependentAreaAverage() throws IOException {
        real();
        // first entry by name of small1; independent reference: getRGB of the 1-bit PNG, inverted,
        // each pixel repeated 4x4 (105*4 = 420 = 28*15), then 15x15 block means = exact area average
        BufferedImage png;
        try (ZipFile z = new ZipFile(small(1).toFile())) {
            png = ImageIO.read(z.getInputStream(z.getEntry("images_background_small1/Balinese/character01/0108_01.png")));
        }
        assertEquals(105, png.getWidth());
        double[] expected = new double[28 * 28];
        for (int y = 0; y < 420; y++) {
            for (int x = 0; x < 420; x++) {
                int v = 255 - (png.getRGB(x / 4, y / 4) & 0xFF);
                expected[(y / 15) * 28 + x / 15] += v / 225.0;
            }
        }
        float[] got = all.image(0);
        for (int p = 0; p < 784; p++) {
            assertEquals(expected[p], got[p], 1e-3, "pixel " + p);
        }
    }

    @Test
    void corruptZipIsNamed() throws IOException {
        real();
        Path dir = Files.createDirectories(tmp.resolve("omniglot"));
        Files.write(dir.resolve("images_background_small1.zip"), "PK\u0003\u0004 this is not a zip".getBytes());
        Files.copy(small(2), dir.resolve("images_background_small2.zip"));
        CalibkitException e = assertThrows(CalibkitException.class, () -> loadFrom(tmp, ProgressListener.silent()));
        assertTrue(e.getMessage().contains(dir.resolve("images_background_small1.zip").toString())
                && e.getMessage().contains("zip"), e.getMessage());
    }

    @Test
    void damagedEntryDataIsNamed() throws IOException {
        real();
        // flip bytes inside the compressed data of the first PNG: the inflater or the CRC check fails
        byte[] zip = Files.readAllBytes(small(1));
        int at = indexOf(zip, "0108_01.png".getBytes()) + "0108_01.png".length() + 40;
        for (int k = 0; k < 8; k++) {
            zip[at + k] ^= (byte) 0xA5;
        }
        Path bad = tmp.resolve("bad.zip");
        Files.write(bad, zip);
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> OmniglotDataset.read(List.of(bad), new OmniglotDataset().classNames(), ORIGIN));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("0108_01.png"), e.getMessage());
    }

    @Test
    void corruptPngInsideTheZipNamesZipAndEntry() throws IOException {
        Path z = zip(tmp.resolve("png.zip"), List.of("top/Greek/character01/ok.png", "top/Greek/character01/bad.png"),
                List.of(strokePng(), "not a png".getBytes()));
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> OmniglotDataset.read(List.of(z), new OmniglotDataset().classNames(), ORIGIN));
        assertTrue(e.getMessage().contains(z + "!top/Greek/character01/bad.png"), e.getMessage());
    }

    @Test
    void pathTraversalEntriesAreRefused() throws IOException {
        for (String evil : List.of("top/../../evil.png", "/etc/evil.png", "top\\..\\evil.png", "C:/evil.png")) {
            Path z = zip(tmp.resolve("evil.zip"), List.of(evil), List.of(strokePng()));
            CalibkitException e = assertThrows(CalibkitException.class,
                    () -> OmniglotDataset.read(List.of(z), new OmniglotDataset().classNames(), ORIGIN));
            assertTrue(e.getMessage().contains("unsafe path") && e.getMessage().contains(evil), e.getMessage());
        }
        Path z = zip(tmp.resolve("deep.zip"), List.of("top/Greek/x/y/deep.png"), List.of(strokePng()));
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> OmniglotDataset.read(List.of(z), new OmniglotDataset().classNames(), ORIGIN));
        assertTrue(e.getMessage().contains("top/Greek/x/y/deep.png"), e.getMessage());
    }

    @Test
    void userCopiesThatDifferFromThePinsLoadWithAWarning() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("omniglot"));
        zip(dir.resolve("images_background_small1.zip"), List.of("a/Greek/c/1.png"), List.of(strokePng()));
        zip(dir.resolve("images_background_small2.zip"), List.of("b/Tagalog/c/1.png"), List.of(strokePng()));
        List<String> warnings = new ArrayList<>();
        ProgressListener p = new ProgressListener() {
            @Override
            public void message(String line) { }

            @Override
            public void warning(String line) {
                warnings.add(line);
            }
        };
        ImageSet set = loadFrom(tmp, p);
        assertEquals(2, set.size());
        assertArrayEquals(new int[] {2, 7}, set.labels());
        assertFalse(set.origin().verified());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("SHA-256"), warnings.get(0));
        // a black 8x8 square on white (x, y in 40..47) becomes white on black: 28-grid cells fully
        // inside it are 255; cells away from it are 0
        float[] img = set.image(0);
        assertEquals(255f, img[11 * 28 + 11]);
        assertEquals(0f, img[0]);
    }

    @Test
    void missingDataAndUnknownSplitGetClearMessages() {
        OmniglotDataset ds = new OmniglotDataset();
        DataLocations nowhere = new DataLocations(tmp, tmp.resolve("cache"), null, false, false, ProgressListener.silent());
        DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> ds.load("test", nowhere));
        assertTrue(e.getMessage().contains("images_background_small1.zip"), e.getMessage());
        assertFalse(ds.availability(nowhere).available());
        CalibkitException s = assertThrows(CalibkitException.class, () -> ds.load("train", nowhere));
        assertTrue(s.getMessage().contains("'train'") && s.getMessage().contains("test"), s.getMessage());
    }

    private static ImageSet loadFrom(Path userDir, ProgressListener p) {
        return new OmniglotDataset().load("test", new DataLocations(userDir, userDir.resolve("cache"), null, false,
                false, p));
    }

    /** A 105x105 1-bit PNG, white with a black 8x8 square at x, y in 40..47. */
    private static byte[] strokePng() throws IOException {
        BufferedImage img = new BufferedImage(105, 105, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 105; y++) {
            for (int x = 0; x < 105; x++) {
                boolean ink = x >= 40 && x < 48 && y >= 40 && y < 48;
                img.getRaster().setSample(x, y, 0, ink ? 0 : 1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static Path zip(Path file, List<String> names, List<byte[]> contents) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zs = new ZipOutputStream(os)) {
            for (int i = 0; i < names.size(); i++) {
                zs.putNextEntry(new ZipEntry(names.get(i)));
                zs.write(contents.get(i));
                zs.closeEntry();
            }
        }
        return file;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
