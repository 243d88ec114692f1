package org.calibkit.report.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rotation, shift and shape conversion against values computed by hand or with numpy/scipy. */
class ImageOpsTest {
    private static float[] rotate(float[] img, int h, int w, double degrees) {
        float[] out = new float[img.length];
        ImageOps.rotation(h, w, degrees).apply(img, 0, out, 0, 1);
        return out;
    }

    @Test
    void ninetyDegreesIsTheTransposeFlippedUpsideDown() {
        // np.rot90(a) (counter-clockwise as displayed) == a.T[::-1]: out[y][x] = a[x][n-1-y];
        // scipy.ndimage.rotate(a, 90, reshape=False, order=1) agrees with np.rot90 on a 4x4 arange
        int n = 5;
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i * 37) % 101;
        }
        float[] expected = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                expected[y * n + x] = a[x * n + (n - 1 - y)];
            }
        }
        assertArrayEquals(expected, rotate(a, n, n, 90), 0f);
        // four quarter turns give the image back, exactly
        float[] r = a;
        for (int k = 0; k < 4; k++) {
            r = rotate(r, n, n, 90);
        }
        assertArrayEquals(a, r, 0f);
        assertArrayEquals(a, rotate(a, n, n, 0), 0f);
    }

    @Test
    void thirtyDegreesMatchesScipy() {
        // a = ((np.arange(30).reshape(5,6) * 7) % 23) * 10.0
        // scipy.ndimage.rotate(a, 30, reshape=False, order=1, mode='grid-constant', cval=0, prefilter=False)
        // (scipy 1.17.1; centre ((w-1)/2, (h-1)/2), zero outside, interpolated up to the border)
        float[] a = new float[30];
        for (int i = 0; i < 30; i++) {
            a[i] = ((i * 7) % 23) * 10f;
        }
        double[][] expected = {
                {1.677272, 79.799051, 198.564065, 40.0, 66.044334, 19.855716},
                {51.664385, 103.708349, 144.330127, 123.600136, 138.08916, 20.573684},
                {108.16901, 80.012024, 74.689111, 115.310889, 155.932667, 81.83099},
                {138.06425, 194.426316, 104.641016, 60.800407, 86.291651, 116.290788},
                {43.782217, 124.7853, 157.426995, 202.177087, 42.551548, 1.733074}};
        float[] r = rotate(a, 5, 6, 30);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(expected[y][x], r[y * 6 + x], 1e-3, "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void bilinearRotationReproducesALinearImage() {
        // f(x, y) = 3 + 2x - 5y is reproduced exactly by bilinear interpolation, so an output pixel
        // p whose source point s = c + R(-t)(p - c) has its four neighbours inside must equal f(s);
        // s is computed here from the rotation formula, independently of the warp tables
        int h = 9;
        int w = 11;
        float[] a = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y * w + x] = 3 + 2 * x - 5 * y + 100;
            }
        }
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int deg : new int[] {15, 30, 45, 60}) {
            float[] r = rotate(a, h, w, deg);
            double t = Math.toRadians(deg);
            int checked = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sx = cx + (x - cx) * Math.cos(t) - (y - cy) * Math.sin(t);
                    double sy = cy + (x - cx) * Math.sin(t) + (y - cy) * Math.cos(t);
                    if (sx >= 0 && sx <= w - 1 && sy >= 0 && sy <= h - 1) {
                        assertEquals(3 + 2 * sx - 5 * sy + 100, r[y * w + x], 1e-3, deg + " degrees at (" + x + ", " + y + ")");
                        checked++;
                    }
                }
            }
            assertTrue(checked > h * w / 2, "checked " + checked);
        }
        // the turn is counter-clockwise as displayed (row 0 at the top): a bright right half
        // turned by 90 degrees becomes a bright top half, as with np.rot90
        float[] right = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 6; x < w; x++) {
                right[y * w + x] = 255;
            }
        }
        float[] turned = rotate(right, h, w, 90);
        assertEquals(255f, turned[0 * w + 5]);
        assertEquals(0f, turned[(h - 1) * w + 5]);
    }

    @Test
    void cornersFillWithZero() {
        // a constant 200 image turned by 45 degrees: the centre keeps 200, the corners fall outside -> 0
        int n = 7;
        float[] a = new float[n * n];
        java.util.Arrays.fill(a, 200f);
        float[] r = rotate(a, n, n, 45);
        assertEquals(200f, r[3 * n + 3], 1e-4);
        assertEquals(0f, r[0], 0f);
        assertEquals(0f, r[n * n - 1], 0f);
    }

    @Test
    void shiftMovesRightAndDownWithZeroFill() {
        // 3x4 image 1..12; dx = 1 (right), dy = -1 (up): out[y][x] = in[y+1][x-1], by hand
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] out = new float[12];
        ImageOps.shift(a, 0, out, 0, 1, 3, 4, 1, -1);
        assertArrayEquals(new float[] {0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0}, out, 0f);
        // a shift larger than the image leaves nothing
        ImageOps.shift(a, 0, out, 0, 1, 3, 4, 5, 0);
        assertArrayEquals(new float[12], out, 0f);
    }

    @Test
    void greyToColourResizesThenCopies() {
        // scipy.ndimage.zoom([[0,100],[200,40]], 2, order=1, grid_mode=True, mode='nearest')
        float[] g = {0, 100, 200, 40};
        float[] expected = {0, 25, 75, 100, 50, 58.75f, 76.25f, 85, 150, 126.25f, 78.75f, 55, 200, 160, 80, 40};
        float[] out = new float[3 * 16];
        ImageOps.reshape(g, 0, 1, 2, 2, out, 0, 3, 4, 4);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, c * 16, c * 16 + 16), 1e-4f, "channel " + c);
        }
    }

    @Test
    void colourToGreyAveragesChannelsThenResizes() {
        // 3x2x2 -> 1x1x1: area averaging of the channel mean = mean of all 12 values = 78/12 = 6.5
        float[] c = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] out = new float[1];
        ImageOps.reshape(c, 0, 3, 2, 2, out, 0, 1, 1, 1);
        assertEquals(6.5f, out[0], 1e-6f);
        // same size: the channel mean per pixel, (1+5+9)/3 = 5 ...
        float[] same = new float[4];
        ImageOps.reshape(c, 0, 3, 2, 2, same, 0, 1, 2, 2);
        assertArrayEquals(new float[] {5, 6, 7, 8}, same, 1e-6f);
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
                () -> ImageOps.reshape(c, 0, 3, 2, 2, new float[16], 0, 4, 2, 2));
        assertTrue(e.getMessage().contains("3-channel images to 4 channels"), e.getMessage());
    }
}
