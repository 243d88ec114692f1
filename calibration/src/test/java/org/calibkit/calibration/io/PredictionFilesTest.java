package org.calibkit.calibration.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy fixtures were written by NumPy itself (np.save), see
 * src/test/resources/org/calibkit/calibration/io/make_npy.py (/usr/bin/python3, numpy 1.24.2).
 */
class PredictionFilesTest {
    private static final double[][] LOGITS = {
        {1.5, -2.25, 0.0, 3.0}, {0.125, 0.5, -0.75, 2.0}, {-1.0, 4.5, 1.25, -3.5}};

    @TempDir
    Path tmp;

    private static Path resource(String name) {
        try {
            return Path.of(PredictionFilesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertLogits(Logits z) {
        assertEquals(3, z.n());
        assertEquals(4, z.k());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(LOGITS[i], z.row(i), 0.0);
        }
    }

    @Test
    void readsNumpyWrittenFilesInBothByteOrdersAndWidths() {
        assertLogits(PredictionFiles.readLogits(resource("logits_f4_le.npy")));
        assertLogits(PredictionFiles.readLogits(resource("logits_f8_be.npy")));
        assertArrayEquals(new int[] {3, 1, 1}, PredictionFiles.readLabels(resource("labels_i4_le.npy")));
        assertArrayEquals(new int[] {3, 1, 1}, PredictionFiles.readLabels(resource("labels_i8_be.npy")));
        Probabilities p = PredictionFiles.readProbabilities(resource("probs_f8_le.npy"), true);
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, p.row(0), 0.0);
        assertArrayEquals(new double[] {0.0, 1.0, 0.0}, p.row(1), 0.0);
    }

    @Test
    void slicesOfAnOpenFileAreItsRowsInEveryByteOrderAndWidth() {
        // the numpy-written files of the test above (LOGITS), read a row range at a time
        for (String f : new String[] {"logits_f4_le.npy", "logits_f8_be.npy"}) {
            try (Npy.Rows r = Npy.open(resource(f))) {
                assertEquals(3, r.rows());
                assertEquals(4, r.columns());
                double[] mid = r.slice(1, 2).doubles();
                assertArrayEquals(LOGITS[1], Arrays.copyOfRange(mid, 0, 4), 0.0);
                assertArrayEquals(LOGITS[2], Arrays.copyOfRange(mid, 4, 8), 0.0);
                assertEquals(0, r.slice(3, 0).doubles().length);
                assertThrows(IllegalArgumentException.class, () -> r.slice(2, 2));
            }
        }
        try (Npy.Rows y = Npy.open(resource("labels_i8_be.npy"))) {
            assertTrue(y.isInteger());
            assertArrayEquals(new long[] {1, 1}, y.slice(1, 2).longs());
        }
    }

    @Test
    void openChecksTheHeaderAndLengthAsReadDoes(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(resource("logits_f8_be.npy"));
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(full, full.length - 8));
        String whole = assertThrows(IllegalArgumentException.class, () -> Npy.read(cut)).getMessage();
        assertEquals(whole, assertThrows(IllegalArgumentException.class, () -> Npy.open(cut)).getMessage());
        assertTrue(whole.contains("truncated"), whole);
    }

