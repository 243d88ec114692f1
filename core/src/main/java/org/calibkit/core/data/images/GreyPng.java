package org.calibkit.core.data.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the plainest PNGs, the ones Omniglot is made of: grey (colour type 0),
 * 1, 2, 4 or 8 bits, not interlaced, no transparency, gamma or colour profile. It gives the values
 * {@code javax.imageio} and {@link ImageDecoding#pixels} give for such a file (a sample {@code s}
 * of {@code b} bits is {@code s * 255 / (2^b - 1)}, the grey palette Java builds for packed grey,
 * or the byte itself at 8 bits), about fifty times faster, because it skips the image reader's
 * set-up and raster machinery.
 *
 * <p>Anything else, and anything unusual in a file it would take (a chunk it does not know,
 * split or trailing image data, a zlib stream that ends early or late, an unknown row filter),
 * makes {@link #decode} return null, so the caller decodes the file with {@code javax.imageio}
 * as before, with the same result or the same error message. The caller has already checked
 * every chunk's length and CRC ({@link ImageDecoding#pngChunkDamage}).
 */
final class GreyPng {
    /** Chunks that only carry metadata Java's reader keeps aside: they change no pixel. */
    private static final Set<String> HARMLESS = Set.of("tIME", "tEXt", "pHYs");

    private GreyPng() { }

    /**
     * The image, or null when the file is not one this class decodes (see the class comment).
     *
     * @param b a PNG whose chunks are intact up to IEND
     */
    static ImageDecoding.Decoded decode(byte[] b) {
        int at = 8;
        int width = 0;
        int height = 0;
        int depth = 0;
        boolean header = false;
        boolean idatDone = false;
        ByteArrayOutputStream idat = null;
        while (true) {
            int n = readInt(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            int data = at + 8;
            if (!header) {
                if (!type.equals("IHDR") || n != 13) {
                    return null;
                }
                width = readInt(b, data);
                height = readInt(b, data + 4);
                depth = b[data + 8];
                boolean plain = b[data + 9] == 0 && b[data + 10] == 0 && b[data + 11] == 0 && b[data + 12] == 0;
                if (!plain || (depth != 1 && depth != 2 && depth != 4 && depth != 8) || width <= 0 || height <= 0
                        || (long) width * height > ImageDecoding.MAX_PIXELS) {
                    return null;
                }
                header = true;
            } else if (type.equals("IDAT")) {
                if (idatDone) {
                    return null; // image data split by another chunk
                }
                if (idat == null) {
                    idat = new ByteArrayOutputStream(n);
                }
                idat.write(b, data, n);
            } else if (type.equals("IEND")) {
                break;
            } else if (HARMLESS.contains(type)) {
                idatDone |= idat != null;
            } else {
                return null;
            }
            at = data + n + 4;
        }
        if (idat == null) {
            return null;
        }
        int rowBytes = (int) (((long) width * depth + 7) / 8);
        long expected = (long) height * (rowBytes + 1);
        if (expected > Integer.MAX_VALUE - 1) {
            return null;
        }
        byte[] raw = inflate(idat.toByteArray(), (int) expected);
        return raw == null ? null : pixels(raw, width, height, depth, rowBytes);
    }

    /** Exactly {@code expected} bytes of one complete zlib stream that fills the input, or null. */
    private static byte[] inflate(byte[] z, int expected) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            byte[] out = new byte[expected + 1]; // one more: a stream that holds more is not taken
            int got = 0;
            while (got < out.length && !inf.finished()) {
                int r = inf.inflate(out, got, out.length - got);
                if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null; // ends early, or wants a preset dictionary
                }
                got += r;
            }
            return got == expected && inf.finished() && inf.getRemaining() == 0 ? out : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    /** Undoes the row filters (one byte per pixel step for grey up to 8 bits) and expands the samples. */
    private static ImageDecoding.Decoded pixels(byte[] raw, int width, int height, int depth, int rowBytes) {
        byte[] prev = new byte[rowBytes];
        byte[] cur = new byte[rowBytes];
        float[] out = new float[width * height];
        int max = (1 << depth) - 1;
        float[] level = new float[max + 1]; // a sample's value: s * 255 / (2^depth - 1), whole numbers
        for (int v = 0; v <= max; v++) {
            level[v] = v * 255 / max;
        }
        for (int y = 0; y < height; y++) {
            int at = y * (rowBytes + 1);
            int filter = raw[at];
            System.arraycopy(raw, at + 1, cur, 0, rowBytes);
            if (!unfilter(filter, cur, prev)) {
                return null;
            }
            int p = y * width;
            if (depth == 8) {
                for (int x = 0; x < width; x++) {
                    out[p + x] = cur[x] & 0xFF;
                }
            } else {
                // the samples of each byte from its highest bits down; the last byte's padding is not read
                for (int j = 0, x = 0; x < width; j++) {
                    int v = cur[j] & 0xFF;
                    for (int shift = 8 - depth; shift >= 0 && x < width; shift -= depth, x++) {
                        out[p + x] = level[(v >>> shift) & max];
                    }
                }
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return new ImageDecoding.Decoded(1, height, width, out);
    }

    /** PNG filter types 0-4 (specification section 9) on one row; false for an unknown type. */
    private static boolean unfilter(int filter, byte[] cur, byte[] prev) {
        int n = cur.length;
        switch (filter) {
            case 0:
                return true;
            case 1:
                for (int i = 1; i < n; i++) {
                    cur[i] += cur[i - 1];
                }
                return true;
            case 2:
                for (int i = 0; i < n; i++) {
                    cur[i] += prev[i];
                }
                return true;
            case 3:
                cur[0] += (byte) ((prev[0] & 0xFF) >>> 1);
                for (int i = 1; i < n; i++) {
                    cur[i] += (byte) (((cur[i - 1] & 0xFF) + (prev[i] & 0xFF)) >>> 1);
                }
                return true;
            case 4:
                cur[0] += prev[0]; // Paeth with a = c = 0 picks b
                for (int i = 1; i < n; i++) {
                    cur[i] += (byte) paeth(cur[i - 1] & 0xFF, prev[i] & 0xFF, prev[i - 1] & 0xFF);
                }
                return true;
            default:
                return false;
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
