package org.calibkit.core.corrupt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * One corruption of a family ({@code mnist-c} or {@code cifar-c}) with its ladder of
 * {@value #SEVERITIES} severities, applied to every image of an {@link ImageSet} (0..255 pixels,
 * any number of channels; the result is clipped to 0..255). Deterministic: the same images,
 * severity and seed give the same pixels. Image {@code i} draws its random numbers from its own
 * stream (the seed, the corruption's key and {@code i}), the same at every severity, so a
 * severity ladder changes the strength, not the draws (the same rotation direction, the same
 * line, the same fog). Immutable.
 */
public final class Corruption {
    /** Severities are 1..5. */
    public static final int SEVERITIES = 5;

    /** The work on one image: {@code x} holds its (channels, height, width) pixels on 0..1; the result is clipped. */
    @FunctionalInterface
    interface Kernel {
        double[] apply(double[] x, int channels, int height, int width, int severity, SplittableRandom random);
    }

    private final String family;
    private final String name;
    private final String description;
    private final List<String> settings;
    private final Kernel kernel;

    Corruption(String family, String name, String description, List<String> settings, Kernel kernel) {
        this.family = Objects.requireNonNull(family, "family");
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.settings = List.copyOf(settings);
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        if (this.settings.size() != SEVERITIES) {
            throw new IllegalArgumentException(family + "/" + name + " needs " + SEVERITIES + " settings, got "
                    + this.settings.size());
        }
    }

    /** {@code mnist-c} or {@code cifar-c}. */
    public String family() { return family; }

    /** The corruption's name in its family, e.g. {@code rotate}. */
    public String name() { return name; }

    /** {@code family/name}, e.g. {@code mnist-c/rotate}. */
    public String key() { return family + "/" + name; }

    /** {@code family/name/severity}, e.g. {@code mnist-c/rotate/3}: the name of one corrupted set. */
    public String key(int severity) {
        checkSeverity(severity);
        return key() + "/" + severity;
    }

    /** One sentence: what the corruption does and where its definition comes from. */
    public String description() { return description; }

    /** The parameters of {@code severity} in words, e.g. {@code angle 0.4 rad (22.9 deg), random sign}. */
    public String setting(int severity) {
        checkSeverity(severity);
        return settings.get(severity - 1);
    }

    /**
     * The corrupted copy of {@code images} (same labels, class names and shape); its origin's
     * dataset names the corruption and severity.
     *
     * @throws IllegalArgumentException for a severity outside 1..5
     */
    public ImageSet apply(ImageSet images, int severity, long seed) {
        Objects.requireNonNull(images, "images");
        checkSeverity(severity);
        int per = images.pixelsPerImage();
        float[] src = images.rawPixels();
        float[] out = new float[src.length];
        // image i draws from its own random(seed, i) and writes only its own pixels: the images can be
        // corrupted in any order, on every core, and give the same set
        java.util.stream.IntStream.range(0, images.size()).parallel().forEach(i ->
                applyInto(src, i * per, out, i * per, images.channels(), images.height(), images.width(), severity,
                        random(seed, i)));
        DataOrigin o = images.origin();
        return new ImageSet(out, images.labels(), images.channels(), images.height(), images.width(), images.classNames(),
                new DataOrigin(o.dataset(), o.split(), o.location() + ", corrupted by " + key(severity) + " ("
                        + setting(severity) + ") with seed " + seed, o.sha256(), o.verified()));
    }

    /** Corrupts one image (0..255 values) from {@code src} at {@code srcOff} into {@code dst} at {@code dstOff}. */
    void applyInto(float[] src, int srcOff, float[] dst, int dstOff, int channels, int height, int width, int severity,
                   SplittableRandom random) {
        int per = channels * height * width;
        double[] x = new double[per];
        for (int p = 0; p < per; p++) {
            x[p] = src[srcOff + p] / 255.0;
        }
        double[] y = kernel.apply(x, channels, height, width, severity, random);
        for (int p = 0; p < per; p++) {
            double v = y[p];
            if (Double.isNaN(v)) {
                throw new CalibkitException(key(severity) + " produced NaN at pixel " + p);
            }
            dst[dstOff + p] = (float) (Filters.clip01(v) * 255.0);
        }
    }

    /**
     * The random stream of image {@code index}: FNV-1a (64 bits) of the key's UTF-8 bytes mixed
     * with the seed and the index by the MurmurHash3 finaliser.
     */
    SplittableRandom random(long seed, int index) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= seed * 0x9e3779b97f4a7c15L;
        h ^= (index + 1L) * 0xc2b2ae3d27d4eb4fL;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return new SplittableRandom(h);
    }

    private void checkSeverity(int severity) {
        if (severity < 1 || severity > SEVERITIES) {
            throw new IllegalArgumentException("severity of " + key() + " must be in 1.." + SEVERITIES + ", but got "
                    + severity);
        }
    }

    @Override
    public String toString() {
        return "Corruption[" + key() + "]";
    }
}
