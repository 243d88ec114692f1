package org.calibkit.calibration.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.ProportionInterval;
import org.junit.jupiter.api.Test;

/** The charts of the statistics sections: exact bin whiskers, risk-coverage curves, set-size histograms. */
class StatisticsChartsTest {
    private static final double[] CONF = {0.95, 0.97, 0.99, 0.6, 0.65, 0.55, 0.35, 0.92, 0.99, 0.71};
    private static final boolean[] OK = {true, true, true, false, true, true, false, true, true, false};

    @Test
    void clopperPearsonWhiskersAreTheBinIntervalsAndSayWhatTheyAre() throws IOException {
        ReliabilityBins bins = ReliabilityBins.of(CONF, OK, 5);
        BinIntervals cp = BinIntervals.of(bins, 0.95, ProportionInterval.Method.CLOPPER_PEARSON);
        BinAccuracyIntervals w = BinAccuracyIntervals.of(cp);
        assertEquals("Clopper-Pearson", w.method());
        assertArrayEquals(cp.lower(), w.lower());
        assertArrayEquals(cp.upper(), w.upper());
        ReliabilityDiagram d = ReliabilityDiagram.of(bins, "t").withIntervals(w);
        assertEquals("Clopper-Pearson", d.intervalMethod());
        assertEquals(cp.upper(4), d.intervalHigh(4), 0);
        assertEquals("bootstrap", BinAccuracyIntervals.bootstrap(CONF, OK, 5, 50, 0.9, 1).method());
        png(d);
    }

    @Test
    void riskCoverageAndSetSizeChartsRender() throws IOException {
        RiskCoverageChart r = RiskCoverageChart.of("<risk> & coverage", List.of(
                new RiskCoverageChart.Curve("msp", new double[] {0.1, 0.5, 1}, new double[] {0, 0.01, 0.02}),
                new RiskCoverageChart.Curve("energy", new double[] {0.1, 0.5, 1}, new double[] {0.01, 0.01, 0.02})),
                0.01, 0.005);
        assertEquals(0.02, r.maxRisk(), 0);
        png(r);
        assertTrue(ChartRenderer.describe(r).contains("msp, energy"));
        String svg = ChartRenderer.svg(r, 500, 400);
        assertTrue(svg.contains("&lt;risk&gt; &amp; coverage"));
        assertFalse(svg.contains("<risk>"));

        SetSizeHistogram h = SetSizeHistogram.of("sizes", List.of(
                new SetSizeHistogram.Series("LAC", new long[] {1, 8, 1, 0}),
                new SetSizeHistogram.Series("APS", new long[] {0, 6, 3, 1})));
        assertEquals(3, h.numClasses());
        assertEquals(0.8, h.series().get(0).share(1), 1e-15);
        png(h);
        assertThrows(IllegalArgumentException.class, () -> SetSizeHistogram.of("x", List.of(
                new SetSizeHistogram.Series("a", new long[] {1, 2}), new SetSizeHistogram.Series("b", new long[] {1}))));
        assertThrows(IllegalArgumentException.class, () -> RiskCoverageChart.of("x", List.of()));
    }

    private static void png(ChartData d) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(ChartRenderer.png(d, 600, 400)));
        assertEquals(600, img.getWidth());
        assertEquals(400, img.getHeight());
    }
}
