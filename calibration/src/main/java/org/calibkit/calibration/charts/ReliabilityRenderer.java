package org.calibkit.calibration.charts;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** The reliability diagram: accuracy bars, gaps to the mean confidence, optional whiskers, and the share-of-samples strip below. */
final class ReliabilityRenderer {
    private ReliabilityRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(ReliabilityDiagram d) {
        return String.format(Locale.ROOT, "Reliability diagram: accuracy against confidence in %d bins, "
                + "n=%d, accuracy %.4f, ECE %.4f", d.numBins(), d.total(), d.overallAccuracy(), d.ece());
    }

    /** The chart laid out on a canvas of the given size. */
    static ChartCanvas canvas(ReliabilityDiagram d, int width, int height) {
        return reliabilityCanvas(d, width, height);
    }

    private static ChartCanvas reliabilityCanvas(ReliabilityDiagram d, int width, int height) {
        int top = (int) Math.round(height * 0.74);
        float font = ChartStyle.fontSize(width, height);
        XYChart main = reliabilityChart(d, width, top, font, true);
        XYChart strip = shareStrip(d, width, height - top, font);
        ChartCanvas c = new ChartCanvas(width, height, null, 0);
        c.panels.add(new ChartCanvas.Panel(main, 0, 0, width, top));
        c.panels.add(new ChartCanvas.Panel(strip, 0, top, width, height - top));
        return c;
    }

    static XYChart reliabilityChart(ReliabilityDiagram d, int w, int h, float font, boolean full) {
        // a full diagram shows top-label confidence; grid panels show one class's probability
        XYChart c = full ? ChartStyle.base(w, h, d.title(), "", "Accuracy", font)
                : ChartStyle.base(w, h, d.title(), "Predicted probability", "Observed frequency", font);
        XYStyler s = c.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern("0.0");
        s.setXAxisTitleVisible(!full);
        s.setLegendVisible(full);
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        int nb = d.numBins();
        double[] lo = d.bins().lower();   // read only
        double[] hi = d.bins().upper();
        double[] acc = d.accuracies();
        double[] conf = d.meanConfidences();
        double[] zero = new double[nb];
        double[][] bars = ChartStyle.boxes(lo, hi, zero, acc);
        ChartStyle.polygon(c, "Accuracy", bars[0], bars[1], ChartStyle.BAR_FILL, ChartStyle.BAR_EDGE);
        double[][] gaps = ChartStyle.boxes(lo, hi, acc, conf);
        ChartStyle.polygon(c, String.format(Locale.ROOT, "Gap to mean confidence (ECE %.3f)", d.ece()), gaps[0], gaps[1],
                ChartStyle.GAP_FILL, ChartStyle.GAP_EDGE);
        ChartStyle.line(c, "Perfect calibration", new double[] {0, 1}, new double[] {0, 1}, Color.DARK_GRAY, 1.5f, true);
        if (d.hasIntervals()) {
            List<double[]> pts = new ArrayList<>();
            double cap = 0.18 * (hi[0] - lo[0]);
            for (int b = 0; b < nb; b++) {
                double l = d.intervalLow(b);
                double u = d.intervalHigh(b);
                if (Double.isNaN(l) || Double.isNaN(u) || d.count(b) == 0) {
                    continue;
                }
                double m = (lo[b] + hi[b]) / 2;
                pts.add(new double[] {m - cap, l});
                pts.add(new double[] {m + cap, l});
                pts.add(new double[] {Double.NaN, Double.NaN});
                pts.add(new double[] {m, l});
                pts.add(new double[] {m, u});
                pts.add(new double[] {Double.NaN, Double.NaN});
                pts.add(new double[] {m - cap, u});
                pts.add(new double[] {m + cap, u});
                pts.add(new double[] {Double.NaN, Double.NaN});
            }
            if (!pts.isEmpty()) {
                double[] x = new double[pts.size()];
                double[] y = new double[pts.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = pts.get(i)[0];
                    y[i] = pts.get(i)[1];
                }
                ChartStyle.line(c, String.format(Locale.ROOT, "%.0f%% %s interval", 100 * d.intervalLevel(), d.intervalMethod()), x, y,
                        Color.BLACK, 1.3f, false);
            }
        }
        return c;
    }

    private static XYChart shareStrip(ReliabilityDiagram d, int w, int h, float font) {
        XYChart c = ChartStyle.base(w, h, null, "Confidence", "Share", font);
        XYStyler s = c.getStyler();
        s.setYAxisDecimalPattern("0.0");
        s.setLegendVisible(false);
        ChartStyle.shareBars(c, d, ChartStyle.SHARE_FILL, Color.DARK_GRAY);
        return c;
    }
}
