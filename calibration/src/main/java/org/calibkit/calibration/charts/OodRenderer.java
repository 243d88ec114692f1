package org.calibkit.calibration.charts;

import java.awt.Color;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** The in- and out-of-distribution score densities as two outlines. */
final class OodRenderer {
    private OodRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(OodHistogram o) {
        return String.format(Locale.ROOT, "Histogram of %s: %d in-distribution and %d out-of-distribution scores",
                o.scoreName(), o.inTotal(), o.outTotal());
    }

    /** The chart, one panel of the given size. */
    static XYChart chart(OodHistogram o, int w, int h) {
        float font = ChartStyle.fontSize(w, h);
        XYChart c = ChartStyle.base(w, h, o.title(), o.scoreName(), "Density", font);
        XYStyler s = c.getStyler();
        double[] e = o.edges();
        int nb = o.numBins();
        double max = 0;
        for (int b = 0; b < nb; b++) {
            max = Math.max(max, Math.max(o.inDensity(b), o.outDensity(b)));
        }
        s.setXAxisMin(e[0]);
        s.setXAxisMax(e[nb]);
        s.setYAxisMin(0.0);
        s.setYAxisMax(max * 1.08);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        double[][] in = steps(e, o, true);
        double[][] out = steps(e, o, false);
        ChartStyle.polygon(c, String.format(Locale.ROOT, "In-distribution (n=%d)", o.inTotal()), in[0], in[1], ChartStyle.IN_FILL,
                new Color(31, 64, 128));
        ChartStyle.polygon(c, String.format(Locale.ROOT, "Out-of-distribution (n=%d)", o.outTotal()), out[0], out[1],
                ChartStyle.OUT_FILL, new Color(170, 80, 0));
        return c;
    }

    /** Outline of a histogram as one closed polygon: up and down along the bin edges. */
    private static double[][] steps(double[] e, OodHistogram o, boolean in) {
        int nb = o.numBins();
        double[] x = new double[2 * nb + 2];
        double[] y = new double[2 * nb + 2];
        x[0] = e[0];
        y[0] = 0;
        for (int b = 0; b < nb; b++) {
            double v = in ? o.inDensity(b) : o.outDensity(b);
            x[1 + 2 * b] = e[b];
            y[1 + 2 * b] = v;
            x[2 + 2 * b] = e[b + 1];
            y[2 + 2 * b] = v;
        }
        x[2 * nb + 1] = e[nb];
        y[2 * nb + 1] = 0;
        return new double[][] {x, y};
    }
}
