package org.calibkit.report.probes;

import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.core.ImageSet;

/**
 * What a probe needs to know about the model it is for.
 *
 * @param test        the model's test split: its shape, class names and pixel convention (0..255)
 *                    define what the probes produce; the test-image probes transform its images
 * @param datasetName the model's data set as {@link org.calibkit.core.data.DataCatalog} names it
 *                    (e.g. {@code mnist}), or any other name for user data; a probe from this data
 *                    set is skipped
 * @param size        images per probe (default {@value #DEFAULT_SIZE}); probes that take images
 *                    from a data set take at most as many as it has
 * @param seed        seed of every random choice; the same context gives identical pixels
 * @param dataDir     the user's data directory handed to {@link org.calibkit.core.data.DataCatalog},
 *                    or {@code null}
 * @param inputScale  the multiplier the model applies to 0..255 pixels ({@code 1/255} for calibkit
 *                    bundles, 1 for a model fed raw 0..255); it decides what {@code unscaled} does
 */
public record ProbeContext(ImageSet test, String datasetName, int size, long seed, Path dataDir, double inputScale) {
    /** Images per probe unless told otherwise. */
    public static final int DEFAULT_SIZE = 1000;

    /** The pixel scale of calibkit's bundles ({@code Preprocessing.scale()}: 8-bit pixels to [0, 1]). */
    public static final double UNIT_SCALE = 1.0 / 255.0;

    /**
     * @throws IllegalArgumentException naming the argument and its value
     */
    public ProbeContext {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(datasetName, "datasetName");
        if (test.size() == 0) {
            throw new IllegalArgumentException("test must hold at least one image, but " + test.describe() + " is empty");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size (images per probe) must be > 0, but got " + size);
        }
        if ((long) size * test.pixelsPerImage() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("size " + size + " x " + test.pixelsPerImage()
                    + " pixels per image does not fit in one array; use a smaller size");
        }
        if (!(inputScale > 0) || !Double.isFinite(inputScale)) {
            throw new IllegalArgumentException("inputScale must be finite and > 0, but got " + inputScale);
        }
    }

    /** Defaults for a calibkit bundle: {@value #DEFAULT_SIZE} images, seed 0, no data directory, scale 1/255. */
    public static ProbeContext of(ImageSet test, String datasetName) {
        return new ProbeContext(test, datasetName, DEFAULT_SIZE, 0L, null, UNIT_SCALE);
    }

    /** The same context with another number of images per probe. */
    public ProbeContext withSize(int newSize) {
        return new ProbeContext(test, datasetName, newSize, seed, dataDir, inputScale);
    }

    /** The same context with another seed. */
    public ProbeContext withSeed(long newSeed) {
        return new ProbeContext(test, datasetName, size, newSeed, dataDir, inputScale);
    }

    /** The same context with another data directory ({@code null} for none). */
    public ProbeContext withDataDir(Path newDataDir) {
        return new ProbeContext(test, datasetName, size, seed, newDataDir, inputScale);
    }

    /** The same context with another model pixel scale. */
    public ProbeContext withInputScale(double newInputScale) {
        return new ProbeContext(test, datasetName, size, seed, dataDir, newInputScale);
    }
}
