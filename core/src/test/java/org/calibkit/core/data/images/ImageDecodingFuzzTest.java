package org.calibkit.core.data.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;

/** Damaged PNG and JPEG bytes: either a decoded image of the right size or a CalibkitException naming the file. */
class ImageDecodingFuzzTest {
    private static byte[] encode(String format, int type) throws IOException {
        BufferedImage img = new BufferedImage(20, 12, type);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                img.setRGB(x, y, (x * 12 << 16) | (y * 20 << 8) | ((x * y) & 0xFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    /** Returns true when refused (with the file named), false when decoded. */
    private static boolean refused(byte[] bytes, String where) {
        try {
            ImageDecoding.Decoded d = ImageDecoding.decode(bytes, where);
            assertTrue(d.width() > 0 && d.height() > 0);
            return false;
        } catch (CalibkitException e) {
            assertTrue(e.getMessage().contains(where), e.getMessage());
            return true;
        }
    }

    /** Every truncation of a PNG or JPEG is refused with a message naming the file. */
    @Test
    void everyTruncationIsRefusedNamingTheFile() throws IOException {
        for (String fmt : new String[] {"png", "jpeg"}) {
            byte[] good = encode(fmt, BufferedImage.TYPE_3BYTE_BGR);
            assertEquals(12, ImageDecoding.decode(good, "ok").height());
            for (int len = 0; len < good.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(good, len);
                String where = "cut-" + fmt + "-" + len;
                CalibkitException e = assertThrows(CalibkitException.class, () -> ImageDecoding.decode(cut, where),
                        where + " was accepted");
                assertTrue(e.getMessage().contains(where), e.getMessage());
            }
        }
    }

    /**
     * Random byte flips never escape as another exception type. Every flip of a PNG is caught (each
     * chunk has a CRC-32); a JPEG has no checksum, so a flip in its entropy-coded data can decode to
     * other pixels; those must still be images of the right size.
     */
    @Test
    void randomByteFlipsNeverEscapeAsAnotherException() throws IOException {
        SplittableRandom r = new SplittableRandom(42);
        for (String fmt : new String[] {"png", "jpeg"}) {
            byte[] good = encode(fmt, fmt.equals("png") ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
            int refusedCount = 0;
            for (int trial = 0; trial < 400; trial++) {
                byte[] bad = good.clone();
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
                }
                boolean refused = refused(bad, "flip-" + fmt + "-" + trial);
                refusedCount += refused ? 1 : 0;
                if (fmt.equals("png")) {
                    assertTrue(refused, "flip-png-" + trial + " was accepted");
                }
            }
            assertTrue(refusedCount > 0, fmt + ": no flip refused");
        }
    }

    @Test
    void aHeaderClaimingAHugeImageIsRefusedBeforeDecoding() throws IOException {
        byte[] png = encode("png", BufferedImage.TYPE_BYTE_GRAY);
        // IHDR data starts at byte 16: width, height; rewrite both to 60000 and fix the chunk CRC
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 60_000);
        b.putInt(20, 60_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        b.putInt(29, (int) crc.getValue());
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> ImageDecoding.decode(png, "huge.png"));
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("60000x60000"), e.getMessage());
    }
}
