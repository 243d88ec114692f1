package org.calibkit.calibration.charts;

import java.util.Locale;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** The confidence histogram with its accuracy and mean-confidence lines. */
final class ConfidenceRenderer {
    private ConfidenceRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(ConfidenceHistogram h) {
        return String.format(Locale.ROOT, "Confidence histogram in %d bins, n=%d, accuracy %.4f, "
                + "mean confidence %.4f", h.numBins(), h.total(), h.accuracy(), h.meanConfidence());
    }

    /** The chart, one panel of the given size. */
    static XYChart chart(ConfidenceHistogram hist, int w, int h) {
        float font = ChartStyle.fontSize(w, h);
        XYChart c = ChartStyle.base(w, h, hist.title(), "Confidence", "Share of predictions", font);
        XYStyler s = c.getStyler();
        s.setYAxisDecimalPattern("0.00");
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        double top = ChartStyle.shareBars(c, hist, ChartStyle.BAR_FILL, ChartStyle.BAR_EDGE);
        ChartStyle.line(c, String.format(Locale.ROOT, "Accuracy %.3f", hist.accuracy()),
                new double[] {hist.accuracy(), hist.accuracy()}, new double[] {0, top}, ChartStyle.ACCURACY_LINE, 2f, true);
        ChartStyle.line(c, String.format(Locale.ROOT, "Mean confidence %.3f", hist.meanConfidence()),
                new double[] {hist.meanConfidence(), hist.meanConfidence()}, new double[] {0, top}, ChartStyle.CONFIDENCE_LINE,
                2f, true);
        return c;
    }
}
