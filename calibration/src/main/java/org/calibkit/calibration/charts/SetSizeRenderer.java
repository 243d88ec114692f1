package org.calibkit.calibration.charts;

import java.awt.Color;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** Conformal set sizes as grouped bars, one series per method. */
final class SetSizeRenderer {
    private SetSizeRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(SetSizeHistogram h) {
        StringBuilder b = new StringBuilder("Conformal set sizes 0.." + h.numClasses() + ":");
        for (SetSizeHistogram.Series s : h.series()) {
            b.append(String.format(Locale.ROOT, " %s (n=%d)", s.name(), s.total()));
        }
        return b.toString();
    }

    /** The chart, one panel of the given size. */
    static XYChart chart(SetSizeHistogram hist, int w, int h) {
        float font = ChartStyle.fontSize(w, h);
        XYChart c = ChartStyle.base(w, h, hist.title(), "Set size (classes in the prediction set)", "Share of images", font);
        XYStyler s = c.getStyler();
        int k = hist.numClasses();
        int m = hist.series().size();
        double max = 0;
        for (SetSizeHistogram.Series se : hist.series()) {
            for (int size = 0; size <= k; size++) {
                max = Math.max(max, se.share(size));
            }
        }
        s.setXAxisMin(-0.6);
        s.setXAxisMax(k + 0.6);
        s.setYAxisMin(0.0);
        s.setYAxisMax(Math.min(1.0, Math.ceil(max * 10 + 1e-9) / 10));
        s.setXAxisDecimalPattern("0");
        s.setYAxisDecimalPattern("0.0");
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        double width = 0.8 / m;
        for (int j = 0; j < m; j++) {
            SetSizeHistogram.Series se = hist.series().get(j);
            double[] lo = new double[k + 1];
            double[] hi = new double[k + 1];
            double[] top = new double[k + 1];
            for (int size = 0; size <= k; size++) {
                lo[size] = size - 0.4 + j * width;
                hi[size] = lo[size] + width;
                top[size] = se.share(size);
            }
            double[][] bars = ChartStyle.boxes(lo, hi, new double[k + 1], top);
            Color col = ChartStyle.SERIES[j % ChartStyle.SERIES.length];
            ChartStyle.polygon(c, se.name(), bars[0], bars[1], new Color(col.getRed(), col.getGreen(), col.getBlue(), 190), col.darker());
        }
        return c;
    }
}
