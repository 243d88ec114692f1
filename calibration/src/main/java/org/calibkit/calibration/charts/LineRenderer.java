package org.calibkit.calibration.charts;

import java.awt.Color;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Lines of shares against an x axis, or points against the diagonal. */
final class LineRenderer {
    private LineRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(LineChart l) {
        return String.format(Locale.ROOT, "%s: %s against %s, for %s", l.isScatter() ? "Points" : "Lines", l.yTitle(),
                l.xTitle(), String.join(", ", l.curves().stream().map(LineChart.Curve::name).toList()));
    }

    /** The chart, one panel of the given size. */
    static XYChart chart(LineChart l, int w, int h) {
        float font = ChartStyle.fontSize(w, h);
        XYChart c = ChartStyle.base(w, h, l.title(), l.xTitle(), l.yTitle(), font);
        XYStyler s = c.getStyler();
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        s.setYAxisDecimalPattern("0.0");
        s.setLegendPosition(l.isScatter() ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.OutsideS);
        if (l.isScatter()) {
            s.setXAxisMin(0.0);
            s.setXAxisMax(1.0);
            s.setXAxisDecimalPattern("0.0");
            ChartStyle.line(c, "Exact estimate", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, 1.2f, true);
        }
        int i = 0;
        for (LineChart.Curve curve : l.curves()) {
            Color color = ChartStyle.SERIES[i++ % ChartStyle.SERIES.length];
            XYSeries series = ChartStyle.line(c, curve.name(), curve.x(), curve.y(), color, 2f, curve.dashed());
            if (l.isScatter()) {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setMarkerColor(color);
            }
        }
        return c;
    }
}
