package org.calibkit.core.data.images;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.calibkit.core.CalibkitException;

/**
 * Decodes one image file into exact 0..255 values, channels-first.
 *
 * <p>Values are read from the raster, not through {@code BufferedImage.getRGB}, wherever that
 * matters: Java treats grey images as linear-light and {@code getRGB} would gamma-map them, so a
 * stored 128 would not come back as 128. Grey (and grey-palette) images give one channel, all
 * others three (sRGB). Bit depths other than 8 are rescaled to 0..255 ({@code v * 255 / (2^bits - 1)}).
 * Transparent pixels are composited onto white (most drawn digits are dark ink on a transparent
 * or white page). A decoder warning (e.g. a truncated JPEG, which Java would otherwise fill with
 * grey) counts as damage.
 */
final class ImageDecoding {
    /** Largest image accepted (width x height), so a damaged or hostile header cannot exhaust memory. */
    static final long MAX_PIXELS = 40_000_000L;

    private ImageDecoding() { }

    /** A decoded image: (channels, height, width) row-major, values 0..255. */
    record Decoded(int channels, int height, int width, float[] pixels) { }

    /**
     * Decodes the image in {@code bytes}; {@code where} names it in error messages (a path, or
     * {@code zip!entry}).
     *
     * @throws CalibkitException when the bytes are not a readable image or are damaged
     */
    static Decoded decode(byte[] bytes, String where) {
        if (ImageFormat.of(bytes) == null) { // the content decides, never the name (ImageFormat)
            throw new CalibkitException("cannot decode image " + where + ": not a " + ImageFormat.NAMES
                    + " image (by its first bytes)");
        }
        if (isPng(bytes)) {
            // Java's PNG reader checks no CRC and stops once it has every pixel, so a flipped byte or a
            // file cut near its end could otherwise pass unnoticed
            String damage = pngChunkDamage(bytes);
            if (damage != null) {
                throw new CalibkitException("damaged image " + where + ": " + damage);
            }
        }
        return decode(new ByteArrayInputStream(bytes), where);
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static boolean isPng(byte[] b) {
        return b.length >= 8 && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8);
    }

    /**
     * Walks a PNG's chunks up to IEND checking each length and CRC-32 (PNG specification, section
     * 5.3); returns what is wrong, or {@code null} when every chunk is intact. Bytes after IEND are
     * ignored.
     */
    static String pngChunkDamage(byte[] b) {
        int at = 8;
        CRC32 crc = new CRC32();
        while (true) {
            if (at + 12 > b.length) {
                return "truncated PNG (chunk header at byte offset " + at + " cut off before IEND)";
            }
            long length = ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
            if (length > b.length - at - 12L) {
                return "truncated PNG (chunk at byte offset " + at + " declares " + length + " bytes, "
                        + (b.length - at - 12) + " remain)";
            }
            int n = (int) length;
            crc.reset();
            crc.update(b, at + 4, 4 + n);
            int stored = ((b[at + 8 + n] & 0xFF) << 24) | ((b[at + 9 + n] & 0xFF) << 16)
                    | ((b[at + 10 + n] & 0xFF) << 8) | (b[at + 11 + n] & 0xFF);
            String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if ((int) crc.getValue() != stored) {
                return "PNG chunk " + type + " at byte offset " + at + " fails its CRC check";
            }
            if (type.equals("IEND")) {
                return null;
            }
            at += 12 + n;
        }
    }

    /** Decodes from a stream (see {@link #decode(byte[], String)}, which also checks PNG completeness). */
    private static Decoded decode(InputStream in, String where) {
        BufferedImage img;
        try (ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new CalibkitException("cannot decode image " + where
                        + ": not a " + ImageFormat.NAMES + " image (unrecognised format)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(iis, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new CalibkitException("image " + where + " is " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " pixels, more than the " + MAX_PIXELS
                            + " calibkit reads (damaged header, or not a digit image)");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw new CalibkitException("damaged image " + where + ": " + warnings.get(0));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CalibkitException ce) {
                throw ce;
            }
            throw new CalibkitException("cannot decode image " + where + ": " + describe(e), e);
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new CalibkitException("cannot decode image " + where + ": no image in the file");
        }
        return pixels(img);
    }

    /** The message of {@code e} and of its causes, e.g. "Error reading PNG image data (Unknown compression method)". */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            String m = t.getMessage();
            m = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? m : " (" + m + ")");
            }
        }
        return sb.toString();
    }

    /** Exact 0..255 values of a decoded image (see the class comment). */
    static Decoded pixels(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            int n = icm.getMapSize();
            boolean grey = true;
            for (int i = 0; i < n && grey; i++) {
                grey = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
            }
            int channels = grey ? 1 : 3;
            float[] out = new float[channels * plane];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int idx = row[x];
                    int p = y * w + x;
                    double a = icm.getAlpha(idx) / 255.0;
                    out[p] = over(icm.getRed(idx), a);
                    if (!grey) {
                        out[plane + p] = over(icm.getGreen(idx), a);
                        out[2 * plane + p] = over(icm.getBlue(idx), a);
                    }
                }
            }
            return new Decoded(channels, h, w, out);
        }
        boolean component = cm instanceof ComponentColorModel;
        int space = cm.getColorSpace().getType();
        if (component && space == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            return fromBands(r, cm, 1, h, w);
        }
        if (component && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3) {
            return fromBands(r, cm, 3, h, w);
        }
        // packed RGB (DirectColorModel) and anything else: Java's own conversion to sRGB
        float[] out = new float[3 * plane];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < plane; p++) {
            int v = argb[p];
            double a = cm.hasAlpha() ? (v >>> 24) / 255.0 : 1.0;
            out[p] = over((v >> 16) & 0xFF, a);
            out[plane + p] = over((v >> 8) & 0xFF, a);
            out[2 * plane + p] = over(v & 0xFF, a);
        }
        return new Decoded(3, h, w, out);
    }

    private static Decoded fromBands(Raster r, ColorModel cm, int channels, int h, int w) {
        int plane = h * w;
        float[] out = new float[channels * plane];
        boolean alpha = cm.hasAlpha();
        double alphaMax = alpha ? (1L << cm.getComponentSize(channels)) - 1 : 1;
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 255.0 / ((1L << cm.getComponentSize(c)) - 1);
        }
        int[][] rows = new int[channels + 1][w];
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < (alpha ? channels + 1 : channels); b++) {
                r.getSamples(0, y, w, 1, b, rows[b]);
            }
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double a = alpha ? rows[channels][x] / alphaMax : 1.0;
                for (int c = 0; c < channels; c++) {
                    out[c * plane + p] = over(rows[c][x] * scale[c], a);
                }
            }
        }
        return new Decoded(channels, h, w, out);
    }

    /** A value composited onto white with alpha {@code a} (unchanged when opaque). */
    private static float over(double v, double a) {
        return a >= 1.0 ? (float) v : (float) (v * a + 255.0 * (1 - a));
    }
}
