package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UspsFilesTest {
    @TempDir
    Path dir;

    private static final DataOrigin O = new DataOrigin("usps", "test", "x", null, false);

    private static String line(int label, double value) {
        return label + " " + String.join(" ", Collections.nCopies(256, Double.toString(value)));
    }

    private Path file(String text) {
        return DataFixtures.write(dir.resolve("zip.test"), text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void backgroundIsBlackAndInkFillsTheCentred20x20Box() {
        ImageSet s = UspsFiles.read(file(line(3, -1) + "\n" + line(7, 1) + "\n"), O);
        assertEquals(2, s.size());
        assertArrayEquals(new int[] {3, 7}, s.labels());
        assertArrayEquals(new int[] {1, 28, 28}, s.shape());
        for (float v : s.image(0)) {
            assertEquals(0f, v);
        }
        float[] ink = s.image(1);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                boolean inBox = r >= 4 && r < 24 && c >= 4 && c < 24;
                assertEquals(inBox ? 255f : 0f, ink[r * 28 + c], 1e-4, "(" + r + "," + c + ")");
            }
        }
    }

    @Test
    void rawValuesMapLinearlyTo0To255() {
        ImageSet raw = UspsFiles.readRaw(file(line(0, 0.0) + "\n"), O);
        assertArrayEquals(new int[] {1, 16, 16}, raw.shape());
        assertEquals(127.5f, raw.image(0)[37]);
    }

    private void assertFails(String text, String... parts) {
        Path f = file(text);
        DataFormatException e = assertThrows(DataFormatException.class, () -> UspsFiles.read(f, O));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void badLinesNameLineAndOffset() {
        String good = line(1, -1) + "\n";
        assertFails(good + "5 0.5 0.5\n", "line 2", "expected 257 numbers", "found 3", "byte offset " + good.length());
        assertFails(good + line(10, -1), "line 2", "expected a label 0..9, found 10");
        assertFails(line(2, 1.5), "line 1", "in [-1, 1], found 1.5");
        assertFails(line(1, -1).replaceFirst(" -1.0 ", " abc "), "expected a number for value 1, found 'abc'");
        assertFails(line(1, -1).replaceFirst(" -1.0 ", " NaN "), "in [-1, 1], found NaN");
        assertFails("\n\n", "found no data");
    }

    /**
     * The in-place parse of plain decimals gives Double.parseDouble's double (the JDK's parser is the
     * reference), bit for bit, for random tokens of every length it takes, and hands anything else
     * (exponents, suffixes, 16+ digits, a lone sign or point) back as NaN.
     */
    @Test
    void plainDecimalsParseAsParseDoubleDoes() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(16);
        for (int t = 0; t < 200_000; t++) {
            int intDigits = r.nextInt(8);
            int fracDigits = r.nextInt(intDigits == 0 ? 1 : 0, 16 - intDigits);
            StringBuilder b = new StringBuilder(r.nextInt(3) == 0 ? "-" : r.nextInt(20) == 0 ? "+" : "");
            for (int i = 0; i < intDigits; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
            if (fracDigits > 0 || r.nextBoolean()) {
                b.append('.');
            }
            for (int i = 0; i < fracDigits; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
            String tok = "  " + b + " ";
            double got = UspsFiles.plainDecimal(tok, 2, tok.length() - 1);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(b.toString())), Double.doubleToRawLongBits(got), b.toString());
        }
        for (String other : new String[] {"1e-3", "1.0f", "2d", "-", ".", "+", "", "1234567890123456", "0x1p3", "NaN", "1.2.3", "--1"}) {
            assertTrue(Double.isNaN(UspsFiles.plainDecimal(other, 0, other.length())), other);
        }
    }

    /** Every number of the real USPS file (shared data, when here) parses in place to parseDouble's value. */
    @Test
    void everyNumberOfTheUspsFileParsesAsParseDoubleDoes() throws java.io.IOException {
        Path shared = SharedData.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(shared != null
                && java.nio.file.Files.isRegularFile(shared.resolve("usps/zip.test")), "shared/data/usps is not here");
        String text = java.nio.file.Files.readString(shared.resolve("usps/zip.test"), StandardCharsets.ISO_8859_1);
        int count = 0;
        for (String tok : text.trim().split("\\s+")) {
            double got = UspsFiles.plainDecimal(tok, 0, tok.length());
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(tok)), Double.doubleToRawLongBits(got), tok);
            count++;
        }
        assertEquals(2007 * 257, count);
    }
}
