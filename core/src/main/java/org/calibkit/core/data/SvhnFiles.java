package org.calibkit.core.data;

import org.calibkit.calibration.io.AtomicWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

/**
 * Reads and writes SVHN "format 2" (cropped digits) files, through MFL: a MATLAB v5 .mat file with
 * {@code X}, uint8 of size 32x32x3xN indexed {@code X(row, col, channel, index)} in MATLAB's
 * column-major order, and {@code y}, double of size Nx1 where 1..9 are the digits 1..9 and 10
 * means digit 0 (Netzer et al. 2011, "Reading Digits in Natural Images with Unsupervised Feature
 * Learning"). In an {@link ImageSet} an SVHN image is (3, 32, 32) RGB on the 0..255 scale with
 * labels 0..9 and class names "0".."9".
 */
public final class SvhnFiles {
    /** Image side in pixels. */
    public static final int SIDE = 32;
    /** Colour channels (RGB). */
    public static final int CHANNELS = 3;
    /** Class names "0".."9". */
    public static final List<String> CLASS_NAMES = ClassNames.DIGITS;

    private SvhnFiles() {
    }

    /** Reads {@code matFile} as split {@code split} of data set {@code svhn}, not verified. */
    public static ImageSet read(Path matFile, String split) {
        return read(matFile, split, "svhn", null, false);
    }

    /**
     * Reads an SVHN format 2 file.
     *
     * @param dataset  data set name recorded in the origin
     * @param checksum checksum that was checked (or {@code null}), recorded in the origin
     * @param verified whether the file matched its published checksum
     * @throws DataFormatException when the file is not a readable MAT v5 file, {@code X} or
     *                             {@code y} is missing or has the wrong type or size, or a label
     *                             is not one of 1..10
     */
    public static ImageSet read(Path matFile, String split, String dataset, String checksum, boolean verified) {
        if (!Files.isRegularFile(matFile)) {
            throw new DataUnavailableException(matFile + ": no such file");
        }
        Mat5File mat;
        try {
            mat = Mat5.readFromFile(matFile.toFile());
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // MFL reports damage as IOException, IllegalArgumentException, BufferUnderflowException,
            // ... and a damaged size field can ask for an impossible buffer
            throw new DataFormatException(matFile, -1, "not a readable MATLAB v5 .mat file: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        try (mat) {
            Matrix x = matrix(mat, matFile, "X");
            Matrix y = matrix(mat, matFile, "y");
            int[] d = x.getDimensions();
            if (d.length != 4 || d[0] != SIDE || d[1] != SIDE || d[2] != CHANNELS) {
                throw new DataFormatException(matFile, "expected X of size 32x32x3xN, found "
                        + dims(d) + " (" + x.getType() + ")");
            }
            if (x.getType() != MatlabType.UInt8 || x.isComplex()) {
                throw new DataFormatException(matFile, "expected X of type uint8, found "
                        + (x.isComplex() ? "complex " : "") + x.getType());
            }
            int n = d[3];
            int[] yd = y.getDimensions();
            boolean column = yd.length == 2 && yd[1] == 1;
            boolean row = yd.length == 2 && yd[0] == 1;
            if (!(column || row) || y.getNumElements() != n) {
                throw new DataFormatException(matFile, "expected y of size " + n + "x1 (one label per image in X), found "
                        + dims(yd));
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                double v = y.getDouble(i);
                if (v != Math.rint(v) || v < 1 || v > 10) {
                    throw new DataFormatException(matFile, "y(" + (i + 1) + ") = " + v
                            + " is not a label 1..10 (10 means digit 0)");
                }
                labels[i] = v == 10 ? 0 : (int) v;
            }
            int plane = SIDE * SIDE;
            int per = CHANNELS * plane;
            float[] pixels = new float[Math.multiplyExact(n, per)];
            // MATLAB column-major: X(r, c, ch, i) is at r + 32 c + 1024 ch + 3072 i;
            // ImageSet is (ch, r, c) row-major: ch * 1024 + r * 32 + c
            for (int i = 0; i < n; i++) {
                int base = i * per;
                for (int ch = 0; ch < CHANNELS; ch++) {
                    int pb = base + ch * plane;
                    for (int c = 0; c < SIDE; c++) {
                        int src = pb + c * SIDE;
                        for (int r = 0; r < SIDE; r++) {
                            pixels[pb + r * SIDE + c] = x.getByte(src + r) & 0xFF;
                        }
                    }
                }
            }
            DataOrigin origin = new DataOrigin(dataset, split, matFile.toString(), checksum, verified);
            return new ImageSet(pixels, labels, CHANNELS, SIDE, SIDE, CLASS_NAMES, origin);
        } catch (IOException e) {
            throw new DataFormatException(matFile, -1, "could not close: " + e.getMessage(), e);
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataFormatException(matFile, -1, "damaged MATLAB v5 data: " + e, e);
        }
    }

    private static Matrix matrix(MatFile mat, Path file, String name) {
        List<String> names = new ArrayList<>();
        for (MatFile.Entry e : mat.getEntries()) {
            names.add(e.getName());
        }
        if (!names.contains(name)) {
            throw new DataFormatException(file, "expected a variable '" + name + "' (SVHN format 2 has X and y), found "
                    + (names.isEmpty() ? "no variables" : "variables " + names));
        }
        Array a = mat.getArray(name);
        if (!(a instanceof Matrix)) {
            throw new DataFormatException(file, "expected '" + name + "' to be a numeric matrix, found " + a.getType());
        }
        return (Matrix) a;
    }

    private static String dims(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            sb.append(i == 0 ? "" : "x").append(d[i]);
        }
        return sb.toString();
    }

