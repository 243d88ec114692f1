package org.calibkit.core.data;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * Resizes float images with proper interpolation, each axis on its own:
 * <ul>
 *   <li>downscaling an axis uses exact area averaging: an output pixel is the mean of the input
 *   area it covers, input pixels cut by its border counted by the fraction inside (the same as
 *   OpenCV's {@code INTER_AREA}); it is the antialiasing choice, no input pixel is skipped;</li>
 *   <li>upscaling an axis uses bilinear interpolation with pixel centres at half-integer
 *   coordinates and the border pixels repeated (the same as {@code scipy.ndimage.zoom(order=1,
 *   grid_mode=True, mode='nearest')});</li>
 *   <li>an axis of unchanged size is copied.</li>
 * </ul>
 * Both filters are positive and their weights sum to 1, so a constant image stays constant and
 * the output never leaves the input's range. Images are (channels, height, width) row-major.
 */
public final class Resampler {
    private Resampler() {
    }

    /** Resizes one single-channel image of {@code height x width} to {@code newHeight x newWidth}. */
    public static float[] resize(float[] image, int height, int width, int newHeight, int newWidth) {
        return resize(image, 1, height, width, newHeight, newWidth);
    }

    /**
     * Resizes one image of shape (channels, height, width) to (channels, newHeight, newWidth).
     *
     * @throws CalibkitException when a size is not positive or the array length does not match
     */
    public static float[] resize(float[] image, int channels, int height, int width, int newHeight, int newWidth) {
        check(channels, height, width, newHeight, newWidth);
        if ((long) channels * height * width != image.length) {
            throw new CalibkitException("image has " + image.length + " values, expected channels x height x width = "
                    + channels + "x" + height + "x" + width + " = " + ((long) channels * height * width));
        }
        float[] out = new float[channels * newHeight * newWidth];
        new Plan(height, width, newHeight, newWidth).apply(image, 0, out, 0, channels);
        return out;
    }

    /** Resizes every image of {@code set}; labels, class names and origin are kept. */
    public static ImageSet resize(ImageSet set, int newHeight, int newWidth) {
        int c = set.channels();
        check(c, set.height(), set.width(), newHeight, newWidth);
        Plan plan = new Plan(set.height(), set.width(), newHeight, newWidth);
        float[] src = set.rawPixels();
        int per = set.pixelsPerImage();
        int newPer = c * newHeight * newWidth;
        float[] out = new float[Math.multiplyExact(set.size(), newPer)];
        for (int i = 0; i < set.size(); i++) {
            plan.apply(src, i * per, out, i * newPer, c);
        }
        DataOrigin o = set.origin();
        return new ImageSet(out, set.labels(), c, newHeight, newWidth, set.classNames(), o);
    }

    private static void check(int channels, int height, int width, int newHeight, int newWidth) {
        if (channels <= 0 || height <= 0 || width <= 0 || newHeight <= 0 || newWidth <= 0) {
            throw new CalibkitException("resize needs positive sizes, got channels=" + channels + " height=" + height
                    + " width=" + width + " newHeight=" + newHeight + " newWidth=" + newWidth);
        }
    }

    /** Weights of one axis: output o = sum_k weight[o][k] * input[first[o] + k]. */
    static final class Axis {
        final int[] first;
        final double[][] weight;

        private Axis(int[] first, double[][] weight) {
            this.first = first;
            this.weight = weight;
        }

        static Axis of(int in, int out) {
            int[] first = new int[out];
            double[][] w = new double[out][];
            if (out == in) {
                for (int o = 0; o < out; o++) {
                    first[o] = o;
                    w[o] = new double[] {1.0};
                }
            } else if (out < in) {
                // area: output o covers [o*s, (o+1)*s) in input pixel units
                double s = (double) in / out;
                for (int o = 0; o < out; o++) {
                    double lo = o * s;
                    double hi = Math.min(in, (o + 1) * s);
                    int a = (int) Math.floor(lo);
                    int b = Math.min(in, (int) Math.ceil(hi));
                    double[] ws = new double[b - a];
                    double sum = 0;
                    for (int i = a; i < b; i++) {
                        double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                        ws[i - a] = Math.max(0, overlap);
                        sum += ws[i - a];
                    }
                    for (int k = 0; k < ws.length; k++) {
                        ws[k] /= sum;
                    }
                    first[o] = a;
                    w[o] = ws;
                }
            } else {
                // bilinear, half-pixel centres, borders repeated
                double s = (double) in / out;
                for (int o = 0; o < out; o++) {
                    double x = (o + 0.5) * s - 0.5;
                    int i0 = (int) Math.floor(x);
                    double t = x - i0;
                    if (i0 < 0) {
                        first[o] = 0;
                        w[o] = new double[] {1.0};
                    } else if (i0 >= in - 1) {
                        first[o] = in - 1;
                        w[o] = new double[] {1.0};
                    } else {
                        first[o] = i0;
                        w[o] = new double[] {1 - t, t};
                    }
                }
            }
            return new Axis(first, w);
        }
    }

    /** A resize of (h, w) to (nh, nw), reusable for many images. */
    private static final class Plan {
        final int h;
        final int w;
        final int nh;
        final int nw;
        final Axis rows;
        final Axis cols;

        Plan(int h, int w, int nh, int nw) {
            this.h = h;
            this.w = w;
            this.nh = nh;
            this.nw = nw;
            this.rows = Axis.of(h, nh);
            this.cols = Axis.of(w, nw);
        }

        void apply(float[] src, int srcOff, float[] dst, int dstOff, int channels) {
            double[] tmp = new double[h * nw];
            for (int c = 0; c < channels; c++) {
                int base = srcOff + c * h * w;
                for (int y = 0; y < h; y++) {
                    int row = base + y * w;
                    for (int x = 0; x < nw; x++) {
                        double[] ws = cols.weight[x];
                        int f = row + cols.first[x];
                        double acc = 0;
                        for (int k = 0; k < ws.length; k++) {
                            acc += ws[k] * src[f + k];
                        }
                        tmp[y * nw + x] = acc;
                    }
                }
                int out = dstOff + c * nh * nw;
                for (int y = 0; y < nh; y++) {
                    double[] ws = rows.weight[y];
                    int f = rows.first[y];
                    for (int x = 0; x < nw; x++) {
                        double acc = 0;
                        for (int k = 0; k < ws.length; k++) {
                            acc += ws[k] * tmp[(f + k) * nw + x];
                        }
                        dst[out + y * nw + x] = (float) acc;
                    }
                }
            }
        }
    }
}
