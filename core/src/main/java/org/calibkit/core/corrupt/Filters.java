package org.calibkit.core.corrupt;

import java.util.SplittableRandom;

import org.apache.commons.math3.special.Gamma;

/**
 * The image operations the corruptions are built from, each reproducing the library call the
 * reference code makes (named on each method), on one (height x width) plane of doubles,
 * row-major, values on the 0..1 scale.
 */
final class Filters {
    private Filters() {
    }

    /** Border handling of {@link #gaussian}: scipy.ndimage's {@code mode='nearest'} or {@code mode='constant'} (cval 0). */
    enum Border { NEAREST, CONSTANT }

    /**
     * {@code scipy.ndimage.gaussian_filter(x, (sigmaRows, sigmaCols), mode, truncate=4.0)}:
     * separable correlation with the normalised kernel {@code exp(-k^2 / (2 sigma^2))},
     * {@code |k| <= int(4 sigma + 0.5)}; a sigma of 0 leaves that axis alone (what skimage's
     * {@code gaussian(..., multichannel=True)} does to the column axis of a 2-D image).
     */
    static double[] gaussian(double[] x, int h, int w, double sigmaRows, double sigmaCols, Border border) {
        double[] out = x.clone();
        if (sigmaCols > 0) {
            out = correlate1d(out, h, w, kernel(sigmaCols), false, border);
        }
        if (sigmaRows > 0) {
            out = correlate1d(out, h, w, kernel(sigmaRows), true, border);
        }
        return out;
    }

