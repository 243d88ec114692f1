package org.calibkit.core.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ImageFolders.Options;
import org.calibkit.core.data.images.ImageFolders.Options.Channels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {
    @TempDir
    Path dir;

    /** 6x6 grey ramp v = (6y + x) * 7. */
    private static int[][] ramp() {
        int[][] v = new int[6][6];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                v[y][x] = (6 * y + x) * 7;
            }
        }
        return v;
    }

    private static float[] flat(int[][] v) {
        float[] f = new float[v.length * v[0].length];
        for (int y = 0; y < v.length; y++) {
            for (int x = 0; x < v[0].length; x++) {
                f[y * v[0].length + x] = v[y][x];
            }
        }
        return f;
    }

    private static int[][] constant(int h, int w, int value) {
        int[][] v = new int[h][w];
        for (int[] row : v) {
            Arrays.fill(row, value);
        }
        return v;
    }

    @Test
    void foldersGiveSortedClassesAndExactPngValues() throws IOException {
        // class folders created out of order; names sort as strings: c10 before c2
        Path b = Files.createDirectories(dir.resolve("b"));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path c2 = Files.createDirectories(dir.resolve("c2"));
        Path c10 = Files.createDirectories(dir.resolve("c10"));
        Png.writeGray(b.resolve("2.png"), constant(6, 6, 200));
        Png.writeGray(b.resolve("1.PNG"), ramp());
        Png.writeGray(a.resolve("x.png"), constant(6, 6, 128));
        Png.writeGray(c2.resolve("y.png"), constant(6, 6, 1));
        Png.writeGray(c10.resolve("z.png"), constant(6, 6, 254));
        Files.writeString(a.resolve("README.txt"), "not an image");
        Files.writeString(a.resolve(".hidden.png"), "ignored");
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(a.resolve("nested"));

        ImageSet set = ImageFolders.readFolders(dir, "train", Options.defaults());
        assertEquals(List.of("a", "b", "c10", "c2"), set.classNames());
        assertArrayEquals(new int[] {0, 1, 1, 2, 3}, set.labels());
        assertArrayEquals(new int[] {1, 6, 6}, set.shape());
        // grey 128 stays 128 (no gamma mapping), files in name order within a class: 1.PNG before 2.png
        assertTrue(allEqual(set.image(0), 128f));
        assertArrayEquals(flat(ramp()), set.image(1));
        assertTrue(allEqual(set.image(2), 200f));
        assertTrue(allEqual(set.image(3), 254f));
        assertTrue(allEqual(set.image(4), 1f));
        assertEquals("image-folder", set.origin().dataset());
        assertEquals("train", set.origin().split());
    }

    @Test
    void rgbPngValuesAreExactAndGreyConversionUsesRec601() throws IOException {
        int[][][] rgb = {constant(2, 3, 10), constant(2, 3, 200), constant(2, 3, 30)};
        rgb[0][1][2] = 255;
        rgb[1][1][2] = 0;
        rgb[2][1][2] = 7;
        Path f = dir.resolve("c.png");
        Png.writeRgb(f, rgb);
        ImageSet keep = ImageFolders.readFiles(List.of(f), Options.defaults());
        assertArrayEquals(new int[] {3, 2, 3}, keep.shape());
        float[] img = keep.image(0);
        assertEquals(10f, img[0]);
        assertEquals(200f, img[6]);
        assertEquals(30f, img[12]);
        assertEquals(255f, img[5]);
        assertEquals(0f, img[6 + 5]);
        assertEquals(7f, img[12 + 5]);

        ImageSet grey = ImageFolders.readFiles(List.of(f), Options.defaults().withChannels(Channels.GRAY));
        // 0.299*10 + 0.587*200 + 0.114*30 = 123.81 ; 0.299*255 + 0.114*7 = 77.043
        assertEquals(123.81f, grey.image(0)[0], 1e-3);
        assertEquals(77.043f, grey.image(0)[5], 1e-3);

        ImageSet inverted = ImageFolders.readFiles(List.of(f), Options.defaults().withChannels(Channels.GRAY).inverted(true));
        assertEquals(255 - 123.81f, inverted.image(0)[0], 1e-3);
    }

    @Test
    void otherPngKindsAreScaledExactly() throws IOException {
        // 16-bit grey: v * 255 / 65535
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 257 * 100);
        // 1-bit (as Omniglot's): 0 and 255
        BufferedImage bits = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        bits.getRaster().setSample(1, 0, 0, 1);
        // colour palette
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {(byte) 250, 3}, new byte[] {5, 4},
                new byte[] {6, (byte) 130});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster r = indexed.getRaster();
        r.setSample(0, 0, 0, 1);
        r.setSample(1, 0, 0, 0);
        // RGBA: transparent pixels are composited onto white; alpha 51/255 = 0.2 over white:
        // 100*0.2 + 255*0.8 = 224
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.getRaster().setPixel(0, 0, new int[] {100, 100, 100, 51});
        rgba.getRaster().setPixel(1, 0, new int[] {1, 2, 3, 255});
        Path f16 = write(g16, "g16.png");
        Path fb = write(bits, "bits.png");
        Path fi = write(indexed, "idx.png");
        Path fa = write(rgba, "rgba.png");

        assertArrayEquals(new float[] {255f, 100f}, ImageFolders.readFiles(List.of(f16), Options.defaults()).image(0));
        ImageSet b = ImageFolders.readFiles(List.of(fb), Options.defaults());
        assertEquals(1, b.channels());
        assertArrayEquals(new float[] {0f, 255f}, b.image(0));
        assertArrayEquals(new float[] {3f, 250f, 4f, 5f, 130f, 6f},
                ImageFolders.readFiles(List.of(fi), Options.defaults()).image(0));
        assertArrayEquals(new float[] {224f, 1f, 224f, 2f, 224f, 3f},
                ImageFolders.readFiles(List.of(fa), Options.defaults()).image(0), 1e-4f);
    }

    @Test
    void resizeUsesAreaAveragingWhenShrinking() throws IOException {
        Path f = dir.resolve("r.png");
        Png.writeGray(f, ramp());
        ImageSet set = ImageFolders.readFiles(List.of(f), Options.defaults().resize(4, 4));
        // python3: a = ((6y+x)*7); r = np.repeat(np.repeat(a,2,0),2,1); r.reshape(4,3,4,3).mean(axis=(1,3))
        float[] expected = {
            16.333333f, 25.666667f, 37.333333f, 46.666667f,
            72.333333f, 81.666667f, 93.333333f, 102.666667f,
            142.333333f, 151.666667f, 163.333333f, 172.666667f,
            198.333333f, 207.666667f, 219.333333f, 228.666667f};
        assertArrayEquals(expected, set.image(0), 1e-3f);
        // the one-pass path (size and channels known up front) gives the same values
        ImageSet onePass = ImageFolders.readFiles(List.of(f), Options.defaults().resize(4, 4).withChannels(Channels.GRAY));
        assertArrayEquals(set.image(0), onePass.image(0));
    }

    @Test
    void resizeEnlargingOneAxisAndShrinkingTheOther() throws IOException {
        int[][] v = {
            {10, 20, 30, 40, 50, 60}, {60, 50, 40, 30, 20, 10}, {0, 0, 255, 255, 0, 0},
            {5, 15, 25, 35, 45, 55}, {100, 100, 100, 100, 100, 100}, {7, 8, 9, 10, 11, 12}};
        Path f = dir.resolve("m.png");
        Png.writeGray(f, v);
        ImageSet set = ImageFolders.readFiles(List.of(f), Options.defaults().resize(9, 4));
        // python3 with scipy: up = ndimage.zoom(b, (1.5, 1), order=1, grid_mode=True, mode='nearest');
        // then area 6->4 along x: np.repeat(up, 2, 1).reshape(9, 4, 3).mean(axis=2)
        float[] row2 = {47.2222f, 64.4444f, 50.5556f, 11.1111f};
        float[] row3 = {9.4444f, 148.8889f, 146.1111f, 2.2222f};
        float[] row8 = {7.3333f, 8.6667f, 10.3333f, 11.6667f};
        float[] img = set.image(0);
        assertArrayEquals(row2, Arrays.copyOfRange(img, 8, 12), 1e-3f);
        assertArrayEquals(row3, Arrays.copyOfRange(img, 12, 16), 1e-3f);
        assertArrayEquals(row8, Arrays.copyOfRange(img, 32, 36), 1e-3f);
    }

    @Test
    void jpegIsReadApproximately() throws IOException {
        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.setRGB(x, y, (180 << 16) | (40 << 8) | 90);
                grey.getRaster().setSample(x, y, 0, 77);
            }
        }
        Path fr = dir.resolve("c").resolve("rgb.jpg");
        Files.createDirectories(fr.getParent());
        assertTrue(ImageIO.write(rgb, "jpeg", fr.toFile()));
        Path fg = dir.resolve("c").resolve("grey.JPEG");
        assertTrue(ImageIO.write(grey, "jpeg", fg.toFile()));

        ImageSet set = ImageFolders.readFolders(dir, "x", Options.defaults());
        // KEEP with one colour file: 3 channels; grey.JPEG (sorted first) is replicated
        assertEquals(3, set.channels());
        assertEquals(2, set.size());
        float[] g = set.image(0);
        float[] c = set.image(1);
        for (int p = 0; p < 256; p++) {
            assertEquals(77, g[p], 2);
            assertEquals(g[p], g[256 + p]);
            assertEquals(g[p], g[512 + p]);
            // lossy: a flat colour comes back within a few levels (chroma subsampling and rounding)
            assertEquals(180, c[p], 6);
            assertEquals(40, c[256 + p], 6);
            assertEquals(90, c[512 + p], 6);
        }
    }

    @Test
    void mixedSizesAreRefusedNamingTheFileOrResizedWhenAsked() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Png.writeGray(a.resolve("1.png"), constant(6, 6, 9));
        Png.writeGray(a.resolve("2.png"), constant(5, 7, 9));
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFolders(dir, "x", Options.defaults()));
        assertTrue(e.getMessage().contains("2.png") && e.getMessage().contains("7x5"), e.getMessage());
        ImageSet set = ImageFolders.readFolders(dir, "x", Options.defaults().resize(4, 4));
        assertArrayEquals(new int[] {1, 4, 4}, set.shape());
        assertTrue(allEqual(set.image(1), 9f));   // a constant stays constant through any resize
    }

    @Test
    void corruptFilesAreNamed() throws IOException {
        Path ok = dir.resolve("ok.png");
        Png.writeGray(ok, ramp());
        byte[] good = Files.readAllBytes(ok);

        Path garbage = dir.resolve("garbage.png");
        Files.write(garbage, "this is not an image".getBytes());
        assertNamed(garbage);

        Path truncatedPng = dir.resolve("truncated.png");
        Files.write(truncatedPng, Arrays.copyOf(good, good.length / 2));
        assertNamed(truncatedPng);

        Path badCrc = dir.resolve("crc.png");
        byte[] flipped = good.clone();
        flipped[40] ^= 0x55;   // inside the IDAT data
        Files.write(badCrc, flipped);
        assertNamed(badCrc);

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4 << 16) | (y * 4 << 8) | ((x ^ y) & 0xFF));
            }
        }
        Path jpg = dir.resolve("full.jpg");
        ImageIO.write(img, "jpeg", jpg.toFile());
        byte[] j = Files.readAllBytes(jpg);
        Path truncatedJpg = dir.resolve("truncated.jpg");
        Files.write(truncatedJpg, Arrays.copyOf(j, j.length * 2 / 3));
        assertNamed(truncatedJpg);

        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        assertNamed(empty);
    }

    private void assertNamed(Path bad) {
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFiles(List.of(bad), Options.defaults()));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void emptyAndMissingFoldersGetClearMessages() throws IOException {
        CalibkitException missing = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFolders(dir.resolve("nope"), "x", Options.defaults()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        CalibkitException noClasses = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFolders(dir, "x", Options.defaults()));
        assertTrue(noClasses.getMessage().contains("no class subfolders"), noClasses.getMessage());

        Path cat = Files.createDirectories(dir.resolve("cat"));
        Files.writeString(cat.resolve("notes.txt"), "x");
        CalibkitException emptyClass = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFolders(dir, "x", Options.defaults()));
        assertTrue(emptyClass.getMessage().contains(cat.toString())
                && emptyClass.getMessage().contains("no image files"), emptyClass.getMessage());

        CalibkitException noFiles = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFiles(List.of(), Options.defaults()));
        assertTrue(noFiles.getMessage().contains("no image files"), noFiles.getMessage());
        CalibkitException notThere = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFiles(List.of(dir.resolve("gone.png")), Options.defaults()));
        assertTrue(notThere.getMessage().contains("gone.png"), notThere.getMessage());
    }

    @Test
    void singleFilesForPrediction() throws IOException {
        Path f = dir.resolve("digit.png");
        Png.writeGray(f, constant(28, 28, 255));
        ImageSet unknown = ImageFolders.readFiles(List.of(f), Options.defaults());
        assertEquals(List.of("unknown"), unknown.classNames());
        assertEquals("unlabelled", unknown.origin().split());
        assertEquals(0, unknown.label(0));

        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        ImageSet seven = ImageFolders.readFiles(List.of(f, f), digits, "7", Options.mnistLike());
        assertArrayEquals(new int[] {7, 7}, seven.labels());
        assertArrayEquals(new int[] {1, 28, 28}, seven.shape());
        assertTrue(allEqual(seven.image(1), 0f));   // white paper inverted to MNIST's black

        CalibkitException bad = assertThrows(CalibkitException.class,
                () -> ImageFolders.readFiles(List.of(f), digits, "x", Options.defaults()));
        assertTrue(bad.getMessage().contains("'x'"), bad.getMessage());
        assertThrows(CalibkitException.class, () -> new Options(28, 0, false, Channels.KEEP));
        assertThrows(CalibkitException.class, () -> new Options(-1, -1, false, Channels.KEEP));
    }

    private Path write(BufferedImage img, String name) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }
}
