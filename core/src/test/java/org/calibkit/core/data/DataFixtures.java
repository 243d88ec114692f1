package org.calibkit.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/** Small data writers for tests (shared with other modules through core's test-jar). */
public final class DataFixtures {
    private DataFixtures() {
    }

    /**
     * The directory of the verified real MNIST files in the default cache, for the tests of the
     * fetch chain itself (they serve and checksum the real files). Unit tests never download: when
     * the files are not cached (a fresh machine: {@code calibkit data fetch mnist} caches them) the
     * calling test is skipped with that reason. Tests that only need images use {@link MnistSample}.
     */
    public static Path realMnistCache() {
        DataLocations d = DataLocations.defaults(null).withUserDir(null);
        Path dir = d.cacheDir("mnist");
        for (IdxDataset.FileSpec f : Mnist.create().files()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(dir.resolve(f.name())),
                    "real MNIST is not in the cache " + dir + " (calibkit data fetch mnist); unit tests do not download");
        }
        Mnist.create().fetch(d, ProgressListener.silent()); // verifies the cached files, no network
        return dir;
    }

    /** Sum of {@code a[from..to)} in double precision (to compare with numpy's integer sums). */
    public static double sum(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    /** IDX images file bytes: magic 2051, n, rows, cols, then the pixels. */
    public static byte[] idxImages(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxFiles.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    /** IDX labels file bytes: magic 2049, n, then the labels. */
    public static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxFiles.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** gzip of {@code bytes}. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    /** Writes {@code bytes} to {@code file}, creating directories. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} random 3x32x32 images with integer values 0..255 and labels 0..9 (fixed seed). */
    public static ImageSet randomSvhnLike(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * 3 * 32 * 32];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet(px, labels, 3, 32, 32, SvhnFiles.CLASS_NAMES,
                new DataOrigin("test", "test", "memory", null, false));
    }

    /** Class names "0".."9". */
    public static List<String> digits() {
        return SvhnFiles.CLASS_NAMES;
    }
}
