package org.calibkit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] grid(int h, int w, java.util.function.IntBinaryOperator f) {
        float[] a = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                a[r * w + c] = f.applyAsInt(r, c);
            }
        }
        return a;
    }

    private static void assertClose(double[][] expected, float[] actual, double tol) {
        int w = expected[0].length;
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < w; c++) {
                assertEquals(expected[r][c], actual[r * w + c], tol, "pixel (" + r + "," + c + ")");
            }
        }
    }

    @Test
    void upscaleIsBilinearWithHalfPixelCentres() {
        // a = np.arange(16.).reshape(4,4)**1.5
        // scipy.ndimage.zoom(a, 1.5, order=1, mode='nearest', grid_mode=True, prefilter=False)
        float[] a = new float[16];
        for (int i = 0; i < 16; i++) {
            a[i] = (float) Math.pow(i, 1.5);
        }
        double[][] expected = {
            {0.0, 0.5, 1.304738, 2.523689, 4.01229, 5.196152},
            {4.0, 5.045085, 6.535589, 8.317264, 10.310444, 11.858206},
            {10.437903, 12.127426, 14.433777, 16.901085, 19.51597, 21.514028},
            {20.189514, 22.276452, 25.103126, 28.062068, 31.145454, 33.489104},
            {32.098318, 34.517201, 37.780568, 41.158506, 44.645901, 47.288811},
            {41.569219, 44.220693, 47.790673, 51.464697, 55.238977, 58.09475}};
        assertClose(expected, Resampler.resize(a, 4, 4, 6, 6), 1e-4);
    }

    @Test
    void downscaleIsExactAreaAveragingForNonIntegerRatios() {
        // b = np.arange(36.).reshape(6,6)*7 % 11; exact area mean for 6 -> 4 (ratio 1.5), computed
        // independently by repeating every pixel 2x2 (12x12 = lcm grid) and averaging 3x3 blocks:
        // np.repeat(np.repeat(b,2,0),2,1).reshape(4,3,4,3).mean(axis=(1,3))
        float[] b = grid(6, 6, (r, c) -> ((r * 6 + c) * 7) % 11);
        double[][] expected = {
            {4.111111, 3.666667, 8.0, 2.666667},
            {6.333333, 5.888889, 5.333333, 4.888889},
            {4.222222, 6.222222, 3.222222, 5.222222},
            {4.0, 6.0, 3.0, 5.0}};
        assertClose(expected, Resampler.resize(b, 6, 6, 4, 4), 1e-5);
    }

    @Test
    void axesAreResampledIndependently() {
        // c 5x3 -> 2x6: rows by area (np.repeat(c,2,0).reshape(2,5,3).mean(1)), then columns by
        // scipy.ndimage.zoom(rows, (1,2), order=1, mode='nearest', grid_mode=True, prefilter=False)
        float[] c = {1, 5, 2, 7, 3, 9, 4, 8, 6, 0, 2, 5, 9, 1, 3};
        double[][] expected = {{4.0, 4.2, 4.6, 5.0, 5.4, 5.6}, {4.4, 4.0, 3.2, 3.2, 4.0, 4.4}};
        assertClose(expected, Resampler.resize(c, 5, 3, 2, 6), 1e-5);
    }

    @Test
    void areaDownscalePreservesTheMeanAndRange() {
        Random rnd = new Random(7);
        float[] img = new float[105 * 105];
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < img.length; i++) {
            img[i] = rnd.nextFloat() * 255;
            min = Math.min(min, img[i]);
            max = Math.max(max, img[i]);
            sum += img[i];
        }
        float[] out = Resampler.resize(img, 105, 105, 28, 28);
        double outSum = 0;
        for (float v : out) {
            assertTrue(v >= min - 1e-3 && v <= max + 1e-3, "value " + v + " outside input range");
            outSum += v;
        }
        assertEquals(sum / img.length, outSum / out.length, 1e-3);
    }

    @Test
    void constantStaysConstantAndSameSizeIsIdentity() {
        float[] k = new float[16 * 16];
        java.util.Arrays.fill(k, 42.5f);
        for (float v : Resampler.resize(k, 16, 16, 20, 20)) {
            assertEquals(42.5f, v, 1e-4);
        }
        for (float v : Resampler.resize(k, 16, 16, 7, 9)) {
            assertEquals(42.5f, v, 1e-4);
        }
        float[] r = grid(5, 7, (a, b) -> a * 31 + b * b);
        assertArrayEquals(r, Resampler.resize(r, 5, 7, 5, 7));
    }

    @Test
    void channelsAreResizedSeparately() {
        float[] ch0 = grid(6, 6, (r, c) -> r * 10 + c);
        float[] ch1 = grid(6, 6, (r, c) -> 200 - r * c);
        float[] both = new float[72];
        System.arraycopy(ch0, 0, both, 0, 36);
        System.arraycopy(ch1, 0, both, 36, 36);
        float[] out = Resampler.resize(both, 2, 6, 6, 4, 9);
        float[] o0 = Resampler.resize(ch0, 6, 6, 4, 9);
        float[] o1 = Resampler.resize(ch1, 6, 6, 4, 9);
        assertArrayEquals(o0, java.util.Arrays.copyOfRange(out, 0, 36));
        assertArrayEquals(o1, java.util.Arrays.copyOfRange(out, 36, 72));
    }

    @Test
    void badSizesAreRefused() {
        CalibkitException e = assertThrows(CalibkitException.class, () -> Resampler.resize(new float[10], 3, 3, 2, 2));
        assertTrue(e.getMessage().contains("10 values"), e.getMessage());
        e = assertThrows(CalibkitException.class, () -> Resampler.resize(new float[9], 3, 3, 0, 2));
        assertTrue(e.getMessage().contains("newHeight=0"), e.getMessage());
    }
}
