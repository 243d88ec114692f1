package org.calibkit.core.corrupt;

import java.util.SplittableRandom;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * The geometric shifts of Ovadia et al. 2019 ("Can you trust your model's uncertainty?
 * Evaluating predictive uncertainty under dataset shift", NeurIPS): rotation by any angle and
 * horizontal translation by whole pixels, for sweeps over the shift's intensity.
 */
public final class Shifts {
    private Shifts() {
    }

    /**
     * Every image rotated counter-clockwise (as displayed) by {@code degrees} about its centre,
     * bilinear, corners filled with 0 (the skimage inverse map MNIST-C's {@code rotate} uses).
     * 0 degrees returns the same pixels.
     */
    public static ImageSet rotate(ImageSet images, double degrees) {
        double v = Math.toRadians(degrees);
        double cos = Math.cos(v);
        double sin = Math.sin(v);
        if (degrees % 90 == 0) {
            // exact quarter turns: no interpolation noise from cos(pi/2) = 6e-17
            cos = Math.rint(cos);
            sin = Math.rint(sin);
        }
        double c = cos;
        double s = sin;
        return map(images, "rotated by " + degrees + " degrees",
                (p, h, w) -> Filters.aboutCentre(p, h, w, c, -s, s, c));
    }

    /**
     * Every image moved horizontally by {@code pixels} whole pixels, left or right at random (one
     * draw per image from {@code seed}), the uncovered band filled with 0.
     */
    public static ImageSet translate(ImageSet images, int pixels, long seed) {
        if (pixels < 0) {
            throw new IllegalArgumentException("pixels must be >= 0, but got " + pixels);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] sign = new int[images.size()];
        for (int i = 0; i < sign.length; i++) {
            sign[i] = r.nextBoolean() ? 1 : -1;
        }
        int per = images.pixelsPerImage();
        int plane = images.height() * images.width();
        float[] src = images.rawPixels();
        float[] out = new float[src.length];
        int h = images.height();
        int w = images.width();
        for (int i = 0; i < images.size(); i++) {
            int dx = sign[i] * pixels;
            for (int ch = 0; ch < images.channels(); ch++) {
                int base = i * per + ch * plane;
                for (int row = 0; row < h; row++) {
                    for (int col = 0; col < w; col++) {
                        int from = col - dx;
                        out[base + row * w + col] = from < 0 || from >= w ? 0f : src[base + row * w + from];
                    }
                }
            }
        }
        return with(images, out, "moved horizontally by " + pixels + " px in directions drawn with seed " + seed);
    }

    private static ImageSet map(ImageSet images, String what, MnistC.PlaneOp op) {
        int per = images.pixelsPerImage();
        float[] src = images.rawPixels();
        float[] out = new float[src.length];
        double[] x = new double[per];
        for (int i = 0; i < images.size(); i++) {
            for (int p = 0; p < per; p++) {
                x[p] = src[i * per + p];
            }
            double[] y = MnistC.perPlane(x, images.channels(), images.height(), images.width(), op);
            for (int p = 0; p < per; p++) {
                out[i * per + p] = (float) Math.min(Math.max(y[p], 0), 255);
            }
        }
        return with(images, out, what);
    }

    private static ImageSet with(ImageSet images, float[] pixels, String what) {
        DataOrigin o = images.origin();
        return new ImageSet(pixels, images.labels(), images.channels(), images.height(), images.width(),
                images.classNames(), new DataOrigin(o.dataset(), o.split(), o.location() + ", " + what, o.sha256(),
                        o.verified()));
    }
}
