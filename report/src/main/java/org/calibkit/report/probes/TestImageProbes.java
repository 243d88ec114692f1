package org.calibkit.report.probes;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.calibkit.core.ImageSet;

/**
 * Probes made from the model's own test images: {@code inverted}, {@code unscaled},
 * {@code rotated-N} and {@code shifted-N}. Labels are the test labels ({@link ProbeImages#labelled()}).
 *
 * <p>All of them transform the same test images in the same order: {@code min(size, test size)}
 * distinct images drawn with the seed (stream {@value #SAMPLE_STREAM}), so that their results are
 * paired: {@code rotated-15} to {@code rotated-90} differ only by the angle, not by which images
 * happened to be drawn. Each probe's own random choices (the shift directions) use a stream named
 * after the probe.
 */
final class TestImageProbes {
    /** Random stream of the shared choice of test images. */
    static final String SAMPLE_STREAM = "test-images";
    /** Rotation angles, in degrees. */
    static final int[] ANGLES = {15, 30, 45, 60, 90};
    /** Shift distances, in pixels. */
    static final int[] SHIFTS = {2, 4, 6};

    private TestImageProbes() {
    }

    /** The indices of the test images every probe of this class transforms, in order. */
    static int[] sample(ProbeContext ctx) {
        return ProbeSupport.sample(ctx.test().size(), ctx.size(), ProbeSupport.random(ctx.seed(), SAMPLE_STREAM));
    }

    /** One transformed image: read {@code src} at {@code srcOff}, write {@code dst} at {@code dstOff}. */
    private interface Transform {
        void apply(int image, float[] src, int srcOff, float[] dst, int dstOff);
    }

    /** One pixel's new value from its old one. */
    private interface PixelMap {
        float apply(float v);
    }

    /**
     * A shift probe: the sampled test images through the transform {@code make} builds for the
     * context, described as {@code what} says for it.
     */
    private static Probe shift(String name, String sentence, Function<ProbeContext, String> what,
                               Function<ProbeContext, Transform> make) {
        return new BuiltInProbe(name, sentence, ProbeKind.SHIFT,
                ctx -> transformed(ctx, name, ProbeKind.SHIFT, false, sentence, what.apply(ctx), make.apply(ctx)));
    }

    /** The sampled test images with every value mapped through {@code f}. */
    private static ProbeImages mapped(ProbeContext ctx, String name, ProbeKind kind, boolean bypass, String sentence,
                                      String what, PixelMap f) {
        int per = ctx.test().pixelsPerImage();
        return transformed(ctx, name, kind, bypass, sentence, what, (i, src, s, dst, d) -> {
            for (int p = 0; p < per; p++) {
                dst[d + p] = f.apply(src[s + p]);
            }
        });
    }

    private static ProbeImages transformed(ProbeContext ctx, String name, ProbeKind kind, boolean bypass, String sentence,
                                           String what, Transform t) {
        ImageSet test = ctx.test();
        int[] idx = sample(ctx);
        int per = test.pixelsPerImage();
        float[] src = test.rawPixels();
        float[] px = new float[ProbeSupport.length(ctx, idx.length)];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            t.apply(i, src, idx[i] * per, px, i * per);
            labels[i] = test.label(idx[i]);
        }
        String location = test.origin().dataset() + "/" + test.origin().split() + " (" + test.origin().location() + "), "
                + idx.length + " images chosen with seed " + ctx.seed() + ", " + what;
        ImageSet images = ProbeSupport.images(ctx, name, px, labels, location, test.origin().sha256(),
                test.origin().verified());
        return new ProbeImages(name, kind, images, true, bypass, sentence);
    }

    static Probe inverted() {
        String name = "inverted";
        String sentence = "Test images with their brightness inverted (255 - x): the same objects, dark on light "
                + "instead of light on dark.";
        return new BuiltInProbe(name, sentence, ProbeKind.SHIFT,
                ctx -> mapped(ctx, name, ProbeKind.SHIFT, false, sentence, "inverted (255 - x)", v -> 255f - v));
    }

    /**
     * The test images as they would arrive if the model's pixel scaling were forgotten: for a
     * model that scales by {@code inputScale < 0.1} (1/255 for calibkit bundles) the pixels are
     * multiplied by 255, so after the model's own scaling it sees 0..255 where it expects 0..1;
     * for a model fed raw pixels ({@code inputScale >= 0.1}) they are divided by 255, the reverse
     * mistake (inputs already scaled to 0..1 handed to a model that expects 0..255).
     */
    static Probe unscaled() {
        String name = "unscaled";
        String sentence = "Test images handed to the model without its pixel scaling, the classic preprocessing bug: "
                + "0..255 where it expects 0..1 (or 0..1 where it expects 0..255).";
        return new BuiltInProbe(name, sentence, ProbeKind.PREPROCESSING, ctx -> {
            boolean up = ctx.inputScale() < 0.1;
            float f = up ? 255f : 1f / 255f;
            String what = up ? "multiplied by 255 (the model's x" + ctx.inputScale() + " then gives 0..255, not 0..1)"
                    : "divided by 255 (the model expects 0..255 and gets 0..1)";
            String s = up ? "Test images handed to the model without its pixel scaling (the classic preprocessing bug): "
                    + "after its own scaling it sees 0..255 where it was trained on 0..1."
                    : "Test images already divided by 255 handed to a model that expects raw 0..255 pixels (the "
                    + "reverse of the classic preprocessing bug).";
            return mapped(ctx, name, ProbeKind.PREPROCESSING, true, s, what, v -> v * f);
        });
    }

    static Probe rotated(int degrees) {
        return shift("rotated-" + degrees, "Test images rotated by " + degrees + " degrees counter-clockwise about their "
                + "centre (bilinear interpolation, corners filled with 0).", ctx -> "rotated by " + degrees + " degrees",
                ctx -> {
                    ImageSet t = ctx.test();
                    ImageOps.Warp w = ImageOps.rotation(t.height(), t.width(), degrees);
                    int c = t.channels();
                    return (i, src, s, dst, d) -> w.apply(src, s, dst, d, c);
                });
    }

    /**
     * Every image moved by {@code pixels} in its own random direction: an angle {@code a}
     * uniform in [0, 2 pi) from the probe's stream, rounded to a whole-pixel offset
     * {@code (round(pixels cos a), round(pixels sin a))} (x right, y down), so the distance moved is
     * within 0.71 pixels of {@code pixels} and no interpolation blurs the image; vacated pixels are 0.
     */
    static Probe shifted(int pixels) {
        String name = "shifted-" + pixels;
        String sentence = "Test images moved by " + pixels + " pixels in a random direction (whole pixels, the "
                + "uncovered edge filled with 0).";
        return shift(name, sentence, ctx -> "moved by " + pixels + " pixels in directions drawn with seed " + ctx.seed(),
                ctx -> {
                    ImageSet t = ctx.test();
                    SplittableRandom r = ProbeSupport.random(ctx.seed(), name);
                    int[][] offsets = offsets(r, Math.min(ctx.size(), t.size()), pixels);
                    return (i, src, s, dst, d) -> ImageOps.shift(src, s, dst, d, t.channels(), t.height(), t.width(),
                            offsets[i][0], offsets[i][1]);
                });
    }

    /** {@code n} offsets {dx, dy} of length about {@code pixels} in random directions. */
    static int[][] offsets(SplittableRandom r, int n, int pixels) {
        int[][] o = new int[n][];
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble() * 2 * Math.PI;
            o[i] = new int[] {(int) Math.round(pixels * Math.cos(a)), (int) Math.round(pixels * Math.sin(a))};
        }
        return o;
    }
}
