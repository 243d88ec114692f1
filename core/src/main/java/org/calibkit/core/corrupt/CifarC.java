package org.calibkit.core.corrupt;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import static org.calibkit.core.corrupt.MnistC.f;
import static org.calibkit.core.corrupt.MnistC.fmt;
import static org.calibkit.core.corrupt.MnistC.perPlane;
import static org.calibkit.core.corrupt.MnistC.settings;

/**
 * The CIFAR-10-C corruptions that apply to small digit and house-number images (Hendrycks and
 * Dietterich 2019, "Benchmarking Neural Network Robustness to Common Corruptions and
 * Perturbations", ICLR, arXiv 1903.12261), at their five published severities, from the
 * definitions in hendrycks/robustness {@code ImageNet-C/create_c/make_cifar_c.py} (commit
 * ca36008). Colour images are (channels, height, width) with channels 3 = RGB; a single channel
 * is treated as grey; the CIFAR-10-C fog map is 32 x 32 (larger images get the next power of two).
 */
final class CifarC {
    static final String FAMILY = "cifar-c";

    private CifarC() {
    }

    static List<Corruption> all() {
        return List.of(gaussianNoise(), shotNoise(), impulseNoise(), defocusBlur(), motionBlur(), brightness(),
                contrast(), fog(), pixelate(), jpeg());
    }

    /** {@code gaussian_noise}: {@code x + N(0, c^2)}, c = 0.04, 0.06, 0.08, 0.09, 0.10. */
    static Corruption gaussianNoise() {
        double[] c = {0.04, 0.06, 0.08, 0.09, 0.10};
        return new Corruption(FAMILY, "gaussian_noise", "Additive Gaussian noise (CIFAR-10-C gaussian_noise).",
                settings(c, v -> f("sigma = %s", fmt(v))), (x, ch, h, w, s, r) -> {
                    double[] y = new double[x.length];
                    for (int p = 0; p < y.length; p++) {
                        y[p] = x[p] + c[s - 1] * r.nextGaussian();
                    }
                    return y;
                });
    }

    /** {@code shot_noise}: {@code poisson(x c) / c}, c = 500, 250, 100, 75, 50. */
    static Corruption shotNoise() {
        double[] c = {500, 250, 100, 75, 50};
        return new Corruption(FAMILY, "shot_noise", "Poisson (shot) noise (CIFAR-10-C shot_noise).",
                settings(c, v -> f("c = %s", fmt(v))), (x, ch, h, w, s, r) -> MnistC.shotNoise(x, c[s - 1], r));
    }

    /** {@code impulse_noise}: salt and pepper, amount 0.01, 0.02, 0.03, 0.05, 0.07 (each channel value on its own, as skimage does). */
    static Corruption impulseNoise() {
        double[] c = {0.01, 0.02, 0.03, 0.05, 0.07};
        return new Corruption(FAMILY, "impulse_noise", "Salt-and-pepper noise (CIFAR-10-C impulse_noise).",
                settings(c, v -> f("amount = %s", fmt(v))), (x, ch, h, w, s, r) -> MnistC.saltAndPepper(x, c[s - 1], r));
    }

    /** {@code defocus_blur}: correlation with {@link Filters#disk}, (radius, alias blur) = (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1). */
    static Corruption defocusBlur() {
        double[][] c = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
        List<String> st = settings(c, v -> f("disk radius = %s, alias blur = %s", fmt(v[0]), fmt(v[1])));
        return new Corruption(FAMILY, "defocus_blur", "Defocus blur with a disk kernel (CIFAR-10-C defocus_blur).", st,
                (x, ch, h, w, s, r) -> {
                    int[] side = new int[1];
                    double[] k = Filters.disk(c[s - 1][0], c[s - 1][1], side);
                    return perPlane(x, ch, h, w, (p, hh, ww) -> Filters.filter2d(p, hh, ww, k, side[0]));
                });
    }

