package org.calibkit.calibration.io;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * Reads and writes saved predictions: logits or probabilities (n x K matrices) and labels
 * (length n), as NumPy {@code .npy} ({@link Npy}) or CSV files ({@code CsvPredictions}), chosen by
 * the file extension: what the values must be (float matrices, integer labels) is checked here.
 *
 * <p>Every error is an {@link IllegalArgumentException} that starts with the file name and says
 * where (line and column, row and class, or byte offset) and what was expected; an unreadable
 * file is an {@link UncheckedIOException}. Writes go to a temporary file in the same directory
 * that is then moved into place, so a failed write never leaves a half-written file.
 */
public final class PredictionFiles {
    private PredictionFiles() {
    }

    /** Logits (n x K, K &gt;= 2, finite) from a .npy or .csv file. */
    public static Logits readLogits(Path file) {
        Matrix m = readMatrix(file);
        try {
            return Logits.of(m.values, m.rows, m.cols);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Probabilities (n x K, values in [0, 1]) from a .npy or .csv file.
     *
     * @param normalized true when each row must sum to 1 (softmax outputs), false for
     *                   independent one-vs-rest probabilities
     */
    public static Probabilities readProbabilities(Path file, boolean normalized) {
        Matrix m = readMatrix(file);
        try {
            return Probabilities.of(m.values, m.rows, m.cols, normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Integer class labels (non-negative) from a 1-D integer .npy file (int8/uint8/int32/int64), an
     * IDX1 uint8 label file (recognised by its magic number, whatever its name) or a one-column .csv file.
     */
    public static int[] readLabels(Path file) {
        Objects.requireNonNull(file, "file");
        int[] labels;
        if (isIdxLabels(file)) {
            labels = readIdxLabels(file);
        } else if (isNpy(file)) {
            Npy.Array a = Npy.read(file);
            if (a.rank() != 1 || !a.isInteger()) {
                throw new IllegalArgumentException(name(file) + ": expected a 1-D integer array, got shape "
                        + a.shapeString() + " " + a.dtypeName());
            }
            long[] values = a.longs();
            labels = new int[values.length];
            for (int i = 0; i < labels.length; i++) {
                long v = values[i];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name(file) + ": label " + v + " at index " + i
                            + " does not fit a 32-bit class index");
                }
                labels[i] = (int) v;
            }
        } else {
            labels = CsvPredictions.readLabels(file);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException(name(file) + ": expected at least one label, but the file has none");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(name(file) + ": expected non-negative class labels, but got "
                        + labels[i] + " at index " + i);
            }
        }
        return labels;
    }

    // ---------------------------------------------------------------- writing

    /** Writes logits as a float64 .npy file of shape (n, K). */
    public static void writeNpy(Path file, Logits logits) {
        writeNpy(file, logits.raw(), logits.n(), logits.k());
    }

    /** Writes probabilities as a float64 .npy file of shape (n, K). */
    public static void writeNpy(Path file, Probabilities p) {
        writeNpy(file, p.raw(), p.n(), p.k());
    }

    /** Writes a row-major n x k matrix as a little-endian float64 .npy file (format 1.0, C order). */
    public static void writeNpy(Path file, double[] rowMajor, int n, int k) {
        Npy.writeMatrix(file, rowMajor, n, k);
    }

    /** Writes labels as a little-endian int64 .npy file of shape (n,). */
    public static void writeNpy(Path file, int[] labels) {
        Npy.writeLabels(file, labels);
    }

    // ---------------------------------------------------------------- reading internals

    /** A row-major matrix read from a file. */
    record Matrix(double[] values, int rows, int cols) {
    }

    private static Matrix readMatrix(Path file) {
        Objects.requireNonNull(file, "file");
        if (isNpy(file)) {
            Npy.Array a = Npy.read(file);
            if (a.rank() != 2 || a.isInteger()) {
                throw new IllegalArgumentException(name(file) + ": expected a 2-D float32 or float64 array (rows x classes), got shape "
                        + a.shapeString() + " " + a.dtypeName());
            }
            if (a.dim(0) > Integer.MAX_VALUE || a.dim(1) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name(file) + ": shape " + a.shapeString() + " is too large");
            }
            return new Matrix(a.doubles(), (int) a.dim(0), (int) a.dim(1));
        }
        return CsvPredictions.readMatrix(file);
    }

    /** IDX1 label files (MNIST's own {@code *-labels-idx1-ubyte}): magic 0x00000801, uint8 labels. */
    private static final byte[] IDX1_UBYTE = {0, 0, 8, 1};

    private static boolean isIdxLabels(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), IDX1_UBYTE);
        } catch (java.io.IOException e) {
            return false; // the format's own reader names the problem
        }
    }

    /** Reads an IDX1 uint8 label file (LeCun et al., the MNIST distribution's format): a count, then one byte each. */
    private static int[] readIdxLabels(Path file) {
        byte[] b;
        try {
            long size = java.nio.file.Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(name(file) + ": IDX label file of " + size + " bytes is too large");
            }
            b = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (b.length < 8) {
            throw new IllegalArgumentException(name(file) + ": truncated IDX label file (" + b.length
                    + " bytes, the header alone is 8)");
        }
        long count = java.nio.ByteBuffer.wrap(b, 4, 4).getInt() & 0xffffffffL;
        if (count != b.length - 8L) {
            throw new IllegalArgumentException(name(file) + ": IDX label file declares " + count + " labels at byte offset 4, "
                    + "but holds " + (b.length - 8) + " bytes of labels");
        }
        int[] labels = new int[(int) count];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = b[8 + i] & 0xff;
        }
        return labels;
    }

    private static boolean isNpy(Path file) {
        String n = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return true;
        }
        if (n.endsWith(".csv") || n.endsWith(".txt")) {
            return false;
        }
        throw new IllegalArgumentException(name(file) + ": expected a .npy or .csv file");
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName());
    }

}
