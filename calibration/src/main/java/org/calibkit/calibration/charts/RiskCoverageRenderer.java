package org.calibkit.calibration.charts;

import java.awt.Color;
import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** Risk-coverage curves with their target risks. */
final class RiskCoverageRenderer {
    private RiskCoverageRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(RiskCoverageChart r) {
        return String.format(Locale.ROOT, "Risk-coverage curves (error rate among the predictions kept against "
                + "the share kept) of %s", String.join(", ", r.names()));
    }

    /** The chart, one panel of the given size. */
    static XYChart chart(RiskCoverageChart r, int w, int h) {
        float font = ChartStyle.fontSize(w, h);
        XYChart c = ChartStyle.base(w, h, r.title(), "Coverage (share of predictions kept)", "Risk (error rate among kept)", font);
        XYStyler s = c.getStyler();
        double top = Math.max(r.maxRisk(), 0);
        for (double t : r.targets()) {
            top = Math.max(top, t);
        }
        top = top <= 0 ? 0.01 : top * 1.08;
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(top);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern(top < 0.05 ? "0.000" : "0.00");
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        int i = 0;
        for (RiskCoverageChart.Curve curve : r.curves()) {
            ChartStyle.line(c, curve.name(), curve.coverage(), curve.risk(), ChartStyle.SERIES[i++ % ChartStyle.SERIES.length], 2f, false);
        }
        for (double t : r.targets()) {
            ChartStyle.line(c, String.format(Locale.ROOT, "Target risk %.3g", t), new double[] {0, 1}, new double[] {t, t},
                    Color.GRAY, 1.2f, true);
        }
        return c;
    }
}
