package org.calibkit.report.probes;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.calibkit.core.ImageSet;

/**
 * The probes without any signal: blank, constant grey and noise images in the model's shape.
 * Their labels are all 0 and mean nothing ({@link ProbeImages#labelled()} is false).
 */
final class SyntheticProbes {
    /** The grey levels of {@code constant-grey} as fractions of 255. */
    static final double[] GREY_LEVELS = {0.25, 0.5, 0.75};

    private SyntheticProbes() {
    }

    static Probe blankBlack() {
        return constant("blank-black", "Every pixel 0, a black image: there is nothing to classify.", 0f);
    }

    static Probe blankWhite() {
        return constant("blank-white", "Every pixel 255, a white image: there is nothing to classify.", 255f);
    }

    private static Probe constant(String name, String sentence, float value) {
        return new BuiltInProbe(name, sentence, ProbeKind.NO_SIGNAL, ctx -> {
            int n = ctx.size();
            float[] px = new float[ProbeSupport.length(ctx, n)];
            Arrays.fill(px, value);
            return result(ctx, name, px, n, "generated: every pixel " + fmt(value), sentence);
        });
    }

    /**
     * Levels 63.75, 127.5 and 191.25 (0.25, 0.5 and 0.75 of 255, exact in float, not rounded to
     * whole 8-bit values), in three consecutive blocks: image {@code i} of {@code n} has level
     * {@code floor(3i/n)}, so the block sizes differ by at most one (334, 333, 333 for 1,000).
     */
    static Probe constantGrey() {
        String sentence = "Uniform grey images at 25%, 50% and 75% of full brightness (pixel values 63.75, 127.5 "
                + "and 191.25): no content at all.";
        String name = "constant-grey";
        return new BuiltInProbe(name, sentence, ProbeKind.NO_SIGNAL, ctx -> {
            int n = ctx.size();
            int per = ctx.test().pixelsPerImage();
            float[] px = new float[ProbeSupport.length(ctx, n)];
            for (int i = 0; i < n; i++) {
                float level = (float) (255.0 * GREY_LEVELS[(int) (3L * i / n)]);
                Arrays.fill(px, i * per, (i + 1) * per, level);
            }
            return result(ctx, name, px, n, "generated: constant grey levels 63.75, 127.5, 191.25", sentence);
        });
    }

    /** Every pixel of every channel independently uniform in [0, 255) (continuous, not rounded). */
    static Probe noiseUniform() {
        String name = "noise-uniform";
        String sentence = "Independent uniform noise in [0, 255] for every pixel: static, no object.";
        return new BuiltInProbe(name, sentence, ProbeKind.NO_SIGNAL, ctx -> {
            int n = ctx.size();
            SplittableRandom r = ProbeSupport.random(ctx.seed(), name);
            float[] px = new float[ProbeSupport.length(ctx, n)];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) (r.nextDouble() * 255.0);
            }
            return result(ctx, name, px, n, "generated: uniform noise, seed " + ctx.seed(), sentence);
        });
    }

    /**
     * Every pixel of channel {@code c} independently normal with the mean and (population)
     * standard deviation of channel {@code c} over all test pixels, then clipped to [0, 255]. The
     * clipping moves the mean and shrinks the spread when the test pixels sit near 0 or 255 (for
     * MNIST, mean 33 and standard deviation 79, about a third of the draws are clipped to 0).
     */
    static Probe noiseGaussian() {
        String name = "noise-gaussian";
        String sentence = "Gaussian noise with the per-channel mean and standard deviation of the test images, clipped "
                + "to [0, 255]: the right pixel statistics, but no shapes.";
        return new BuiltInProbe(name, sentence, ProbeKind.NO_SIGNAL, ctx -> {
            ImageSet t = ctx.test();
            double[][] ms = channelMeanStd(t);
            int n = ctx.size();
            int c = t.channels();
            int plane = t.height() * t.width();
            SplittableRandom r = ProbeSupport.random(ctx.seed(), name);
            float[] px = new float[ProbeSupport.length(ctx, n)];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    double mean = ms[0][ch];
                    double std = ms[1][ch];
                    int base = (i * c + ch) * plane;
                    for (int p = 0; p < plane; p++) {
                        double v = mean + std * r.nextGaussian();
                        px[base + p] = (float) Math.min(255.0, Math.max(0.0, v));
                    }
                }
            }
            StringBuilder stats = new StringBuilder();
            for (int ch = 0; ch < c; ch++) {
                stats.append(ch == 0 ? "" : "; ").append(String.format(Locale.ROOT, "mean %.2f, std %.2f", ms[0][ch], ms[1][ch]));
            }
            return result(ctx, name, px, n, "generated: Gaussian noise with the test pixels' " + stats + ", seed "
                    + ctx.seed(), sentence);
        });
    }

    /** {means, stds} per channel over every pixel of {@code set} (population standard deviation). */
    static double[][] channelMeanStd(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        float[] px = set.rawPixels();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                double s = 0;
                double s2 = 0;
                for (int p = 0; p < plane; p++) {
                    double v = px[base + p];
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double count = (double) set.size() * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / count;
            std[ch] = Math.sqrt(Math.max(0, sumSq[ch] / count - mean[ch] * mean[ch]));
        }
        return new double[][] {mean, std};
    }

    private static ProbeImages result(ProbeContext ctx, String name, float[] px, int n, String location, String sentence) {
        return new ProbeImages(name, ProbeKind.NO_SIGNAL, ProbeSupport.generated(ctx, name, px, n, location), false, false,
                sentence);
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