    /**
     * Writes {@code images} (shape 3x32x32, values 0..255, rounded to the nearest integer, 10
     * classes) in SVHN format 2 layout. The file is written to a temporary file in the same
     * directory and moved into place only when complete.
     *
     * @throws CalibkitException when the images are not 3x32x32, a value is outside 0..255 or NaN,
     *                           or there are not 10 classes
     */
    public static void write(ImageSet images, Path matFile) {
        if (images.channels() != CHANNELS || images.height() != SIDE || images.width() != SIDE) {
            throw new CalibkitException("SVHN layout needs images of shape 3x32x32, got " + images.channels() + "x"
                    + images.height() + "x" + images.width() + " (" + matFile + ")");
        }
        if (images.numClasses() != 10) {
            throw new CalibkitException("SVHN layout needs 10 classes (digits), got " + images.numClasses()
                    + " (" + matFile + ")");
        }
        int n = images.size();
        float[] px = images.rawPixels();
        int plane = SIDE * SIDE;
        int per = CHANNELS * plane;
        Matrix x = Mat5.newMatrix(new int[] {SIDE, SIDE, CHANNELS, n}, MatlabType.UInt8);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < CHANNELS; ch++) {
                for (int r = 0; r < SIDE; r++) {
                    for (int c = 0; c < SIDE; c++) {
                        float v = px[i * per + ch * plane + r * SIDE + c];
                        if (!(v >= 0 && v <= 255)) {
                            throw new CalibkitException("pixel value " + v + " of image " + i + " (channel " + ch
                                    + ", row " + r + ", col " + c + ") is outside 0..255; cannot write " + matFile);
                        }
                        x.setByte(i * per + ch * plane + c * SIDE + r, (byte) Math.round(v));
                    }
                }
            }
        }
        Matrix y = Mat5.newMatrix(n, 1, MatlabType.Double);
        for (int i = 0; i < n; i++) {
            int l = images.label(i);
            y.setDouble(i, l == 0 ? 10 : l);
        }
        MatFile mat = Mat5.newMatFile().addArray("X", x).addArray("y", y);
        AtomicWrite.writeUnchecked(matFile, tmp -> {
            try (Sink sink = Sinks.newStreamingFile(tmp.toFile())) {
                mat.writeTo(sink);
            }
        });
    }
}