    /** {@code motion_blur}: {@link Filters#motionBlur}, (radius, sigma) = (6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5), angle uniform in [-45, 45). */
    static Corruption motionBlur() {
        return MnistC.motionBlur(FAMILY, "Motion blur (CIFAR-10-C motion_blur, ImageMagick).",
                new double[][] {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}});
    }

    /** {@code brightness}: HSV value + c, c = 0.05, 0.1, 0.15, 0.2, 0.3. */
    static Corruption brightness() {
        double[] c = {0.05, 0.1, 0.15, 0.2, 0.3};
        return new Corruption(FAMILY, "brightness", "Brightness raised in HSV (CIFAR-10-C brightness).",
                settings(c, v -> f("value + %s", fmt(v))), (x, ch, h, w, s, r) -> hsvBrightness(x, ch, h, w, c[s - 1]));
    }

    /** {@code contrast}: {@code (x - mean) c + mean}, the mean per channel, c = 0.75, 0.5, 0.4, 0.3, 0.15. */
    static Corruption contrast() {
        double[] c = {0.75, 0.5, 0.4, 0.3, 0.15};
        return new Corruption(FAMILY, "contrast", "Contrast lowered towards each channel's mean (CIFAR-10-C contrast).",
                settings(c, v -> f("contrast x %s", fmt(v))), (x, ch, h, w, s, r) -> perPlane(x, ch, h, w, (p, hh, ww) -> {
                    double mean = 0;
                    for (double v : p) {
                        mean += v;
                    }
                    mean /= p.length;
                    double[] y = new double[p.length];
                    for (int q = 0; q < p.length; q++) {
                        y[q] = (p[q] - mean) * c[s - 1] + mean;
                    }
                    return y;
                }));
    }

    /** {@code fog}: (c, wibble decay) = (0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75), a 32 x 32 map. */
    static Corruption fog() {
        return fog(FAMILY, "Fog: a fractal cloud added and the contrast lowered (CIFAR-10-C fog).",
                new double[][] {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}}, 32);
    }

    /**
     * Fog at (c, wibble decay) = {@code c[level - 1]} ({@link #fog(double[], int, int, int, double, double, int,
     * SplittableRandom)}), on a diamond-square map of at least {@code minMap} pixels a side.
     */
    static Corruption fog(String family, String description, double[][] c, int minMap) {
        return new Corruption(family, "fog", description, settings(c, v -> f("c = %s, wibble decay = %s", fmt(v[0]), fmt(v[1]))),
                (x, ch, h, w, s, r) -> fog(x, ch, h, w, c[s - 1][0], c[s - 1][1],
                        Math.max(minMap, Integer.highestOneBit(Math.max(h, w) - 1) << 1), r));
    }

    /** {@code pixelate}: Pillow box resize to {@code int(side c)} and back, c = 0.95, 0.9, 0.85, 0.75, 0.65. */
    static Corruption pixelate() {
        double[] c = {0.95, 0.9, 0.85, 0.75, 0.65};
        return new Corruption(FAMILY, "pixelate", "Pixelated: box-downsampled and box-upsampled again (CIFAR-10-C "
                + "pixelate).", settings(c, v -> f("resized to %s of the side and back", fmt(v))),
                (x, ch, h, w, s, r) -> perPlane(x, ch, h, w, (p, hh, ww) -> {
                    int sh = Math.max(1, (int) (hh * c[s - 1]));
                    int sw = Math.max(1, (int) (ww * c[s - 1]));
                    double[] q = quantize(p);
                    return Filters.resizeBox(Filters.resizeBox(q, hh, ww, sh, sw), sh, sw, hh, ww);
                }));
    }

    /** {@code jpeg_compression}: a JPEG round trip (the JDK's ImageIO writer, IJG quality scaling) at quality 80, 65, 58, 50, 40. */
    static Corruption jpeg() {
        double[] c = {80, 65, 58, 50, 40};
        return new Corruption(FAMILY, "jpeg_compression", "JPEG compression artefacts (CIFAR-10-C jpeg_compression).",
                settings(c, v -> f("JPEG quality %d", (int) v)), (x, ch, h, w, s, r) -> jpegRoundTrip(x, ch, h, w, (int) c[s - 1]));
    }

    static double[] quantize(double[] p) {
        double[] q = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            q[i] = Math.rint(Filters.clip01(p[i]) * 255) / 255.0;
        }
        return q;
    }

    /**
     * HSV brightness (skimage {@code rgb2hsv}, value + c clipped to 1, {@code hsv2rgb}): hue and
     * saturation stay, so every channel of a pixel is scaled by {@code min(V + c, 1) / V}
     * ({@code V = max} over the channels); a black pixel becomes grey {@code min(c, 1)}. One or
     * two channels, or more than three, are treated as separate grey planes.
     */
    static double[] hsvBrightness(double[] x, int ch, int h, int w, double c) {
        int plane = h * w;
        double[] y = new double[x.length];
        int groups = ch == 3 ? 1 : ch;
        int span = ch == 3 ? 3 : 1;
        for (int g = 0; g < groups; g++) {
            for (int p = 0; p < plane; p++) {
                double v = 0;
                for (int k = 0; k < span; k++) {
                    v = Math.max(v, x[(g + k) * plane + p]);
                }
                double nv = Math.min(Filters.clip01(v) + c, 1);
                for (int k = 0; k < span; k++) {
                    int i = (g + k) * plane + p;
                    y[i] = v > 0 ? x[i] * nv / v : nv;
                }
            }
        }
        return y;
    }

    /** The fog of both families: {@code (x + c plasma[:h, :w]) max / (max + c)}, max over the whole image, one map for all channels. */
    static double[] fog(double[] x, int ch, int h, int w, double c, double decay, int mapsize, SplittableRandom r) {
        double[] map = Filters.plasma(mapsize, decay, r);
        double max = 0;
        for (double v : x) {
            max = Math.max(max, v);
        }
        int plane = h * w;
        double[] y = new double[x.length];
        for (int k = 0; k < ch; k++) {
            for (int row = 0; row < h; row++) {
                for (int col = 0; col < w; col++) {
                    int i = k * plane + row * w + col;
                    y[i] = (x[i] + c * map[row * mapsize + col]) * max / (max + c);
                }
            }
        }
        return y;
    }

    static double[] jpegRoundTrip(double[] x, int ch, int h, int w, int quality) {
        if (ch != 3) {
            return perPlane(x, ch, h, w, (p, hh, ww) -> {
                BufferedImage im = new BufferedImage(ww, hh, BufferedImage.TYPE_BYTE_GRAY);
                for (int row = 0; row < hh; row++) {
                    for (int col = 0; col < ww; col++) {
                        int v = (int) Math.rint(Filters.clip01(p[row * ww + col]) * 255);
                        im.getRaster().setSample(col, row, 0, v);
                    }
                }
                BufferedImage back = roundTrip(im, quality);
                double[] y = new double[p.length];
                for (int row = 0; row < hh; row++) {
                    for (int col = 0; col < ww; col++) {
                        y[row * ww + col] = back.getRaster().getSample(col, row, 0) / 255.0;
                    }
                }
                return y;
            });
        }
        int plane = h * w;
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int p = row * w + col;
                int rr = (int) Math.rint(Filters.clip01(x[p]) * 255);
                int gg = (int) Math.rint(Filters.clip01(x[plane + p]) * 255);
                int bb = (int) Math.rint(Filters.clip01(x[2 * plane + p]) * 255);
                im.setRGB(col, row, (rr << 16) | (gg << 8) | bb);
            }
        }
        BufferedImage back = roundTrip(im, quality);
        double[] y = new double[x.length];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int rgb = back.getRGB(col, row);
                int p = row * w + col;
                y[p] = ((rgb >> 16) & 0xff) / 255.0;
                y[plane + p] = ((rgb >> 8) & 0xff) / 255.0;
                y[2 * plane + p] = (rgb & 0xff) / 255.0;
            }
        }
        return y;
    }

    private static BufferedImage roundTrip(BufferedImage im, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
                writer.write(null, new IIOImage(im, null, null), param);
            }
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            if (back == null) {
                throw new IllegalStateException("the JDK's JPEG reader could not read its own writer's output");
            }
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip in memory failed", e);
        } finally {
            writer.dispose();
        }
    }
}
