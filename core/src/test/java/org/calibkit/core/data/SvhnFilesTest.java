package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;

class SvhnFilesTest {
    @TempDir
    Path dir;

    /** The formula the scipy fixtures were written with: X[r, c, ch, i] = (7r + 3c + 50ch + 11i) % 256. */
    private static int formula(int r, int c, int ch, int i) {
        return (r * 7 + c * 3 + ch * 50 + i * 11) % 256;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SvhnFilesTest.class.getResource(name).toURI());
    }

    @Test
    void readsFilesWrittenByScipy() throws Exception {
        // written by: X = zeros((32,32,3,3), uint8); X[r,c,ch,i] = (r*7+c*3+ch*50+i*11) % 256;
        // y = [[10],[3],[7]] (float64); scipy.io.savemat(name, {'X': X, 'y': y}, format='5',
        // do_compression=False / True)  -- scipy 1.17.1
        for (String name : new String[] {"svhn_scipy_plain.mat", "svhn_scipy_zipped.mat"}) {
            ImageSet s = SvhnFiles.read(resource(name), "test");
            assertEquals(3, s.size());
            assertArrayEquals(new int[] {3, 32, 32}, s.shape());
            assertArrayEquals(new int[] {0, 3, 7}, s.labels(), "y = 10 means digit 0");
            for (int i = 0; i < 3; i++) {
                float[] img = s.image(i);
                for (int ch = 0; ch < 3; ch++) {
                    for (int r = 0; r < 32; r++) {
                        for (int c = 0; c < 32; c++) {
                            assertEquals(formula(r, c, ch, i), img[ch * 1024 + r * 32 + c], name + " pixel");
                        }
                    }
                }
            }
        }
    }

    @Test
    void writerUsesMatlabColumnMajorLayoutReadBackWithPlainMfl() throws IOException {
        ImageSet images = DataFixtures.randomSvhnLike(12, 3);
        Path f = dir.resolve("w.mat");
        SvhnFiles.write(images, f);
        try (Mat5File mat = Mat5.readFromFile(f.toFile())) {
            Matrix x = mat.getMatrix("X");
            Matrix y = mat.getMatrix("y");
            assertArrayEquals(new int[] {32, 32, 3, 12}, x.getDimensions());
            assertEquals(MatlabType.UInt8, x.getType());
            assertArrayEquals(new int[] {12, 1}, y.getDimensions());
            assertEquals(MatlabType.Double, y.getType());
            for (int i = 0; i < 12; i++) {
                int l = images.label(i);
                assertEquals(l == 0 ? 10.0 : l, y.getDouble(i, 0));
                float[] img = images.image(i);
                for (int ch = 0; ch < 3; ch++) {
                    for (int r = 0; r < 32; r += 3) {
                        for (int c = 0; c < 32; c += 5) {
                            assertEquals((int) img[ch * 1024 + r * 32 + c], x.getByte(Mat5.index(r, c, ch, i)) & 0xFF);
                        }
                    }
                }
            }
        }
        ImageSet back = SvhnFiles.read(f, "train");
        assertArrayEquals(images.rawPixels(), back.rawPixels());
        assertArrayEquals(images.labels(), back.labels());
        assertFalse(back.origin().verified());
    }

    @Test
    void readsFileWrittenWithPlainMflCalls() throws IOException {
        int n = 4;
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, n}, MatlabType.UInt8);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 32; r++) {
                    for (int c = 0; c < 32; c++) {
                        x.setByte(Mat5.index(r, c, ch, i), (byte) formula(r, c, ch, i));
                    }
                }
            }
        }
        Matrix y = Mat5.newMatrix(n, 1, MatlabType.Double);
        double[] ys = {10, 1, 9, 5};
        for (int i = 0; i < n; i++) {
            y.setDouble(i, 0, ys[i]);
        }
        Path f = dir.resolve("plain.mat");
        Mat5.writeToFile(Mat5.newMatFile().addArray("X", x).addArray("y", y), f.toFile());
        ImageSet s = SvhnFiles.read(f, "test");
        assertArrayEquals(new int[] {0, 1, 9, 5}, s.labels());
        assertEquals(formula(5, 9, 2, 3), s.image(3)[2 * 1024 + 5 * 32 + 9]);
        assertEquals(formula(31, 0, 0, 1), s.image(1)[31 * 32]);
    }

    @Test
    void writeIsAtomicAndRefusesBadInput() throws IOException {
        Path f = dir.resolve("a.mat");
        ImageSet good = DataFixtures.randomSvhnLike(3, 1);
        SvhnFiles.write(good, f);
        byte[] before = Files.readAllBytes(f);
        float[] px = good.rawPixels().clone();
        px[px.length - 1] = 256;
        ImageSet bad = new ImageSet(px, good.labels(), 3, 32, 32, good.classNames(), good.origin());
        CalibkitException e = assertThrows(CalibkitException.class, () -> SvhnFiles.write(bad, f));
        assertTrue(e.getMessage().contains("256") && e.getMessage().contains("image 2"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f), "failed write must leave the old file untouched");
        ImageSet gray = new ImageSet(new float[28 * 28], new int[] {1}, 1, 28, 28, DataFixtures.digits(),
                new DataOrigin("t", "t", "m", null, false));
        e = assertThrows(CalibkitException.class, () -> SvhnFiles.write(gray, dir.resolve("g.mat")));
        assertTrue(e.getMessage().contains("3x32x32") && e.getMessage().contains("1x28x28"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("g.mat")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    private Path mat(String name, MatFile content) throws IOException {
        Path f = dir.resolve(name);
        Mat5.writeToFile(content, f.toFile());
        return f;
    }

    private static Matrix x(int n) {
        return Mat5.newMatrix(new int[] {32, 32, 3, n}, MatlabType.UInt8);
    }

    private static Matrix y(double... v) {
        Matrix y = Mat5.newMatrix(v.length, 1, MatlabType.Double);
        for (int i = 0; i < v.length; i++) {
            y.setDouble(i, 0, v[i]);
        }
        return y;
    }

    private static void assertFails(Path f, String... parts) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> SvhnFiles.read(f, "test"));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void badFilesRaiseDocumentedErrors() throws IOException {
        assertFails(mat("noX.mat", Mat5.newMatFile().addArray("y", y(1, 2))), "expected a variable 'X'", "found variables [y]");
        assertFails(mat("noY.mat", Mat5.newMatFile().addArray("X", x(2))), "expected a variable 'y'", "found variables [X]");
        assertFails(mat("gray.mat", Mat5.newMatFile().addArray("X", Mat5.newMatrix(new int[] {32, 32, 1, 2}, MatlabType.UInt8))
                .addArray("y", y(1, 2))), "expected X of size 32x32x3xN", "found 32x32x1x2");
        assertFails(mat("dbl.mat", Mat5.newMatFile().addArray("X", Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.Double))
                .addArray("y", y(1, 2))), "expected X of type uint8", "found double");
        assertFails(mat("count.mat", Mat5.newMatFile().addArray("X", x(3)).addArray("y", y(1, 2))),
                "expected y of size 3x1", "found 2x1");
        assertFails(mat("eleven.mat", Mat5.newMatFile().addArray("X", x(2)).addArray("y", y(1, 11))), "y(2) = 11.0",
                "1..10");
        assertFails(mat("zero.mat", Mat5.newMatFile().addArray("X", x(2)).addArray("y", y(0, 1))), "y(1) = 0.0");
        assertFails(mat("half.mat", Mat5.newMatFile().addArray("X", x(2)).addArray("y", y(2.5, 1))), "y(1) = 2.5");
        Path text = DataFixtures.write(dir.resolve("text.mat"), "not a mat file at all".getBytes());
        assertFails(text, "not a readable MATLAB v5 .mat file");
        Path cut = dir.resolve("cut.mat");
        byte[] full = Files.readAllBytes(mat("full.mat", Mat5.newMatFile().addArray("X", x(2)).addArray("y", y(1, 2))));
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        assertFails(cut, "MATLAB v5");
    }

    @Test
    void writtenFileIsReadableByScipyWhenPythonIsHere() throws Exception {
        // Independent reader: scipy.io.loadmat. Skipped when python3 with scipy is not installed.
        ImageSet images = DataFixtures.randomSvhnLike(5, 11);
        Path f = dir.resolve("py.mat");
        SvhnFiles.write(images, f);
        String script = "import scipy.io as s, sys; d = s.loadmat(sys.argv[1]); X = d['X']; y = d['y'];"
                + "print(X.shape, X.dtype, y.shape, y.dtype); print(int(X[4, 7, 2, 3]), int(X[0, 31, 0, 4]), "
                + "' '.join(str(int(v)) for v in y.ravel()))";
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script, f.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("python3 not available: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 && !out.contains("ModuleNotFoundError"),
                "python3 with scipy not available: " + out);
        String[] lines = out.split("\n");
        assertEquals("(32, 32, 3, 5) uint8 (5, 1) float64", lines[0]);
        float[] img3 = images.image(3);
        float[] img4 = images.image(4);
        String expected = (int) img3[2 * 1024 + 4 * 32 + 7] + " " + (int) img4[31] + " 10 1 2 3 4";
        assertEquals(expected, lines[1]);
    }

}
