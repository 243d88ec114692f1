package org.calibkit.core.data.images;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A minimal PNG encoder written from the PNG specification (8-bit grey, colour type 0; 8-bit RGB,
 * colour type 2; filter 0 on every row), so the reader is checked against bytes that did not
 * come from Java's own PNG writer.
 */
final class Png {
    private Png() { }

    /** Writes a grey image; {@code v[y][x]} in 0..255. */
    static void writeGray(Path file, int[][] v) throws IOException {
        int h = v.length;
        int w = v[0].length;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int[] row : v) {
            raw.write(0);
            for (int x = 0; x < w; x++) {
                raw.write(row[x]);
            }
        }
        write(file, w, h, 0, raw.toByteArray());
    }

    /** Writes an RGB image; {@code rgb[c][y][x]} in 0..255. */
    static void writeRgb(Path file, int[][][] rgb) throws IOException {
        int h = rgb[0].length;
        int w = rgb[0][0].length;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(0);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    raw.write(rgb[c][y][x]);
                }
            }
        }
        write(file, w, h, 2, raw.toByteArray());
    }

    private static void write(Path file, int w, int h, int colourType, byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(8);
        d.writeByte(colourType);
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream dz = new DeflaterOutputStream(z, new Deflater(9))) {
            dz.write(raw);
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        Files.write(file, out.toByteArray());
    }

    /** Appends one chunk: length, type, data and the CRC-32 of type and data. */
    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
