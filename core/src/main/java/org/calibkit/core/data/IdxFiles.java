package org.calibkit.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * Reads the IDX format of MNIST (LeCun et al. 1998, http://yann.lecun.com/exdb/mnist/): a
 * big-endian header (magic 2051 for unsigned-byte images with 3 dimensions, 2049 for
 * unsigned-byte labels with 1 dimension), the dimension sizes, then the bytes. Files may be raw or
 * gzipped (recognised by the gzip magic bytes, not by the name). Every damage is reported as a
 * {@link DataFormatException}; offsets in gzipped files are offsets in the uncompressed stream.
 */
public final class IdxFiles {
    /** Magic number of an unsigned-byte 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_FLOAT[i] = i;
        }
    }

    private IdxFiles() {
    }

    /** Images of an IDX file: {@code count} images of {@code rows x cols} bytes from {@code offset}. */
    public record Images(Path file, byte[] data, int offset, int count, int rows, int cols) {
    }

    /**
     * The file's bytes, uncompressed when it is gzipped.
     *
     * @throws DataFormatException when the gzip stream is damaged or truncated
     */
    public static byte[] readBytes(Path file) {
        try {
            byte[] head = new byte[2];
            boolean gz;
            try (InputStream in = Files.newInputStream(file)) {
                gz = in.readNBytes(head, 0, 2) == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
            }
            if (!gz) {
                return Files.readAllBytes(file);
            }
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                    1 << 16)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new DataUnavailableException(file + ": no such file");
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw new DataFormatException(file, -1, "damaged or truncated gzip data: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** Parses an images file already in memory. */
    public static Images parseImages(Path file, byte[] b) {
        requireHeader(file, b, IMAGES_MAGIC, 16, "images (3 dimensions)");
        int n = readInt(b, 4);
        int rows = readInt(b, 8);
        int cols = readInt(b, 12);
        if (n < 0) {
            throw new DataFormatException(file, 4, "expected a non-negative image count, found " + n);
        }
        if (rows <= 0 || rows > 4096) {
            throw new DataFormatException(file, 8, "expected a row count in 1..4096, found " + rows);
        }
        if (cols <= 0 || cols > 4096) {
            throw new DataFormatException(file, 12, "expected a column count in 1..4096, found " + cols);
        }
        long expected = 16L + (long) n * rows * cols;
        checkLength(file, b, expected, "16-byte header + " + n + " x " + rows + " x " + cols + " pixels");
        return new Images(file, b, 16, n, rows, cols);
    }

    /** Parses a labels file already in memory; every label must be in {@code [0, numClasses)}. */
    public static int[] parseLabels(Path file, byte[] b, int numClasses) {
        requireHeader(file, b, LABELS_MAGIC, 8, "labels (1 dimension)");
        int n = readInt(b, 4);
        if (n < 0) {
            throw new DataFormatException(file, 4, "expected a non-negative label count, found " + n);
        }
        checkLength(file, b, 8L + n, "8-byte header + " + n + " labels");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int l = b[8 + i] & 0xFF;
            if (l >= numClasses) {
                throw new DataFormatException(file, 8 + i, "expected a label in 0.." + (numClasses - 1)
                        + ", found " + l + " (row " + i + ")");
            }
            labels[i] = l;
        }
        return labels;
    }

    /** Reads an images file and a labels file into an {@link ImageSet} (1 channel, values 0..255). */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames, DataOrigin origin) {
        return toImageSet(parseImages(imagesFile, readBytes(imagesFile)), labelsFile,
                parseLabels(labelsFile, readBytes(labelsFile), classNames.size()), classNames, origin);
    }

    /** Pairs parsed images and labels, checking that their counts agree. */
    public static ImageSet toImageSet(Images images, Path labelsFile, int[] labels, List<String> classNames,
                                      DataOrigin origin) {
        return toImageSet(images, labelsFile, labels, classNames, origin, 0, images.count());
    }

    /** Like {@link #toImageSet(Images, Path, int[], List, DataOrigin)} for images {@code from..to-1} only. */
    public static ImageSet toImageSet(Images images, Path labelsFile, int[] labels, List<String> classNames,
                                      DataOrigin origin, int from, int to) {
        if (images.count() != labels.length) {
            throw new DataFormatException(labelsFile, 4, "expected " + images.count() + " labels, one for each image in "
                    + images.file() + ", found " + labels.length);
        }
        java.util.Objects.checkFromToIndex(from, to, images.count());
        int per = images.rows() * images.cols();
        int total = Math.multiplyExact(to - from, per);
        float[] px = new float[total];
        byte[] b = images.data();
        int off = images.offset() + from * per;
        for (int i = 0; i < total; i++) {
            px[i] = TO_FLOAT[b[off + i] & 0xFF];
        }
        int[] part = from == 0 && to == labels.length ? labels : java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageSet(px, part, 1, images.rows(), images.cols(), classNames, origin);
    }

    private static void requireHeader(Path file, byte[] b, int magic, int headerBytes, String what) {
        if (b.length < 4) {
            throw new DataFormatException(file, b.length, "truncated: expected at least a " + headerBytes
                    + "-byte IDX header, found " + b.length + " bytes");
        }
        int m = readInt(b, 0);
        if (m != magic) {
            throw new DataFormatException(file, 0, String.format(
                    "expected IDX magic number %d (0x%08x, unsigned-byte %s), found %d (0x%08x)", magic, magic, what, m, m));
        }
        if (b.length < headerBytes) {
            throw new DataFormatException(file, b.length, "truncated: expected a " + headerBytes
                    + "-byte IDX header, found " + b.length + " bytes");
        }
    }

    private static void checkLength(Path file, byte[] b, long expected, String layout) {
        if (b.length < expected) {
            throw new DataFormatException(file, b.length, "truncated: expected " + expected + " bytes (" + layout
                    + "), found " + b.length);
        }
        if (b.length > expected) {
            throw new DataFormatException(file, expected, "expected " + expected + " bytes (" + layout + "), found "
                    + b.length + " (" + (b.length - expected) + " trailing bytes)");
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
