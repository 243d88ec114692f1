package org.calibkit.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * Reads the USPS digits in the text layout of "The Elements of Statistical Learning" (Hastie,
 * Tibshirani, Friedman; data from Hull 1994): one digit a line, the label 0-9, then 256 grey
 * values of a 16x16 image, row by row, in [-1, 1] with -1 the background.
 *
 * <p>{@link #read} converts to MNIST's convention (28x28, white ink on black, 0..255): values are
 * mapped by {@code (v + 1) * 127.5}, the 16x16 image is resized to 20x20 by bilinear
 * interpolation ({@link Resampler}), and padded with 4 black pixels on each side, since MNIST
 * digits sit in a 20x20 box centred in 28x28 (LeCun et al. 1998).
 */
public final class UspsFiles {
    /** Side of the images in the file. */
    public static final int SIDE = 16;
    /** Side of the box the digit is resized into. */
    public static final int BOX = 20;
    /** Side of the MNIST-convention output. */
    public static final int OUT = 28;

    private UspsFiles() {
    }

    /** Reads the file as 16x16 images on the 0..255 scale ({@code (v + 1) * 127.5}), no resizing. */
    public static ImageSet readRaw(Path file, DataOrigin origin) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataUnavailableException(file + ": no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "could not read: " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int per = SIDE * SIDE;
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        float[] px = new float[(lines + 1) * per];
        int[] labels = new int[lines + 1];
        int n = 0;
        int pos = 0;
        int lineNo = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            int[] starts = new int[per + 2];
            int[] ends = new int[per + 2];
            int count = 0;
            int i = pos;
            while (i < end) {
                while (i < end && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                int st = i;
                while (i < end && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (count < starts.length) {
                    starts[count] = st;
                    ends[count] = i;
                }
                count++;
            }
            if (count > 0) {
                if (count != per + 1) {
                    throw new DataFormatException(file, pos, "line " + lineNo + ": expected 257 numbers (label + 16x16 values), found "
                            + count);
                }
                double lab = number(file, pos, lineNo, text, starts[0], ends[0], "label");
                if (lab != Math.rint(lab) || lab < 0 || lab > 9) {
                    throw new DataFormatException(file, pos, "line " + lineNo + ": expected a label 0..9, found "
                            + text.substring(starts[0], ends[0]));
                }
                labels[n] = (int) lab;
                for (int k = 0; k < per; k++) {
                    double v = number(file, pos, lineNo, text, starts[k + 1], ends[k + 1], "value " + (k + 1));
                    if (!(v >= -1 && v <= 1)) {
                        throw new DataFormatException(file, pos, "line " + lineNo + ": expected value " + (k + 1)
                                + " in [-1, 1], found " + text.substring(starts[k + 1], ends[k + 1]));
                    }
                    px[n * per + k] = (float) ((v + 1) * 127.5);
                }
                n++;
            }
            pos = end + 1;
        }
        if (n == 0) {
            throw new DataFormatException(file, 0, "expected lines of a label and 256 values, found no data");
        }
        return new ImageSet(java.util.Arrays.copyOf(px, n * per), java.util.Arrays.copyOf(labels, n), 1, SIDE, SIDE,
                ClassNames.DIGITS, origin);
    }

    /** Powers of ten exact in a double: 10^0 .. 10^22. */
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** The number in {@code text[from, to)}: {@link Double#parseDouble}'s value, parsed in place when that is exact. */
    private static double number(Path file, int pos, int lineNo, String text, int from, int to, String what) {
        double v = plainDecimal(text, from, to);
        return Double.isNaN(v) ? number(file, pos, lineNo, text.substring(from, to), what) : v;
    }

    /**
     * A plain decimal ({@code [+-]digits[.digits]}, at most 15 digits in all) without making a
     * string: the digits as a whole number divided by a power of ten. Both are exact doubles
     * (below 2^53 and at most 10^15), so the one correctly rounded division gives the double
     * nearest the decimal, which is what {@link Double#parseDouble} returns. NaN for anything else,
     * which the caller hands to {@code parseDouble}.
     */
    static double plainDecimal(String text, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long digits = 0;
        int count = 0;
        int fraction = -1; // digits after the point, -1 before it
        for (; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = digits * 10 + (c - '0');
                count++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (count == 0 || count > 15) {
            return Double.NaN;
        }
        double v = fraction > 0 ? digits / POW10[fraction] : digits;
        return negative ? -v : v;
    }

    private static double number(Path file, int pos, int lineNo, String tok, String what) {
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, pos, "line " + lineNo + ": expected a number for " + what + ", found '"
                    + (tok.length() > 20 ? tok.substring(0, 20) + "..." : tok) + "'");
        }
    }

    /** Reads the file in MNIST's convention: 28x28, digit resized to 20x20 and centred, 0..255. */
    public static ImageSet read(Path file, DataOrigin origin) {
        return toMnistConvention(readRaw(file, origin));
    }

    /** 16x16 (0..255) images -> 20x20 bilinear -> padded to 28x28 with black. */
    public static ImageSet toMnistConvention(ImageSet raw) {
        ImageSet box = Resampler.resize(raw, BOX, BOX);
        int n = box.size();
        float[] src = box.rawPixels();
        float[] out = new float[n * OUT * OUT];
        int pad = (OUT - BOX) / 2;
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < BOX; r++) {
                System.arraycopy(src, i * BOX * BOX + r * BOX, out, i * OUT * OUT + (r + pad) * OUT + pad, BOX);
            }
        }
        List<String> names = raw.classNames();
        return new ImageSet(out, raw.labels(), 1, OUT, OUT, names, raw.origin());
    }
}
