package org.calibkit.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * A few hundred real MNIST images for unit tests, shipped as test resources
 * ({@code mnist-sample/}, see its README): the first 400 of the training file (so the head of the
 * {@code train} split) and the first 500 of the test file, read with the same IDX parser as the
 * data set, so {@code MnistSample.test(n)} holds the same pixels and labels as
 * {@code DataCatalog.load("mnist", "test", null).limit(n)} without the network or the cache.
 */
public final class MnistSample {
    private static final String DIR = "mnist-sample/";

    private MnistSample() {
    }

    /** The first {@code n} (at most 400) images of the training split. */
    public static ImageSet train(int n) {
        return read("train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz").limit(n);
    }

    /** The first {@code n} (at most 500) images of the test split. */
    public static ImageSet test(int n) {
        return read("test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz").limit(n);
    }

    private static ImageSet read(String split, String images, String labels) {
        Path imagesName = Path.of(DIR + images);
        Path labelsName = Path.of(DIR + labels);
        IdxFiles.Images parsed = IdxFiles.parseImages(imagesName, bytes(images));
        int[] y = IdxFiles.parseLabels(labelsName, bytes(labels), ClassNames.DIGITS.size());
        DataOrigin origin = new DataOrigin("mnist", split, "test resource " + DIR, null, false);
        return IdxFiles.toImageSet(parsed, labelsName, y, ClassNames.DIGITS, origin);
    }

    private static byte[] bytes(String name) {
        try (InputStream raw = MnistSample.class.getResourceAsStream(DIR + name)) {
            if (raw == null) {
                throw new IllegalStateException("test resource " + DIR + name + " is missing");
            }
            try (InputStream in = new GZIPInputStream(raw)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
