package org.calibkit.core.data;

import static org.calibkit.core.data.DataFixtures.gzip;
import static org.calibkit.core.data.DataFixtures.idxImages;
import static org.calibkit.core.data.DataFixtures.idxLabels;
import static org.calibkit.core.data.DataFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    private static final DataOrigin ORIGIN = new DataOrigin("t", "test", "x", null, false);

    /** 3 images of 2x3: pixel k of image i = 40 * i + k (bytes, so 0..255 after & 0xFF). */
    private static byte[] pixels() {
        byte[] p = new byte[18];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 6; k++) {
                p[i * 6 + k] = (byte) (100 * i + k * 3);
            }
        }
        return p;
    }

    private static void assertMessage(DataFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void readsRawAndGzippedTheSame() {
        Path ri = write(dir.resolve("i"), idxImages(3, 2, 3, pixels()));
        Path rl = write(dir.resolve("l"), idxLabels(7, 0, 9));
        Path gi = write(dir.resolve("i.gz"), gzip(idxImages(3, 2, 3, pixels())));
        Path gl = write(dir.resolve("l.gz"), gzip(idxLabels(7, 0, 9)));
        for (ImageSet s : new ImageSet[] {IdxFiles.read(ri, rl, DataFixtures.digits(), ORIGIN),
                IdxFiles.read(gi, gl, DataFixtures.digits(), ORIGIN)}) {
            assertEquals(3, s.size());
            assertArrayEquals(new int[] {1, 2, 3}, s.shape());
            assertArrayEquals(new int[] {7, 0, 9}, s.labels());
            // image 2 = 200, 203, ..., 215 as unsigned bytes
            assertArrayEquals(new float[] {200, 203, 206, 209, 212, 215}, s.image(2));
            assertArrayEquals(new float[] {0, 3, 6, 9, 12, 15}, s.image(0));
        }
    }

    @Test
    void wrongMagicNamesFileExpectedFoundAndOffset() {
        Path labelsAsImages = write(dir.resolve("swapped"), idxLabels(1, 2, 3));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxFiles.parseImages(labelsAsImages, IdxFiles.readBytes(labelsAsImages)));
        assertMessage(e, labelsAsImages.toString(), "expected IDX magic number 2051", "found 2049", "byte offset 0");
        assertEquals(0, e.offset());
    }

    @Test
    void truncatedImagesReportTheLengthAsOffset() {
        byte[] full = idxImages(3, 2, 3, pixels());
        Path f = write(dir.resolve("short"), Arrays.copyOf(full, full.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.parseImages(f, IdxFiles.readBytes(f)));
        assertMessage(e, "truncated", "expected 34 bytes", "found 29", "byte offset 29");
        Path h = write(dir.resolve("header"), Arrays.copyOf(full, 10));
        e = assertThrows(DataFormatException.class, () -> IdxFiles.parseImages(h, IdxFiles.readBytes(h)));
        assertMessage(e, "16-byte IDX header", "found 10 bytes");
        Path tiny = write(dir.resolve("tiny"), new byte[] {0, 0});
        e = assertThrows(DataFormatException.class, () -> IdxFiles.parseImages(tiny, IdxFiles.readBytes(tiny)));
        assertMessage(e, "truncated", "found 2 bytes");
    }

    @Test
    void trailingBytesAreAnError() {
        byte[] full = idxImages(3, 2, 3, pixels());
        Path f = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 4));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.parseImages(f, IdxFiles.readBytes(f)));
        assertMessage(e, "expected 34 bytes", "found 38", "4 trailing bytes", "byte offset 34");
    }

    @Test
    void labelOutOfRangeGivesRowAndOffset() {
        Path f = write(dir.resolve("labels"), idxLabels(1, 2, 12, 3));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxFiles.parseLabels(f, IdxFiles.readBytes(f), 10));
        assertMessage(e, f.toString(), "expected a label in 0..9", "found 12", "row 2", "byte offset 10");
    }

    @Test
    void countsThatDisagreeAreAnError() {
        Path i = write(dir.resolve("i"), idxImages(3, 2, 3, pixels()));
        Path l = write(dir.resolve("l"), idxLabels(1, 2));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxFiles.read(i, l, DataFixtures.digits(), ORIGIN));
        assertMessage(e, l.toString(), "expected 3 labels", "found 2");
    }

    @Test
    void absurdDimensionsAreRefusedBeforeAllocating() {
        byte[] b = idxImages(1, 2, 3, new byte[6]);
        b[8] = 0x7f; // rows = 0x7f000002
        Path f = write(dir.resolve("rows"), b);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.parseImages(f, IdxFiles.readBytes(f)));
        assertMessage(e, "row count in 1..4096", "byte offset 8");
    }

    @Test
    void damagedGzipIsWrapped() {
        byte[] gz = gzip(idxImages(3, 2, 3, pixels()));
        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 6));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.readBytes(cut));
        assertMessage(e, cut.toString(), "gzip");
        byte[] bad = gz.clone();
        bad[bad.length - 3] ^= 0x55; // damages the stored length/CRC trailer
        Path crc = write(dir.resolve("crc.gz"), bad);
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readBytes(crc));
        assertMessage(e, crc.toString(), "gzip");
    }
}
