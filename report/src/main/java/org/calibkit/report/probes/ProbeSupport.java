package org.calibkit.report.probes;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/** Seeding, sampling and packaging shared by the probes. */
final class ProbeSupport {
    /** Split name of every probe's {@link DataOrigin}. */
    static final String SPLIT = "probe";

    private ProbeSupport() {
    }

    /**
     * A generator for one random stream of one seed: the stream name (a probe's name) is hashed
     * (FNV-1a, 64 bits, of its UTF-8 bytes, then the MurmurHash3 finaliser) and mixed into the
     * seed, so every probe draws its own numbers and the same seed and name always give the same
     * ones (on the same Java release: {@code nextGaussian}'s algorithm is the JDK's).
     */
    static SplittableRandom random(long seed, String stream) {
        long h = 0xcbf29ce484222325L;
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return new SplittableRandom(seed ^ h);
    }

    /**
     * {@code k} distinct indices of {@code [0, population)} in random order (a partial
     * Fisher-Yates shuffle); all of them, shuffled, when {@code k >= population}.
     */
    static int[] sample(int population, int k, SplittableRandom r) {
        int[] idx = new int[population];
        for (int i = 0; i < population; i++) {
            idx[i] = i;
        }
        int take = Math.min(k, population);
        for (int i = 0; i < take; i++) {
            int j = i + r.nextInt(population - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, take);
    }

    /**
     * An image set in the model's shape and with its class names, from {@code pixels} of
     * {@code labels.length} images, whose origin names the probe.
     */
    static ImageSet images(ProbeContext ctx, String probe, float[] pixels, int[] labels, String location,
                           String sha256, boolean verified) {
        ImageSet t = ctx.test();
        return new ImageSet(pixels, labels, t.channels(), t.height(), t.width(), t.classNames(),
                new DataOrigin(probe, SPLIT, location, sha256, verified));
    }

    /** Generated images (no file behind them): origin not verified, no checksum. */
    static ImageSet generated(ProbeContext ctx, String probe, float[] pixels, int count, String location) {
        return images(ctx, probe, pixels, new int[count], location, null, false);
    }

    /** {@code size x pixels per image} of the model's shape, as an array length. */
    static int length(ProbeContext ctx, int count) {
        return Math.multiplyExact(count, ctx.test().pixelsPerImage());
    }

    /** "1x28x28" for a set's image shape. */
    static String shape(int channels, int height, int width) {
        return channels + "x" + height + "x" + width;
    }
}
