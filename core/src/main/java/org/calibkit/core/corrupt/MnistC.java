package org.calibkit.core.corrupt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * The 15 corruptions of MNIST-C (Mu and Gilmer 2019, "MNIST-C: A Robustness Benchmark for
 * Computer Vision", arXiv 1906.02337), from the definitions in its code,
 * google-research/mnist-c {@code corruptions.py} (commit aa07569). MNIST-C itself has one setting
 * per corruption: the default {@code severity} argument of each function there, which the data
 * set was generated with. Here that setting is severity 3 of a ladder of five; the other steps
 * are the code's own neighbouring levels where it has them, and are named on each corruption
 * where they are ours. Several channels are corrupted plane by plane with the same random draws.
 */
final class MnistC {
    static final String FAMILY = "mnist-c";

    private MnistC() {
    }

    static List<Corruption> all() {
        return List.of(shotNoise(), impulseNoise(), glassBlur(), motionBlur(), shear(), scale(), rotate(),
                brightness(), translate(), stripe(), fog(), spatter(), dottedLine(), zigzag(), cannyEdges());
    }

    /** Applies {@code f} to every channel plane with the same arguments. */
    interface PlaneOp {
        double[] apply(double[] plane, int h, int w);
    }

    static double[] perPlane(double[] x, int c, int h, int w, PlaneOp f) {
        int plane = h * w;
        double[] out = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double[] p = java.util.Arrays.copyOfRange(x, ch * plane, (ch + 1) * plane);
            System.arraycopy(f.apply(p, h, w), 0, out, ch * plane, plane);
        }
        return out;
    }

    static List<String> settings(double[] values, DoubleFunction<String> text) {
        List<String> s = new ArrayList<>();
        for (double v : values) {
            s.add(text.apply(v));
        }
        return s;
    }

    /** One settings line per row of {@code rows}. */
    static List<String> settings(double[][] rows, Function<double[], String> text) {
        List<String> s = new ArrayList<>();
        for (double[] v : rows) {
            s.add(text.apply(v));
        }
        return s;
    }

    /** {@code poisson(x c) / c} of every value. */
    static double[] shotNoise(double[] x, double c, SplittableRandom r) {
        double[] y = new double[x.length];
        for (int p = 0; p < x.length; p++) {
            y[p] = Filters.poisson(x[p] * c, r) / c;
        }
        return y;
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** {@code shot_noise}: {@code poisson(x c) / c}; MNIST-C c = 3 (its level 5); ladder 12, 5 (its levels 3, 4), 3, 2, 1 (ours). */
    static Corruption shotNoise() {
        double[] c = {12, 5, 3, 2, 1};
        return new Corruption(FAMILY, "shot_noise", "Poisson (shot) noise: each pixel becomes poisson(x c) / c; "
                + "smaller c, more noise (MNIST-C shot_noise, c = 3).", settings(c, v -> f("c = %s", fmt(v))),
                (x, ch, h, w, s, r) -> MnistC.shotNoise(x, c[s - 1], r));
    }

    /**
     * {@code impulse_noise}: skimage's salt-and-pepper noise, a share {@code amount} of the pixels set
     * to 0 or 1 with equal odds; MNIST-C amount 0.17 (its level 4); ladder 0.06, 0.09 (its levels
     * 2, 3), 0.17, 0.27 (its level 5), 0.37 (ours).
     */
    static Corruption impulseNoise() {
        double[] c = {0.06, 0.09, 0.17, 0.27, 0.37};
        return new Corruption(FAMILY, "impulse_noise", "Salt-and-pepper noise: a share of the pixels set to black or "
                + "white (MNIST-C impulse_noise, amount 0.17).", settings(c, v -> f("amount = %s", fmt(v))),
                (x, ch, h, w, s, r) -> saltAndPepper(x, c[s - 1], r));
    }

    static double[] saltAndPepper(double[] x, double amount, SplittableRandom r) {
        double[] y = x.clone();
        for (int p = 0; p < y.length; p++) {
            boolean flipped = r.nextDouble() < amount;
            boolean salted = r.nextDouble() < 0.5;
            if (flipped) {
                y[p] = salted ? 1 : 0;
            }
        }
        return y;
    }

    /**
     * {@code glass_blur}: blur, shuffle each pixel (at random, one in two) with one at most
     * {@code delta} away, {@code iterations} times, blur again. The code blurs with
     * {@code gaussian(x, sigma, multichannel=True)} on a 2-D image, which skimage reads as one
     * row axis and a channel axis, so the blur runs down the columns only; that is reproduced. The
     * first blur is truncated to 8 bits as there. MNIST-C (sigma 0.7, delta 1, 2 iterations) is its
     * level 1; ladder (0.6, 1, 1), (0.7, 1, 1) (ours), (0.7, 1, 2), (0.9, 2, 1), (1, 2, 3) (its levels 2, 3).
     */
    static Corruption glassBlur() {
        double[][] c = {{0.6, 1, 1}, {0.7, 1, 1}, {0.7, 1, 2}, {0.9, 2, 1}, {1.0, 2, 3}};
        List<String> st = settings(c, v -> f("sigma = %s, delta = %d, iterations = %d", fmt(v[0]), (int) v[1], (int) v[2]));
        return new Corruption(FAMILY, "glass_blur", "Glass blur: blurred, pixels swapped with near neighbours, blurred "
                + "again (MNIST-C glass_blur, sigma 0.7, delta 1, 2 iterations).", st,
                (x, ch, h, w, s, r) -> {
                    double sigma = c[s - 1][0];
                    int delta = (int) c[s - 1][1];
                    int iterations = (int) c[s - 1][2];
                    int cells = iterations * Math.max(0, h - 2 * delta) * Math.max(0, w - 2 * delta);
                    // the draws: per visited pixel a coin, and when it comes up, (dx, dy) in [-delta, delta)
                    int[] draws = new int[3 * cells];
                    for (int i = 0; i < cells; i++) {
                        draws[3 * i] = r.nextInt(2);
                        draws[3 * i + 1] = r.nextInt(2 * delta) - delta;
                        draws[3 * i + 2] = r.nextInt(2 * delta) - delta;
                    }
                    return perPlane(x, ch, h, w, (p, hh, ww) -> {
                        double[] b = Filters.gaussian(p, hh, ww, sigma, 0, Filters.Border.NEAREST);
                        for (int i = 0; i < b.length; i++) {
                            b[i] = Math.floor(b[i] * 255) / 255.0;
                        }
                        int k = 0;
                        for (int it = 0; it < iterations; it++) {
                            for (int y = hh - delta; y > delta; y--) {
                                for (int xx = ww - delta; xx > delta; xx--) {
                                    boolean swap = draws[3 * k] == 1;
                                    int dx = draws[3 * k + 1];
                                    int dy = draws[3 * k + 2];
                                    k++;
                                    if (swap) {
                                        int a = y * ww + xx;
                                        int bb = (y + dy) * ww + xx + dx;
                                        double t = b[a];
                                        b[a] = b[bb];
                                        b[bb] = t;
                                    }
                                }
                            }
                        }
                        return Filters.gaussian(b, hh, ww, sigma, 0, Filters.Border.NEAREST);
                    });
                });
    }

    /**
     * {@code motion_blur}: ImageMagick's motion blur ({@link Filters#motionBlur}) at an angle drawn
     * uniformly from [-45, 45) degrees; MNIST-C (radius 10, sigma 3) is its level 1; ladder (6, 1),
     * (8, 2) (CIFAR-10-C's levels 1 and 4), (10, 3), (15, 5), (15, 8) (its levels 2, 3).
     */
    static Corruption motionBlur() {
        return motionBlur(FAMILY, "Motion blur along a random direction within 45 degrees of horizontal (MNIST-C "
                + "motion_blur, ImageMagick radius 10, sigma 3).", new double[][] {{6, 1}, {8, 2}, {10, 3}, {15, 5}, {15, 8}});
    }

    /** Motion blur at (radius, sigma) = {@code c[level - 1]} along an angle drawn uniformly from [-45, 45) degrees. */
    static Corruption motionBlur(String family, String description, double[][] c) {
        return new Corruption(family, "motion_blur", description,
                settings(c, v -> f("radius = %s, sigma = %s, angle uniform in [-45, 45) deg", fmt(v[0]), fmt(v[1]))),
                (x, ch, h, w, s, r) -> {
                    double angle = -45 + 90 * r.nextDouble();
                    return perPlane(x, ch, h, w, (p, hh, ww) -> Filters.motionBlur(p, hh, ww, c[s - 1][0], c[s - 1][1], angle));
                });
    }

    /**
     * {@code shear}: skimage {@code AffineTransform(shear=c)} (linear part {@code [[1, -sin c], [0, cos c]]},
     * as an inverse map) about the centre, with a random sign; MNIST-C c = 0.4 (its level 2);
     * ladder 0.2 (its level 1), 0.3 (ours), 0.4, 0.6, 0.8 (its levels 3, 4).
     */
    static Corruption shear() {
        double[] c = {0.2, 0.3, 0.4, 0.6, 0.8};
        return new Corruption(FAMILY, "shear", "Shear about the centre by a random direction (MNIST-C shear, 0.4).",
                settings(c, v -> f("shear = %s rad, random sign", fmt(v))),
                (x, ch, h, w, s, r) -> {
                    double v = c[s - 1] * (r.nextBoolean() ? 1 : -1);
                    return perPlane(x, ch, h, w, (p, hh, ww) -> Filters.aboutCentre(p, hh, ww, 1, -Math.sin(v), 0, Math.cos(v)));
                });
    }

    /** {@code scale}: skimage {@code AffineTransform(scale=(c, c))} as an inverse map about the centre (the digit shrinks by 1/c); its five levels, MNIST-C c = 1/0.7 (level 3). */
    static Corruption scale() {
        double[] shrink = {0.9, 0.8, 0.7, 0.6, 0.5};
        return new Corruption(FAMILY, "scale", "The digit shrunk about the centre (MNIST-C scale, to 0.7 of its size).",
                settings(shrink, v -> f("zoom out to %s (inverse scale 1/%s)", fmt(v), fmt(v))),
                (x, ch, h, w, s, r) -> {
                    double k = 1 / shrink[s - 1];
                    return perPlane(x, ch, h, w, (p, hh, ww) -> Filters.aboutCentre(p, hh, ww, k, 0, 0, k));
                });
    }

    /**
     * {@code rotate}: skimage {@code AffineTransform(rotation=c)} (radians) as an inverse map about
     * the centre, with a random sign; MNIST-C c = 0.4 rad, 22.9 degrees (its level 2); ladder 0.2
     * (its level 1), 0.3 (ours), 0.4, 0.6, 0.8 (its levels 3, 4).
     */
    static Corruption rotate() {
        double[] c = {0.2, 0.3, 0.4, 0.6, 0.8};
        return new Corruption(FAMILY, "rotate", "Rotation about the centre in a random direction (MNIST-C rotate, "
                + "0.4 rad = 22.9 degrees).", settings(c, v -> f("angle = %s rad (%.1f deg), random sign", fmt(v),
                        Math.toDegrees(v))),
                (x, ch, h, w, s, r) -> {
                    double v = c[s - 1] * (r.nextBoolean() ? 1 : -1);
                    return perPlane(x, ch, h, w,
                            (p, hh, ww) -> Filters.aboutCentre(p, hh, ww, Math.cos(v), -Math.sin(v), Math.sin(v), Math.cos(v)));
                });
    }

    /**
     * {@code brightness}: the value channel of HSV raised by c (for a grey image, {@code x + c} clipped);
     * MNIST-C c = 0.5 (its level 5); ladder 0.3, 0.4 (its levels 3, 4), 0.5, 0.6, 0.7 (ours).
     */
    static Corruption brightness() {
        double[] c = {0.3, 0.4, 0.5, 0.6, 0.7};
        return new Corruption(FAMILY, "brightness", "Brightness raised: HSV value + c (MNIST-C brightness, c = 0.5).",
                settings(c, v -> f("value + %s", fmt(v))),
                (x, ch, h, w, s, r) -> CifarC.hsvBrightness(x, ch, h, w, c[s - 1]));
    }

    /** {@code translate}: moved by c pixels horizontally and c vertically, each in a random direction (whole pixels, 0 fill); its five levels 1..5, MNIST-C c = 3 (level 3). */
    static Corruption translate() {
        double[] c = {1, 2, 3, 4, 5};
        return new Corruption(FAMILY, "translate", "Moved by c pixels along each axis in random directions (MNIST-C "
                + "translate, c = 3).", settings(c, v -> f("dx = dy = %d px, random signs", (int) v)),
                (x, ch, h, w, s, r) -> {
                    double dx = c[s - 1] * (r.nextBoolean() ? 1 : -1);
                    double dy = c[s - 1] * (r.nextBoolean() ? 1 : -1);
                    return perPlane(x, ch, h, w, (p, hh, ww) -> Filters.affine(p, hh, ww, 1, 0, dx, 0, 1, dy));
                });
    }

    /**
     * {@code stripe}: the left and right quarter (7 of 28 columns) inverted; MNIST-C has no
     * severity; ladder (ours) 3, 5, 7, 9, 11 columns of 28 on each side (scaled to the width).
     */
    static Corruption stripe() {
        double[] c = {3, 5, 7, 9, 11};
        return new Corruption(FAMILY, "stripe", "The left and right edge bands inverted (MNIST-C stripe: 7 of 28 "
                + "columns each side).", settings(c, v -> f("%d of 28 columns inverted on each side", (int) v)),
                (x, ch, h, w, s, r) -> {
                    int band = (int) Math.round(c[s - 1] * w / 28.0);
                    return perPlane(x, ch, h, w, (p, hh, ww) -> {
                        double[] y = p.clone();
                        for (int row = 0; row < hh; row++) {
                            for (int col = 0; col < ww; col++) {
                                if (col < band || col >= ww - band) {
                                    y[row * ww + col] = 1 - y[row * ww + col];
                                }
                            }
                        }
                        return y;
                    });
                });
    }

    /**
     * {@code fog}: {@code (x + c plasma) max(x) / (max(x) + c)} with a 256 x 256 diamond-square map
     * ({@link Filters#plasma}) cropped to the image; MNIST-C (c 3, wibble decay 1.4) is its level 5;
     * ladder (2, 2), (2.5, 1.7) (its levels 2, 3), (3, 1.4), (3.5, 1.3), (4, 1.2) (ours).
     */
    static Corruption fog() {
        return CifarC.fog(FAMILY, "Fog: a fractal cloud added and the contrast lowered (MNIST-C fog, c = 3, decay 1.4).",
                new double[][] {{2, 2}, {2.5, 1.7}, {3, 1.4}, {3.5, 1.3}, {4, 1.2}}, 256);
    }

    /**
     * {@code spatter} (the code's mud branch, which MNIST-C uses at every level): Gaussian noise
     * N(loc, scale) blurred by sigma, kept above a threshold, its mask blurred by sigma2 and kept
     * above 0.8, painted grey 63/255; MNIST-C is its level 4 (0.65, 0.3, 1, 0.65, 1.5). Its levels
     * 1-3 are not milder on MNIST (they were made for the water branch MNIST-C drops: their
     * blotches are larger), so the ladder is ours: the threshold 0.75 and 0.70 at severities 1 and 2,
     * MNIST-C's setting, its level 5 (0.67, 0.4, 1, 0.65, 1.5) and (0.69, 0.5, 1, 0.65, 1.5).
     */
    static Corruption spatter() {
        double[][] c = {{0.65, 0.3, 1, 0.75, 1.5}, {0.65, 0.3, 1, 0.70, 1.5}, {0.65, 0.3, 1, 0.65, 1.5},
            {0.67, 0.4, 1, 0.65, 1.5}, {0.69, 0.5, 1, 0.65, 1.5}};
        List<String> st = settings(c, v -> f("loc = %s, scale = %s, sigma = %s, threshold = %s, mask sigma = %s", fmt(v[0]), fmt(v[1]), fmt(v[2]), fmt(v[3]), fmt(v[4])));
        return new Corruption(FAMILY, "spatter", "Mud spatter: blotches of grey from thresholded blurred noise (MNIST-C "
                + "spatter).", st, (x, ch, h, w, s, r) -> {
                    double[] v = c[s - 1];
                    double[] liquid = new double[h * w];
                    for (int p = 0; p < liquid.length; p++) {
                        liquid[p] = v[0] + v[1] * r.nextGaussian();
                    }
                    liquid = Filters.gaussian(liquid, h, w, v[2], v[2], Filters.Border.NEAREST);
                    double[] m = new double[h * w];
                    for (int p = 0; p < m.length; p++) {
                        m[p] = liquid[p] > v[3] ? 1 : 0;
                    }
                    m = Filters.gaussian(m, h, w, v[4], v[4], Filters.Border.NEAREST);
                    for (int p = 0; p < m.length; p++) {
                        if (m[p] < 0.8) {
                            m[p] = 0;
                        }
                    }
                    double[] mask = m;
                    return perPlane(x, ch, h, w, (p, hh, ww) -> {
                        double[] y = new double[p.length];
                        for (int q = 0; q < p.length; q++) {
                            y[q] = p[q] * (1 - mask[q]) + 63 / 255.0 * mask[q];
                        }
                        return y;
                    });
                });
    }

    /** Adds {@code strength} times a stroke (or {@code copies} independent ones at full strength) to every plane. */
    private static double[] addStrokes(double[] x, int ch, int h, int w, int severity, SplittableRandom r,
                                       java.util.function.Supplier<double[]> stroke) {
        double strength = severity == 1 ? 1 / 3.0 : severity == 2 ? 2 / 3.0 : 1;
        int copies = severity <= 3 ? 1 : severity - 2;
        double[] sum = new double[h * w];
        for (int k = 0; k < copies; k++) {
            double[] one = stroke.get();
            for (int p = 0; p < sum.length; p++) {
                sum[p] += strength * one[p];
            }
        }
        return perPlane(x, ch, h, w, (p, hh, ww) -> {
            double[] y = new double[p.length];
            for (int q = 0; q < p.length; q++) {
                y[q] = p[q] + sum[q];
            }
            return y;
        });
    }

    private static final List<String> STROKE_LADDER = List.of("one stroke at 1/3 intensity", "one stroke at 2/3 intensity",
            "one stroke (MNIST-C)", "two strokes", "three strokes");

    /** {@code dotted_line} ({@link Strokes#dottedLine}); MNIST-C has no severity; ladder (ours): one line at 1/3, 2/3 and full intensity, two and three lines. */
    static Corruption dottedLine() {
        return new Corruption(FAMILY, "dotted_line", "A dotted line across the image (MNIST-C dotted_line).",
                STROKE_LADDER, (x, ch, h, w, s, r) -> addStrokes(x, ch, h, w, s, r, () -> Strokes.dottedLine(r, h, w)));
    }

    /** {@code zigzag} ({@link Strokes#zigzag}); ladder (ours) as for {@link #dottedLine}. */
    static Corruption zigzag() {
        return new Corruption(FAMILY, "zigzag", "A zigzag line across the image (MNIST-C zigzag).", STROKE_LADDER,
                (x, ch, h, w, s, r) -> addStrokes(x, ch, h, w, s, r, () -> Strokes.zigzag(r, h, w)));
    }

    /**
     * {@code canny_edges}: the image replaced by its Canny edges ({@link Canny}, sigma 1, skimage's
     * default); MNIST-C has no severity; ladder (ours): the edges blended over the image at 1/3 and
     * 2/3, the edges (MNIST-C), the edges of the image smoothed with sigma 1.5 and 2.
     */
    static Corruption cannyEdges() {
        double[] sigma = {1, 1, 1, 1.5, 2};
        double[] blend = {1 / 3.0, 2 / 3.0, 1, 1, 1};
        List<String> st = List.of("edges (sigma 1) blended at 1/3", "edges (sigma 1) blended at 2/3",
                "edges, sigma 1 (MNIST-C)", "edges, sigma 1.5", "edges, sigma 2");
        return new Corruption(FAMILY, "canny_edges", "The image replaced by its Canny edges (MNIST-C canny_edges).", st,
                (x, ch, h, w, s, r) -> perPlane(x, ch, h, w, (p, hh, ww) -> {
                    double[] e = Canny.edges(p, hh, ww, sigma[s - 1]);
                    double a = blend[s - 1];
                    double[] y = new double[p.length];
                    for (int q = 0; q < p.length; q++) {
                        y[q] = (1 - a) * p[q] + a * e[q];
                    }
                    return y;
                }));
    }

    /** 0.4 as "0.4", 3.0 as "3". */
    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
