package org.calibkit.core.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The direct grey-PNG decoder against {@code javax.imageio} (ImageDecoding's stream path, the
 * reference): the files are written here from the PNG specification (every bit depth, every row
 * filter, widths that leave padding bits), so the reference decodes bytes neither decoder wrote.
 */
class GreyPngTest {
    /** A PNG of grey samples {@code s[y][x]} (each below 2^depth), row y written with filter {@code filters[y % 5]}. */
    private static byte[] png(int depth, int[][] s, int[] filters, List<String> extraBeforeIdat, boolean splitIdat)
            throws IOException {
        int h = s.length;
        int w = s[0].length;
        int rowBytes = (w * depth + 7) / 8;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] prev = new byte[rowBytes];
        for (int y = 0; y < h; y++) {
            byte[] row = new byte[rowBytes];
            for (int x = 0; x < w; x++) {
                int perByte = 8 / depth;
                row[x / perByte] |= (byte) (s[y][x] << (8 - depth * (x % perByte + 1)));
            }
            int f = filters[y % filters.length];
            raw.write(f);
            for (int i = 0; i < rowBytes; i++) {
                int a = i > 0 ? row[i - 1] & 0xFF : 0;
                int b = prev[i] & 0xFF;
                int c = i > 0 ? prev[i - 1] & 0xFF : 0;
                int pred = switch (f) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    default -> paeth(a, b, c);
                };
                raw.write(((row[i] & 0xFF) - pred) & 0xFF);
            }
            prev = row;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(depth);
        d.writeInt(0); // grey, deflate, filter method 0, not interlaced
        Png.chunk(out, "IHDR", ihdr.toByteArray());
        for (String type : extraBeforeIdat) {
            Png.chunk(out, type, type.equals("tIME") ? new byte[] {7, (byte) 0xDF, 10, 21, 12, 0, 0} : new byte[] {0, 0, 0, 0});
        }
        byte[] z = deflate(raw.toByteArray());
        if (splitIdat) {
            Png.chunk(out, "IDAT", java.util.Arrays.copyOf(z, z.length / 2));
            Png.chunk(out, "tEXt", "Comment\0split".getBytes(StandardCharsets.ISO_8859_1));
            Png.chunk(out, "IDAT", java.util.Arrays.copyOfRange(z, z.length / 2, z.length));
        } else {
            Png.chunk(out, "IDAT", z);
        }
        Png.chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] deflate(byte[] raw) {
        Deflater def = new Deflater(6);
        def.setInput(raw);
        def.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!def.finished()) {
            z.write(buf, 0, def.deflate(buf));
        }
        def.end();
        return z.toByteArray();
    }

    private static int[][] samples(int depth, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] s = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s[y][x] = r.nextInt(1 << depth);
            }
        }
        return s;
    }

    private static ImageDecoding.Decoded reference(byte[] png) {
        return ImageDecoding.decode(new ByteArrayInputStream(png), "reference");
    }

    private static void assertSame(ImageDecoding.Decoded expected, ImageDecoding.Decoded actual) {
        assertEquals(expected.channels(), actual.channels());
        assertEquals(expected.height(), actual.height());
        assertEquals(expected.width(), actual.width());
        assertArrayEquals(expected.pixels(), actual.pixels());
    }

    @Test
    void everyDepthAndFilterGivesJavaImageReadersValues() throws IOException {
        int[][] filterSets = {{0}, {1}, {2}, {3}, {4}, {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}};
        for (int depth : new int[] {1, 2, 4, 8}) {
            for (int w : new int[] {1, 7, 13, 105}) {
                for (int[] filters : filterSets) {
                    byte[] png = png(depth, samples(depth, 9, w, depth * 1000L + w), filters, List.of(), false);
                    ImageDecoding.Decoded fast = GreyPng.decode(png);
                    assertNotNull(fast, "depth " + depth + ", width " + w);
                    assertSame(reference(png), fast);
                    assertSame(reference(png), ImageDecoding.decode(png, "x.png"));
                }
            }
        }
    }

    @Test
    void metadataChunksAreSkipped() throws IOException {
        byte[] png = png(1, samples(1, 20, 20, 3), new int[] {0, 1, 2, 3, 4}, List.of("tIME", "pHYs"), false);
        assertSame(reference(png), GreyPng.decode(png));
    }

    /** What it does not take goes to the image reader: same pixels, or the same error, as before. */
    @Test
    void unusualFilesAreLeftToTheImageReader() throws IOException {
        byte[] split = png(8, samples(8, 10, 10, 4), new int[] {2}, List.of(), true);
        assertNull(GreyPng.decode(split));
        // Java's reader does not read image data split by another chunk: refused as before
        assertThrows(CalibkitException.class, () -> reference(split));
        assertThrows(CalibkitException.class, () -> ImageDecoding.decode(split, "split.png"));
        byte[] gamma = png(8, samples(8, 10, 10, 5), new int[] {1}, List.of("gAMA"), false);
        assertNull(GreyPng.decode(gamma));
        byte[] transparent = png(8, samples(8, 10, 10, 5), new int[] {1}, List.of("tRNS"), false);
        assertNull(GreyPng.decode(transparent));
        // an unknown row filter (5): refused by the reader as before, with the file named
        byte[] bad = png(8, samples(8, 4, 4, 6), new int[] {5}, List.of(), false);
        assertNull(GreyPng.decode(bad));
        CalibkitException e = assertThrows(CalibkitException.class, () -> ImageDecoding.decode(bad, "bad.png"));
        assertEquals(true, e.getMessage().contains("bad.png"), e.getMessage());
    }

    /** Every PNG of the Omniglot zips in the shared data directory, when it is here, decodes as Java's reader decodes it. */
    @Test
    void omniglotsPngsDecodeAsJavaImageReaderDecodesThem() throws IOException {
        Path shared = SharedData.find();
        assumeTrue(shared != null && Files.isRegularFile(shared.resolve("omniglot/images_background_small1.zip")),
                "shared/data/omniglot is not here");
        int count = 0;
        for (String zip : new String[] {"images_background_small1.zip", "images_background_small2.zip"}) {
            try (ZipFile zf = new ZipFile(shared.resolve("omniglot").resolve(zip).toFile())) {
                List<ZipEntry> entries = new ArrayList<>();
                for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                    ZipEntry ze = en.nextElement();
                    if (ze.getName().endsWith(".png")) {
                        entries.add(ze);
                    }
                }
                for (ZipEntry ze : entries) {
                    byte[] b;
                    try (InputStream in = zf.getInputStream(ze)) {
                        b = in.readAllBytes();
                    }
                    ImageDecoding.Decoded fast = GreyPng.decode(b);
                    assertNotNull(fast, ze.getName());
                    assertSame(reference(b), fast);
                    count++;
                }
            }
        }
        assertEquals(2720 + 3120, count);
    }
}
