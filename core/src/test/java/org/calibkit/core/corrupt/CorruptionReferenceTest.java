package org.calibkit.core.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The corruptions' building blocks against values computed independently: the 12 x 10 outputs
 * in {@code corruption_reference.csv} were printed by {@code corruption_reference.py} (next to
 * it; /usr/bin/python3, numpy 2.4, scipy 1.17: {@code scipy.ndimage.map_coordinates} with
 * {@code mode='grid-constant'} for skimage's inverse-map warp, {@code gaussian_filter},
 * {@code correlate} with {@code mode='mirror'} for OpenCV's filter2D, a numpy transcription of
 * skimage 0.15's canny on {@code scipy.ndimage} sobel/label, and ImageMagick's motion blur
 * written from its C source, Pillow's box resampling transcribed), on the image of {@link #image()}.
 */
class CorruptionReferenceTest {
    static final int H = 12;
    static final int W = 10;
    private static Map<String, double[]> ref;

    @BeforeAll
    static void load() throws IOException {
        ref = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CorruptionReferenceTest.class.getResourceAsStream("corruption_reference.csv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                double[] v = new double[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    v[i - 1] = Double.parseDouble(f[i]);
                }
                ref.put(f[0], v);
            }
        }
        assertEquals(13, ref.size());
    }

    /** The script's image(): a blob plus a vertical bar, 12 rows x 10 columns, on 0..1. */
    static double[] image() {
        double[] x = new double[H * W];
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                double blob = Math.min(Math.max(1 - ((r - 5.5) * (r - 5.5) / 9 + (c - 4.0) * (c - 4.0) / 6), 0), 1);
                double bar = c == 7 && r >= 2 && r <= 9 ? 0.8 : 0;
                x[r * W + c] = Math.min(blob + bar, 1);
            }
        }
        return x;
    }

    private static void near(String name, double[] actual, double tol) {
        assertArrayEquals(ref.get(name), actual, tol, name);
    }

    @Test
    void warpsMatchSkimageInverseMaps() {
        double[] x = image();
        near("rotate+0.4", Filters.aboutCentre(x, H, W, Math.cos(0.4), -Math.sin(0.4), Math.sin(0.4), Math.cos(0.4)), 1e-9);
        near("shear+0.4", Filters.aboutCentre(x, H, W, 1, -Math.sin(0.4), 0, Math.cos(0.4)), 1e-9);
        near("scale0.7", Filters.aboutCentre(x, H, W, 1 / 0.7, 0, 0, 1 / 0.7), 1e-9);
    }

    @Test
    void mnistcRotateIsTheReferenceWarpInOneOfTheTwoDirections() {
        ImageSet one = set(image(), 1, H, W);
        Corruption rotate = Corruptions.byKey("mnist-c/rotate").orElseThrow();
        for (long seed = 0; seed < 6; seed++) {
            double[] out = unit(rotate.apply(one, 3, seed));
            // the 1/255 steps come from the float pixels of an ImageSet
            boolean plus = close(ref.get("rotate+0.4"), out, 1e-5);
            boolean minus = close(ref.get("rotate-0.4"), out, 1e-5);
            assertTrue(plus ^ minus, "seed " + seed + ": rotate/3 must be the +0.4 or the -0.4 rad warp");
        }
    }

    @Test
    void gaussianMatchesScipy() {
        double[] x = image();
        near("gaussian-rows0.7-nearest", Filters.gaussian(x, H, W, 0.7, 0, Filters.Border.NEAREST), 1e-9);
        near("gaussian1.5-nearest", Filters.gaussian(x, H, W, 1.5, 1.5, Filters.Border.NEAREST), 1e-9);
    }

    @Test
    void cannyMatchesTheSkimageTranscription() {
        near("canny1", Canny.edges(image(), H, W, 1.0), 0);
    }

    @Test
    void defocusMatchesOpenCvFilter2d() {
        int[] side = new int[1];
        near("defocus1-0.2", Filters.filter2d(image(), H, W, Filters.disk(1, 0.2, side), side[0]), 1e-9);
        near("defocus1.5-0.1", Filters.filter2d(image(), H, W, Filters.disk(1.5, 0.1, side), side[0]), 1e-9);
        assertEquals(17, side[0]);
    }

    @Test
    void motionBlurMatchesImageMagicksKernel() {
        near("motion10-3-20deg", Filters.motionBlur(image(), H, W, 10, 3, 20.0), 1e-9);
    }

    @Test
    void brightnessAndContrastMatch() {
        near("brightness0.5", clip(CifarC.hsvBrightness(image(), 1, H, W, 0.5)), 1e-9);
        Corruption contrast = Corruptions.byKey("cifar-c/contrast").orElseThrow();
        near("contrast0.3", unit(contrast.apply(set(image(), 1, H, W), 4, 0)), 1e-6);
    }

    @Test
    void pixelateMatchesPillowsBoxResampling() {
        // cifar-c/pixelate/5: 12 x 10 -> int(10 * 0.65) x int(12 * 0.65) = 6 x 7 and back; the script
        // transcribes Pillow's precompute_coeffs (box filter) in numpy, rounding to 8 bits per pass
        Corruption pixelate = Corruptions.byKey("cifar-c/pixelate").orElseThrow();
        near("pixelate0.65", unit(pixelate.apply(set(image(), 1, H, W), 5, 0)), 1e-6);
    }

    static double[] clip(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Filters.clip01(x[i]);
        }
        return y;
    }

    static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    static ImageSet set(double[] unit, int c, int h, int w) {
        float[] px = new float[unit.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (unit[i] * 255.0);
        }
        return new ImageSet(px, new int[px.length / (c * h * w)], c, h, w, List.of("a", "b"),
                new DataOrigin("test", "test", "generated", null, false));
    }

    static double[] unit(ImageSet s) {
        float[] px = s.rawPixels();
        double[] out = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = px[i] / 255.0;
        }
        return out;
    }
}
