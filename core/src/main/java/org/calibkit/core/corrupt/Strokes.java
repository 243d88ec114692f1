package org.calibkit.core.corrupt;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The line-drawing corruptions of MNIST-C ({@code line_from_points}, {@code dotted_line},
 * {@code zigzag} in google-research/mnist-c {@code corruptions.py}), in the 28 x 28 coordinates
 * of the reference code; other image sizes are drawn on a grid of their own size with the end
 * points scaled by {@code width / 28} and {@code height / 28}.
 */
final class Strokes {
    private Strokes() {
    }

    /**
     * {@code line_from_points(c0, r0, c1, r1)}: intensity {@code log(1 - d / 2.3) + 1} clipped to
     * [0, 1], {@code d} the vertical distance to the line through the two points (clipped below
     * 2.3), zero left of column {@code floor(c0)} and from column {@code ceil(c1)} on; all zero
     * for a vertical line ({@code c1 == c0}).
     */
    static double[] line(double c0, double r0, double c1, double r1, int h, int w) {
        double[] out = new double[h * w];
        if (c1 == c0) {
            return out;
        }
        double sx = w / 28.0;
        double sy = h / 28.0;
        double m = (r1 - r0) / (c1 - c0);
        int left = (int) Math.floor(c0 * sx);
        int right = (int) Math.ceil(c1 * sx);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                if (c < left || c >= right) {
                    continue;
                }
                // the reference grid is linspace(0, 27, 28); scaled back to it for other sizes
                double cc = c / sx;
                double rr = r / sy;
                double d = Math.min(Math.abs(rr - (m * (cc - c0) + r0)), 2.3 - 1e-10);
                double v = Math.log(1 - d / 2.3) + 1;
                out[r * w + c] = Filters.clip01(v);
            }
        }
        return out;
    }

    /**
     * {@code dotted_line}: a line from column 0, row {@code randint(0, 27)} to column 27, row
     * {@code randint(0, 27)}, with every other pair of columns blanked (columns 0-1, 4-5, ...).
     */
    static double[] dottedLine(SplittableRandom r, int h, int w) {
        int r0 = r.nextInt(27);
        int r1 = r.nextInt(27);
        double[] line = line(0, r0, 27, r1, h, w);
        double sx = w / 28.0;
        for (int row = 0; row < h; row++) {
            for (int c = 0; c < w; c++) {
                int ref = (int) Math.floor(c / sx);
                if ((ref / 2) % 2 == 0) {
                    line[row * w + c] = 0;
                }
            }
        }
        return line;
    }

    /**
     * {@code zigzag}: a zigzag of segment length and amplitude 2 from column 2 to 25, starting at
     * row {@code r0 = randint(0, 27)} and tilted towards row {@code r0 + randint(-5, 5)}, drawn as
     * consecutive {@link #line}s, accumulated with clipping as the reference code does (its odd
     * last end point included).
     */
    static double[] zigzag(SplittableRandom r, int h, int w) {
        double a = 2;
        double b = 2;
        double c0 = 2;
        double c1 = 25;
        int r0 = r.nextInt(27);
        int r1 = r0 + r.nextInt(10) - 5;
        double theta = Math.atan((r1 - r0) / (c1 - c0));
        double d = (c1 - c0) / Math.cos(theta);
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 0});
        double ri = 0;
        int count = (int) Math.floor((d - a) / (2 * a)) + 1;
        for (int i = 0; i < count; i++) {
            ri = (i % 2 == 0 ? 1 : -1) * b;
            pts.add(new double[] {(2 * i + 1) * a, ri});
        }
        double maxC = 2 * a * Math.floor(d / (2 * a));
        if (d != maxC) {
            pts.add(new double[] {d, ri / (2 * (d - maxC))});
        }
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double[] cs = new double[pts.size()];
        double[] rs = new double[pts.size()];
        for (int i = 0; i < cs.length; i++) {
            double[] p = pts.get(i);
            cs[i] = cos * p[0] - sin * p[1] + c0;
            rs[i] = sin * p[0] + cos * p[1] + r0;
        }
        double[] out = new double[h * w];
        for (int i = 1; i < cs.length; i++) {
            double[] seg = line(cs[i - 1], rs[i - 1], cs[i], rs[i], h, w);
            for (int p = 0; p < out.length; p++) {
                out[p] += seg[p];
            }
        }
        return out;
    }
}
