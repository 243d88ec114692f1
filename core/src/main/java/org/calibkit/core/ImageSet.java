package org.calibkit.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images as one dense float array of shape (n, channels, height, width), row-major,
 * with int labels in {@code [0, classNames.size())}.
 *
 * <p>Pixel convention: values are on the 0..255 scale of 8-bit images (MNIST: white ink, 0 =
 * black background). Scaling to what a model expects is the job of
 * {@code Preprocessing}, which travels with the model; an {@code ImageSet} never carries
 * pre-scaled values silently. Immutable: accessors return copies, except {@link #rawPixels()}
 * which is documented as a read-only view for hot loops.
 */
public final class ImageSet {
    private final float[] pixels;
    private final int[] labels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final DataOrigin origin;

    /**
     * @throws CalibkitException when the array sizes disagree with the shape or a label is out of range
     */
    public ImageSet(float[] pixels, int[] labels, int channels, int height, int width,
                    List<String> classNames, DataOrigin origin) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(origin, "origin");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new CalibkitException("image shape must be positive, got channels=" + channels
                    + " height=" + height + " width=" + width + " (" + origin.location() + ")");
        }
        if (classNames.isEmpty()) {
            throw new CalibkitException("classNames must not be empty (" + origin.location() + ")");
        }
        long per = (long) channels * height * width;
        if ((long) labels.length * per != pixels.length) {
            throw new CalibkitException("pixels has " + pixels.length + " values but " + labels.length
                    + " labels x " + channels + "x" + height + "x" + width + " needs "
                    + (labels.length * per) + " (" + origin.location() + ")");
        }
        int k = classNames.size();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new CalibkitException("label " + labels[i] + " at row " + i + " is outside [0, "
                        + k + ") (" + origin.location() + ")");
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.count = labels.length;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.origin = origin;
    }

    public int size() { return count; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    /** channels * height * width. */
    public int pixelsPerImage() { return channels * height * width; }
    public int numClasses() { return classNames.size(); }
    public List<String> classNames() { return classNames; }
    public DataOrigin origin() { return origin; }
    /** Shape of one image: {channels, height, width}. */
    public int[] shape() { return new int[] {channels, height, width}; }

    public int label(int i) {
        Objects.checkIndex(i, count);
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() { return labels.clone(); }

    /** A copy of image {@code i}, (channels, height, width) row-major. */
    public float[] image(int i) {
        Objects.checkIndex(i, count);
        int per = pixelsPerImage();
        return Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
    }

    /**
     * The backing array, not a copy. Callers must not modify it; it exists so that batch
     * prediction and statistics avoid copying 47 M floats.
     */
    public float[] rawPixels() { return pixels; }

    /** Number of images of each class, indexed by class index. */
    public int[] labelCounts() {
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), under the given split name. */
    public ImageSet slice(int from, int to, String split) {
        Objects.checkFromToIndex(from, to, count);
        int per = pixelsPerImage();
        return new ImageSet(Arrays.copyOfRange(pixels, from * per, to * per),
                Arrays.copyOfRange(labels, from, to), channels, height, width, classNames,
                origin.withSplit(split));
    }

    /** The first {@code n} images (all of them when {@code n >= size()}). */
    public ImageSet limit(int n) {
        if (n < 0) {
            throw new CalibkitException("limit must be >= 0, got " + n);
        }
        return n >= count ? this : slice(0, n, origin.split());
    }

    /**
     * For messages to users: {@code mnist/test (4 images of 1x28x28)}, never the {@link #toString()}
     * of a Java object.
     */
    public String describe() {
        return origin.dataset() + "/" + origin.split() + " (" + count + (count == 1 ? " image" : " images") + " of "
                + channels + "x" + height + "x" + width + ")";
    }

    @Override
    public String toString() {
        return "ImageSet[" + origin.dataset() + "/" + origin.split() + ", n=" + count + ", shape="
                + channels + "x" + height + "x" + width + ", classes=" + classNames.size() + "]";
    }
}