    @Test
    void refusesFortranOrderAndWrongShapesWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionFiles.readLogits(resource("logits_fortran.npy")));
        assertTrue(e.getMessage().startsWith("logits_fortran.npy: Fortran-order (column-major) arrays are not supported"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLabels(resource("labels_2d_f4.npy")));
        assertEquals("labels_2d_f4.npy: expected a 1-D integer array, got shape (10, 2) float32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(resource("labels_i4_le.npy")));
        assertEquals("labels_i4_le.npy: expected a 2-D float32 or float64 array (rows x classes), got shape (3,) int32",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PredictionFiles.readProbabilities(resource("logits_f4_le.npy"), true));
        assertEquals("logits_f4_le.npy: Expected probabilities in [0, 1], but got 1.5 at row 0, class 0", e.getMessage());
    }

    @Test
    void truncatedAndCorruptFilesNameTheByteOffset() throws IOException {
        byte[] good = Files.readAllBytes(resource("logits_f4_le.npy"));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(good, good.length - 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(cut));
        assertEquals("cut.npy: truncated: shape (3, 4) float32 needs 48 data bytes from byte offset 128, but only 43 are present",
                e.getMessage());
        Path bad = tmp.resolve("bad.npy");
        byte[] b = good.clone();
        b[3] = 'X';
        Files.write(bad, b);
        e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(bad));
        assertEquals("bad.npy: not a NumPy .npy file: bad magic string at byte offset 3 (expected \\x93NUMPY)",
                e.getMessage());
        Path tiny = tmp.resolve("tiny.npy");
        Files.write(tiny, new byte[] {(byte) 0x93, 'N'});
        e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(tiny));
        assertEquals("tiny.npy: not a NumPy .npy file: only 2 bytes", e.getMessage());
        Path nanFile = tmp.resolve("nan.npy");
        PredictionFiles.writeNpy(nanFile, new double[] {0, 1, Double.NaN, 2}, 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(nanFile));
        assertEquals("nan.npy: logits must be finite, but got NaN at row 1, class 0", e.getMessage());
    }

    @Test
    void corruptedFilesOnlyEverGiveIllegalArgumentExceptions() throws IOException {
        // every truncation and 400 random byte changes of a numpy-written file: either the file
        // still reads, or the failure is a located IllegalArgumentException naming the file
        byte[] good = Files.readAllBytes(resource("logits_f8_be.npy"));
        java.util.Random rnd = new java.util.Random(99);
        Path f = tmp.resolve("fuzz.npy");
        for (int trial = 0; trial < good.length + 400; trial++) {
            byte[] b;
            if (trial < good.length) {
                b = Arrays.copyOf(good, trial);
            } else {
                b = good.clone();
                int pos = rnd.nextInt(Math.min(b.length, 140)); // mostly the preamble and header
                b[pos] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : "0123456789(),'TF: ".charAt(rnd.nextInt(18)));
            }
            Files.write(f, b);
            try {
                PredictionFiles.readLogits(f);
                PredictionFiles.readLabels(f);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("fuzz.npy: "), e.getMessage());
            }
        }
    }

    @Test
    void implausibleShapesAreRefused() throws IOException {
        byte[] good = Files.readAllBytes(resource("logits_f4_le.npy"));
        String header = new String(good, 10, good.length - 10 - 48, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String[] c : new String[][] {
            {"(3, 4)", "(4294967296, 4294967296)", "huge.npy: shape (4294967296, 4294967296) has too many values"},
            {"(3, 4)", "(3, -4)    ", "neg.npy: bad dimension '-4' in shape in the .npy header at byte offset 10: "},
            {"(3, 4)", "(30, 4)", "big.npy: truncated: shape (30, 4) float32 needs 480 data bytes from byte offset 128, "
                + "but only 48 are present"}}) {
            String h = header.replace(c[0], c[1]);
            h = h.substring(0, Math.min(h.length(), header.length() - 1));
            h = h + " ".repeat(header.length() - 1 - h.length()) + "\n";
            byte[] b = good.clone();
            System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, b, 10, h.length());
            Path f = tmp.resolve(c[2].substring(0, c[2].indexOf(':')));
            Files.write(f, b);
            String msg = assertThrows(IllegalArgumentException.class, () -> PredictionFiles.readLogits(f)).getMessage();
            assertTrue(msg.startsWith(c[2]), msg);
        }
    }

    @Test
    void writeNpyRoundTripsAndLeavesNoTemporaryFile() throws IOException {
        Logits z = Logits.of(LOGITS);
        Path f = tmp.resolve("out.npy");
        PredictionFiles.writeNpy(f, z);
        assertLogits(PredictionFiles.readLogits(f));
        Path l = tmp.resolve("labels.npy");
        PredictionFiles.writeNpy(l, new int[] {0, 3, 2});
        assertArrayEquals(new int[] {0, 3, 2}, PredictionFiles.readLabels(l));
        try (var files = Files.list(tmp)) {
            assertEquals(2, files.count());
        }
        // the header is padded so that the data start at a multiple of 64 bytes, as numpy writes it
        assertEquals(0, (Files.size(f) - 3 * 4 * 8) % 64);
    }

    @Test
    void readsCsvWithAndWithoutHeader() throws IOException {
        Path a = tmp.resolve("logits.csv");
        Files.writeString(a, "c0,c1,c2,c3\n1.5,-2.25,0,3\n0.125, 0.5 ,-0.75,2\n-1,4.5,1.25,-3.5\n\n");
        assertLogits(PredictionFiles.readLogits(a));
        Path b = tmp.resolve("nohead.csv");
        Files.writeString(b, "1.5,-2.25,0,3\n0.125,0.5,-0.75,2\n-1,4.5,1.25,-3.5");
        assertLogits(PredictionFiles.readLogits(b));
        Path y = tmp.resolve("y.csv");
        Files.writeString(y, "label\n3\n1\n1\n");
        assertArrayEquals(new int[] {3, 1, 1}, PredictionFiles.readLabels(y));
        Path p = tmp.resolve("p.csv");
        Files.writeString(p, "0.2,0.3\n0.9,0.4\n");
        assertEquals(0.4, PredictionFiles.readProbabilities(p, false).get(1, 1), 0.0);
    }

    @Test
    void csvErrorsNameLineAndColumn() throws IOException {
        assertFails("a.csv", "x,y\n1,2\n3,abc\n", PredictionFiles::readLogits,
                "a.csv: line 3, column 2: expected a number, got 'abc'");
        assertFails("b.csv", "1,2\n3,4,5\n", PredictionFiles::readLogits,
                "b.csv: line 2: expected 2 comma-separated values like the first data line, but got 3");
        assertFails("c.csv", "label\n1\n2.5\n", PredictionFiles::readLabels,
                "c.csv: line 3, column 1: expected an integer class label, got '2.5'");
        assertFails("d.csv", "1\n-2\n", PredictionFiles::readLabels,
                "d.csv: expected non-negative class labels, but got -2 at index 1");
        assertFails("e.csv", "p0,p1\n0.5,0.4\n", f -> PredictionFiles.readProbabilities(f, true),
                "e.csv: Expected each row of probabilities to sum to 1, but row 0 sums to 0.9 (use independent "
                        + "probabilities for one-vs-rest heads)");
        assertFails("f.csv", "a,b\n", PredictionFiles::readLogits,
                "f.csv: expected at least one data line, but the file has none");
        assertFails("g.json", null, PredictionFiles::readLogits,
                "g.json: expected a .npy or .csv file");
        assertFalse(Files.exists(tmp.resolve("g.json")));
    }

    /** Reading {@code name} (written with {@code content} unless null) fails with exactly {@code expected}. */
    private void assertFails(String name, String content, Read read, String expected) throws IOException {
        Path f = tmp.resolve(name);
        if (content != null) {
            Files.writeString(f, content);
        }
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> read.apply(f)).getMessage());
    }

    /** One of the PredictionFiles readers. */
    private interface Read {
        Object apply(Path file) throws IOException;
    }
}
