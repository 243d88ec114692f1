package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** Writes {@code .npy} files for {@link Npy}: format 1.0, little-endian, C order, through {@link AtomicWrite}. */
final class NpyWriter {
    private NpyWriter() {
    }

    /** Writes a row-major n x k matrix as a little-endian float64 .npy file (format 1.0, C order). */
    static void writeMatrix(Path file, double[] rowMajor, int n, int k) {
        Objects.requireNonNull(rowMajor, "values");
        if (n < 0 || k < 0 || (long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected " + n + " x " + k + " values, but got " + rowMajor.length);
        }
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(rowMajor.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : rowMajor) {
            data.putDouble(v);
        }
        write(file, NpyHeader.format("<f8", "(" + n + ", " + k + ")"), data.array());
    }

    /** Writes labels as a little-endian int64 .npy file of shape (n,). */
    static void writeLabels(Path file, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(labels.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : labels) {
            data.putLong(v);
        }
        write(file, NpyHeader.format("<i8", "(" + labels.length + ",)"), data.array());
    }

    private static void write(Path file, byte[] header, byte[] data) {
        Objects.requireNonNull(file, "file");
        try {
            AtomicWrite.write(file, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(header));
                    ByteBuffer d = ByteBuffer.wrap(data);
                    while (d.hasRemaining()) {
                        ch.write(d);
                    }
                    ch.force(true);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