    static double[] kernel(double sigma) {
        int r = (int) (4.0 * sigma + 0.5);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static double[] correlate1d(double[] x, int h, int w, double[] k, boolean alongRows, Border border) {
        int r = k.length / 2;
        double[] out = new double[x.length];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < w; c++) {
                double acc = 0;
                for (int t = -r; t <= r; t++) {
                    int yy = alongRows ? y + t : y;
                    int cc = alongRows ? c : c + t;
                    if (yy < 0 || yy >= h || cc < 0 || cc >= w) {
                        if (border == Border.CONSTANT) {
                            continue;
                        }
                        yy = Math.min(Math.max(yy, 0), h - 1);
                        cc = Math.min(Math.max(cc, 0), w - 1);
                    }
                    acc += k[t + r] * x[yy * w + cc];
                }
                out[y * w + c] = acc;
            }
        }
        return out;
    }

    /**
     * {@code cv2.filter2D(x, -1, kernel)}: correlation with a square kernel of odd side anchored
     * at its centre, OpenCV's default border {@code BORDER_REFLECT_101} ({@code gfedcb|abcdefgh|gfedcba}).
     */
    static double[] filter2d(double[] x, int h, int w, double[] kernel, int side) {
        int r = side / 2;
        double[] out = new double[x.length];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < w; c++) {
                double acc = 0;
                for (int i = 0; i < side; i++) {
                    int yy = reflect101(y + i - r, h);
                    for (int j = 0; j < side; j++) {
                        double kv = kernel[i * side + j];
                        if (kv != 0) {
                            acc += kv * x[yy * w + reflect101(c + j - r, w)];
                        }
                    }
                }
                out[y * w + c] = acc;
            }
        }
        return out;
    }

    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }

    /**
     * The defocus kernel of Hendrycks and Dietterich's {@code disk(radius, alias_blur)}: the
     * normalised indicator of {@code x^2 + y^2 <= radius^2} on a 17 x 17 grid (radius <= 8; side
     * {@code 2 radius + 1} otherwise), smoothed by {@code cv2.GaussianBlur} with a 3 x 3 (5 x 5 above 8)
     * kernel of standard deviation {@code aliasBlur}. Returns the side in {@code side[0]}.
     */
    static double[] disk(double radius, double aliasBlur, int[] side) {
        int half = radius <= 8 ? 8 : (int) radius;
        int ks = radius <= 8 ? 3 : 5;
        int n = 2 * half + 1;
        double[] d = new double[n * n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int yy = i - half;
                int xx = j - half;
                if (xx * xx + yy * yy <= radius * radius) {
                    d[i * n + j] = 1;
                    sum++;
                }
            }
        }
        for (int i = 0; i < d.length; i++) {
            d[i] /= sum;
        }
        // cv2.getGaussianKernel(ks, sigma): exp(-(i - (ks-1)/2)^2 / (2 sigma^2)), normalised; separable
        double[] g = new double[ks];
        double gs = 0;
        for (int i = 0; i < ks; i++) {
            double t = i - (ks - 1) / 2.0;
            g[i] = Math.exp(-0.5 * t * t / (aliasBlur * aliasBlur));
            gs += g[i];
        }
        double[] g2 = new double[ks * ks];
        for (int i = 0; i < ks; i++) {
            for (int j = 0; j < ks; j++) {
                g2[i * ks + j] = g[i] / gs * g[j] / gs;
            }
        }
        side[0] = n;
        return filter2d(d, n, n, g2, ks);
    }

    /**
     * skimage {@code transform.warp(x, inverse_map=AffineTransform(...), order=1)}: output pixel
     * (row r, column c) takes the bilinear value of the input at column {@code a1 c + a2 r + a3},
     * row {@code b1 c + b2 r + b3}; neighbours outside the image count as 0.
     */
    static double[] affine(double[] x, int h, int w, double a1, double a2, double a3, double b1, double b2, double b3) {
        double[] out = new double[x.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double xc = a1 * c + a2 * r + a3;
                double yr = b1 * c + b2 * r + b3;
                int c0 = (int) Math.floor(xc);
                int r0 = (int) Math.floor(yr);
                double dc = xc - c0;
                double dr = yr - r0;
                double top = (1 - dc) * at(x, h, w, r0, c0) + dc * at(x, h, w, r0, c0 + 1);
                double bottom = (1 - dc) * at(x, h, w, r0 + 1, c0) + dc * at(x, h, w, r0 + 1, c0 + 1);
                out[r * w + c] = (1 - dr) * top + dr * bottom;
            }
        }
        return out;
    }

    private static double at(double[] x, int h, int w, int r, int c) {
        return r < 0 || r >= h || c < 0 || c >= w ? 0 : x[r * w + c];
    }

    /**
     * An affine map about the image centre {@code ((w-1)/2, (h-1)/2)} with the linear part
     * {@code [[a1, a2], [b1, b2]]}: the translation MNIST-C computes so the centre (13.5, 13.5) stays put.
     */
    static double[] aboutCentre(double[] x, int h, int w, double a1, double a2, double b1, double b2) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        return affine(x, h, w, a1, a2, cx - a1 * cx - a2 * cy, b1, b2, cy - b1 * cx - b2 * cy);
    }

    /**
     * ImageMagick's {@code MotionBlurImage(radius, sigma, angle)} (MagickCore/effect.c) as Wand's
     * {@code motion_blur} calls it: a one-sided kernel of {@code width = 2 ceil(radius) + 1} weights
     * {@code exp(-i^2 / (2 sigma^2))}, normalised, at offsets {@code (ceil(i cos a - 0.5), ceil(i sin a - 0.5))}
     * (x right, y down), edge pixels repeated outside the image (the default virtual-pixel method);
     * the result is rounded to 8 bits as the PNG round trip of the reference code does.
     */
    static double[] motionBlur(double[] x, int h, int w, double radius, double sigma, double angleDegrees) {
        int width = (int) (2 * Math.ceil(radius) + 1);
        double[] k = new double[width];
        double norm = 0;
        for (int i = 0; i < width; i++) {
            k[i] = Math.exp(-((double) i * i) / (2 * sigma * sigma));
            norm += k[i];
        }
        double a = Math.toRadians(angleDegrees);
        int[] ox = new int[width];
        int[] oy = new int[width];
        for (int i = 0; i < width; i++) {
            ox[i] = (int) Math.ceil(i * Math.cos(a) - 0.5);
            oy[i] = (int) Math.ceil(i * Math.sin(a) - 0.5);
        }
        double[] out = new double[x.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double acc = 0;
                for (int i = 0; i < width; i++) {
                    int rr = Math.min(Math.max(r + oy[i], 0), h - 1);
                    int cc = Math.min(Math.max(c + ox[i], 0), w - 1);
                    acc += k[i] / norm * x[rr * w + cc];
                }
                out[r * w + c] = Math.rint(Math.min(Math.max(acc, 0), 1) * 255) / 255.0;
            }
        }
        return out;
    }

    /**
     * Pillow's {@code resize(size, Image.BOX)} of an 8-bit plane: per axis (columns first), output
     * pixel {@code o} averages the input pixels whose centres fall in
     * {@code ((o + 0.5) s - s/2, (o + 0.5) s + s/2]} with {@code s = max(in / out, 1)} (Pillow's
     * {@code precompute_coeffs} with the box filter), rounded to 8 bits after each pass.
     */
    static double[] resizeBox(double[] x, int h, int w, int newH, int newW) {
        double[] tmp = new double[h * newW];
        resizeAxis(x, h, w, newW, false, tmp);
        double[] out = new double[newH * newW];
        resizeAxis(tmp, h, newW, newH, true, out);
        return out;
    }

    private static void resizeAxis(double[] x, int h, int w, int outSize, boolean rows, double[] out) {
        int inSize = rows ? h : w;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 0.5 * filterScale;
        int other = rows ? w : h;
        for (int o = 0; o < outSize; o++) {
            double centre = (o + 0.5) * scale;
            int min = Math.max((int) (centre - support + 0.5), 0);
            int max = Math.min((int) (centre + support + 0.5), inSize);
            double[] wt = new double[max - min];
            double sum = 0;
            for (int i = min; i < max; i++) {
                double t = (i - centre + 0.5) / filterScale;
                wt[i - min] = t > -0.5 && t <= 0.5 ? 1 : 0;
                sum += wt[i - min];
            }
            for (int q = 0; q < other; q++) {
                double acc = 0;
                for (int i = min; i < max; i++) {
                    acc += wt[i - min] / sum * (rows ? x[i * w + q] : x[q * w + i]);
                }
                double v = Math.floor(Math.min(Math.max(acc, 0), 1) * 255 + 0.5) / 255.0;
                if (rows) {
                    out[o * w + q] = v;
                } else {
                    out[q * outSize + o] = v;
                }
            }
        }
    }

    /**
     * One draw of Poisson({@code lambda}): multiplication of uniforms below 10, Hoermann's PTRS
     * transformed rejection (1993, the algorithm numpy's {@code random.poisson} uses) above.
     */
    static long poisson(double lambda, SplittableRandom r) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda < 10) {
            double limit = Math.exp(-lambda);
            double p = r.nextDouble();
            long k = 0;
            while (p > limit) {
                p *= r.nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - Gamma.logGamma(k + 1)) {
                return k;
            }
        }
    }

    /**
     * The diamond-square height map of the reference code's {@code plasma_fractal(mapsize,
     * wibbledecay)} (after FLHerne/mapgen), with its noise {@code wibble * U(-wibble, wibble)},
     * wrapping at the edges like its {@code np.roll}s, scaled to [0, 1].
     */
    static double[] plasma(int mapsize, double wibbleDecay, SplittableRandom r) {
        int n = mapsize;
        double[] m = new double[n * n];
        int step = n;
        double wibble = 100;
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("mapsize must be a power of two, but got " + n);
        }
        while (step >= 2) {
            int g = n / step;
            int mask = g - 1;
            int half = step / 2;
            // squares: centre = mean of the four corners (wrapping) + noise
            for (int i = 0; i < g; i++) {
                int r0 = i * step * n;
                int r1 = ((i + 1) & mask) * step * n;
                int rc = (i * step + half) * n;
                for (int j = 0; j < g; j++) {
                    int c0 = j * step;
                    int c1 = ((j + 1) & mask) * step;
                    double s = m[r0 + c0] + m[r1 + c0] + m[r0 + c1] + m[r1 + c1];
                    m[rc + c0 + half] = s / 4 + wibble * (r.nextDouble() * 2 * wibble - wibble);
                }
            }
            // diamonds on the rows of the corners: left/right corners and the centres above and below
            for (int i = 0; i < g; i++) {
                int r0 = i * step * n;
                int rc = (i * step + half) * n;
                int rcUp = (((i - 1) & mask) * step + half) * n;
                for (int j = 0; j < g; j++) {
                    int c0 = j * step;
                    int c1 = ((j + 1) & mask) * step;
                    double s = m[rc + c0 + half] + m[rcUp + c0 + half] + m[r0 + c0] + m[r0 + c1];
                    m[r0 + c0 + half] = s / 4 + wibble * (r.nextDouble() * 2 * wibble - wibble);
                }
            }
            // diamonds on the columns of the corners
            for (int i = 0; i < g; i++) {
                int r0 = i * step * n;
                int r1 = ((i + 1) & mask) * step * n;
                int rc = (i * step + half) * n;
                for (int j = 0; j < g; j++) {
                    int c0 = j * step;
                    int cLeft = ((j - 1) & mask) * step + half;
                    double s = m[rc + c0 + half] + m[rc + cLeft] + m[r0 + c0] + m[r1 + c0];
                    m[rc + c0] = s / 4 + wibble * (r.nextDouble() * 2 * wibble - wibble);
                }
            }
            step /= 2;
            wibble /= wibbleDecay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = (m[i] - min) / (max - min);
        }
        return m;
    }

    static double clip01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
