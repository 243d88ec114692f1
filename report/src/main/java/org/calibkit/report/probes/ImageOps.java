package org.calibkit.report.probes;

import org.calibkit.core.data.Resampler;

/**
 * Geometric and channel transforms of (channels, height, width) row-major float images, as the
 * probes use them. Pixels that come from outside the source image are 0 (the background of
 * MNIST-like images; black for colour images).
 */
final class ImageOps {
    private ImageOps() {
    }

    /**
     * A fixed resampling of one (height x width) plane: output pixel {@code p} is
     * {@code sum_k weight[4p+k] * in[index[4p+k]]}, an index of -1 standing for a pixel outside
     * the source (value 0). Built once, applied to every channel of every image.
     */
    static final class Warp {
        final int height;
        final int width;
        final int[] index;
        final float[] weight;

        private Warp(int height, int width) {
            this.height = height;
            this.width = width;
            this.index = new int[4 * height * width];
            this.weight = new float[4 * height * width];
        }

        /** Applies the warp to {@code channels} planes of {@code src} from {@code srcOff} into {@code dst} at {@code dstOff}. */
        void apply(float[] src, int srcOff, float[] dst, int dstOff, int channels) {
            int plane = height * width;
            for (int c = 0; c < channels; c++) {
                int s = srcOff + c * plane;
                int d = dstOff + c * plane;
                for (int p = 0; p < plane; p++) {
                    float acc = 0f;
                    for (int k = 4 * p; k < 4 * p + 4; k++) {
                        int i = index[k];
                        if (i >= 0) {
                            acc += weight[k] * src[s + i];
                        }
                    }
                    dst[d + p] = acc;
                }
            }
        }
    }

    /**
     * Rotation by {@code degrees} counter-clockwise as the image is displayed (row 0 at the top)
     * about the image centre {@code ((width-1)/2, (height-1)/2)}, with bilinear interpolation;
     * output pixels whose source lies (partly) outside the image get 0 for the missing neighbours,
     * so the corners fill with 0. Output pixel {@code (x, y)} takes the source point
     * {@code c + R(-degrees)(p - c)}. Multiples of 90 degrees use exact sines and cosines, so
     * they are exact permutations of a square image ({@code np.rot90} for 90).
     */
    static Warp rotation(int height, int width, double degrees) {
        double cos;
        double sin;
        double turns = degrees / 90.0;
        if (turns == Math.rint(turns)) {
            int q = Math.floorMod((int) turns, 4);
            cos = new double[] {1, 0, -1, 0}[q];
            sin = new double[] {0, 1, 0, -1}[q];
        } else {
            double r = Math.toRadians(degrees);
            cos = Math.cos(r);
            sin = Math.sin(r);
        }
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        Warp w = new Warp(height, width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x - cx;
                double dy = y - cy;
                // on screen (y down) a counter-clockwise turn by t maps (dx, dy) to
                // (dx cos t + dy sin t, -dx sin t + dy cos t); the source is the inverse turn
                double sx = cx + dx * cos - dy * sin;
                double sy = cy + dx * sin + dy * cos;
                bilinear(w, y * width + x, sx, sy);
            }
        }
        return w;
    }

    private static void bilinear(Warp w, int p, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double tx = sx - x0;
        double ty = sy - y0;
        set(w, 4 * p, x0, y0, (1 - tx) * (1 - ty));
        set(w, 4 * p + 1, x0 + 1, y0, tx * (1 - ty));
        set(w, 4 * p + 2, x0, y0 + 1, (1 - tx) * ty);
        set(w, 4 * p + 3, x0 + 1, y0 + 1, tx * ty);
    }

    private static void set(Warp w, int k, int x, int y, double weight) {
        boolean inside = x >= 0 && x < w.width && y >= 0 && y < w.height;
        w.index[k] = inside && weight != 0 ? y * w.width + x : -1;
        w.weight[k] = (float) weight;
    }

    /**
     * Moves {@code channels} planes of {@code src} by {@code dx} pixels right and {@code dy}
     * pixels down: {@code out(x, y) = in(x - dx, y - dy)}, 0 where that is outside.
     */
    static void shift(float[] src, int srcOff, float[] dst, int dstOff, int channels, int height, int width,
                      int dx, int dy) {
        int plane = height * width;
        int x0 = Math.max(0, dx);
        int x1 = Math.min(width, width + dx);
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * plane;
            int d = dstOff + c * plane;
            java.util.Arrays.fill(dst, d, d + plane, 0f);
            if (x0 >= x1) {
                continue;
            }
            for (int y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
                System.arraycopy(src, s + (y - dy) * width + (x0 - dx), dst, d + y * width + x0, x1 - x0);
            }
        }
    }

    /**
     * One image of shape (c, h, w) brought to (channels, height, width): colour to grey by the
     * mean of the channels, then {@link Resampler} (area averaging to shrink, bilinear to grow),
     * then grey to colour by copying the one channel. Written to {@code dst} at {@code dstOff}.
     *
     * @throws ProbeUnavailableException when neither side is grey and the channel counts differ
     */
    static void reshape(float[] src, int srcOff, int c, int h, int w, float[] dst, int dstOff, int channels,
                        int height, int width) {
        if (c != channels && c != 1 && channels != 1) {
            throw new ProbeUnavailableException("cannot bring " + c + "-channel images to " + channels
                    + " channels (only grey <-> colour and equal counts are supported)");
        }
        int plane = h * w;
        int mid = channels == 1 ? 1 : c;   // channels kept through the resize
        float[] img = new float[mid * plane];
        if (mid == c) {
            System.arraycopy(src, srcOff, img, 0, c * plane);
        } else {
            for (int p = 0; p < plane; p++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += src[srcOff + k * plane + p];
                }
                img[p] = (float) (s / c);
            }
        }
        float[] sized = h == height && w == width ? img : Resampler.resize(img, mid, h, w, height, width);
        int newPlane = height * width;
        if (mid == channels) {
            System.arraycopy(sized, 0, dst, dstOff, channels * newPlane);
        } else {
            for (int k = 0; k < channels; k++) {
                System.arraycopy(sized, 0, dst, dstOff + k * newPlane, newPlane);
            }
        }
    }
}
