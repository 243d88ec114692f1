package org.calibkit.calibration.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The look every chart shares: colours, fonts, XChart styling, and the series shapes (bars, lines, boxes). */
final class ChartStyle {
    static final Color BAR_FILL = new Color(66, 114, 196, 200);
    static final Color BAR_EDGE = new Color(31, 64, 128);
    static final Color GAP_FILL = new Color(220, 40, 40, 70);
    static final Color GAP_EDGE = new Color(200, 30, 30);
    static final Color SHARE_FILL = new Color(120, 120, 120, 170);
    static final Color IN_FILL = new Color(66, 114, 196, 110);
    static final Color OUT_FILL = new Color(230, 120, 20, 110);
    static final Color GRID = new Color(228, 228, 228);
    static final Color ACCURACY_LINE = new Color(31, 64, 128);
    static final Color CONFIDENCE_LINE = new Color(200, 30, 30);

    /** Series colours of multi-series charts, in order (colour-blind safe, after Okabe and Ito). */
    static final Color[] SERIES = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(230, 159, 0)};

    private ChartStyle() {
    }

    static float fontSize(int width, int height) {
        return Math.max(10f, Math.min(22f, Math.min(width, height * 1.2f) / 42f));
    }

    static XYChart base(int w, int h, String title, String xTitle, String yTitle, float font) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title == null ? "" : title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(GRID);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleVisible(title != null && !title.isBlank());
        s.setChartFontColor(Color.BLACK);
        s.setAxisTickLabelsColor(Color.DARK_GRAY);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(font * 1.15f)));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font)));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font * 0.85f)));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font * 0.85f)));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 225));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartPadding(Math.max(4, Math.round(font * 0.6f)));
        s.setToolTipsEnabled(false);
        s.setPlotContentSize(0.96);
        s.setAxisTitlePadding(Math.max(2, Math.round(font * 0.3f)));
        return c;
    }

    static XYSeries polygon(XYChart c, String name, double[] x, double[] y, Color fill, Color edge) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(fill);
        s.setLineColor(edge);
        s.setLineStyle(new BasicStroke(1f));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, float width,
            boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineStyle(dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {width * 3, width * 2}, 0f)
                : new BasicStroke(width));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Rectangles {@code [lo_b, hi_b] x [bottom_b, top_b]} as one polygon series separated by NaN. */
    static double[][] boxes(double[] lo, double[] hi, double[] bottom, double[] top) {
        List<double[]> pts = new ArrayList<>();
        for (int b = 0; b < lo.length; b++) {
            if (Double.isNaN(top[b]) || Double.isNaN(bottom[b])) {
                continue;
            }
            pts.add(new double[] {lo[b], bottom[b]});
            pts.add(new double[] {lo[b], top[b]});
            pts.add(new double[] {hi[b], top[b]});
            pts.add(new double[] {hi[b], bottom[b]});
            pts.add(new double[] {lo[b], bottom[b]});
            pts.add(new double[] {Double.NaN, Double.NaN});
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }

    /**
     * Draws the share of predictions per bin as bars on x in [0, 1], y from 0 to the next tenth
     * above the highest bar, and returns that top.
     */
    static double shareBars(XYChart c, BinnedChart d, Color fill, Color edge) {
        int nb = d.numBins();
        double[] share = new double[nb];
        double max = 0;
        for (int b = 0; b < nb; b++) {
            share[b] = d.share(b);
            max = Math.max(max, share[b]);
        }
        double top = Math.min(1.0, Math.ceil(max * 10 + 1e-9) / 10);
        XYStyler s = c.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(top);
        s.setXAxisDecimalPattern("0.0");
        double[][] bars = boxes(d.bins().lower(), d.bins().upper(), new double[nb], share);
        polygon(c, "Share of predictions", bars[0], bars[1], fill, edge);
        return top;
    }
}
