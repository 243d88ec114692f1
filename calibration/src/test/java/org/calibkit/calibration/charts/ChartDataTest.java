package org.calibkit.calibration.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.TestDraws;
import org.junit.jupiter.api.Test;

class ChartDataTest {
    private static final double EPS = 1e-12;

    /*
     * Hand-made example, 10 predictions, 5 equal-width right-closed bins (edges 0, .2, .4, .6, .8, 1):
     *   bin 0 (0 and (0,.2]): 0.0 F, 0.1 F, 0.15 T  -> n 3, acc 1/3, mean conf 0.25/3
     *   bin 1 (.2,.4]:        0.3 F, 0.35 T, 0.4 T -> n 3, acc 2/3, mean conf 0.35
     *   bin 2 (.4,.6]:        0.55 F               -> n 1, acc 0,   mean conf 0.55
     *   bin 3 (.6,.8]:        none                 -> NaN
     *   bin 4 (.8,1]:         0.9 T, 0.95 T, 1.0 T -> n 3, acc 1,   mean conf 0.95
     * ECE = .3*|1/3 - 1/12| + .3*|2/3 - .35| + .1*.55 + .3*.05 = .075 + .095 + .055 + .015 = 0.24
     * overall accuracy 6/10; mean confidence 4.7/10 = 0.47.
     */
    private static final double[] CONF = {0.1, 0.15, 0.3, 0.35, 0.4, 0.55, 0.9, 0.95, 1.0, 0.0};
    private static final boolean[] HIT = {false, true, false, true, true, false, true, true, true, false};

    private static ReliabilityBins handBins() {
        return ReliabilityBins.of(CONF, HIT, 5);
    }

    @Test
    void reliabilityDiagramHoldsTheBinNumbers() {
        ReliabilityDiagram d = ReliabilityDiagram.of(handBins(), "hand");
        assertEquals(5, d.numBins());
        double[] acc = {1.0 / 3, 2.0 / 3, 0, Double.NaN, 1};
        double[] conf = {0.25 / 3, 0.35, 0.55, Double.NaN, 0.95};
        long[] counts = {3, 3, 1, 0, 3};
        for (int b = 0; b < 5; b++) {
            assertEquals(acc[b], d.accuracy(b), EPS, "accuracy bin " + b);
            assertEquals(conf[b], d.meanConfidence(b), EPS, "confidence bin " + b);
            assertEquals(counts[b], d.count(b));
            assertEquals(counts[b] / 10.0, d.share(b), EPS);
            assertEquals(b * 0.2, d.lower(b), EPS);
            assertEquals((b + 1) * 0.2, d.upper(b), EPS);
        }
        assertEquals(0.35 - 2.0 / 3, d.gap(1), EPS);
        assertEquals(0.24, d.ece(), EPS);
        assertEquals(0.6, d.overallAccuracy(), EPS);
        assertEquals(10, d.total());
        assertFalse(d.hasIntervals());
        assertTrue(Double.isNaN(d.intervalLow(0)));
    }

    @Test
    void confidenceHistogramHoldsSharesAndLines() {
        ConfidenceHistogram h = ConfidenceHistogram.of(handBins(), "hand");
        double[] share = {0.3, 0.3, 0.1, 0, 0.3};
        for (int b = 0; b < 5; b++) {
            assertEquals(share[b], h.share(b), EPS);
        }
        assertEquals(0.6, h.accuracy(), EPS);
        assertEquals(0.47, h.meanConfidence(), EPS);
        assertEquals(10, h.total());
    }

    /*
     * p = [[.9,.1],[.3,.7],[.6,.4],[.2,.8]], labels [0,1,1,1], 2 bins (0,.5], (.5,1]:
     *   class 0: confs .9 T, .3 F, .6 F, .2 F -> bin0 {.3,.2}: acc 0, conf .25; bin1 {.9,.6}: acc .5, conf .75;
     *            ECE = .5*.25 + .5*.25 = .25
     *   class 1: confs .1 F, .7 T, .4 T, .8 T -> bin0 {.1,.4}: acc .5, conf .25; bin1 {.7,.8}: acc 1, conf .75;
     *            ECE = .25;  classwise ECE = .25
     */
    @Test
    void classwiseDiagramsAreOneVsRest() {
        Probabilities p = Probabilities.of(new double[][] {{.9, .1}, {.3, .7}, {.6, .4}, {.2, .8}});
        ClasswiseReliability c = ClasswiseReliability.of(p, new int[] {0, 1, 1, 1}, List.of("cat", "dog"), 2, "t");
        assertEquals(2, c.numClasses());
        assertEquals("cat", c.diagram(0).title());
        assertEquals("dog", c.diagram(1).title());
        assertEquals(0, c.diagram(0).accuracy(0), EPS);
        assertEquals(0.25, c.diagram(0).meanConfidence(0), EPS);
        assertEquals(0.5, c.diagram(0).accuracy(1), EPS);
        assertEquals(0.75, c.diagram(0).meanConfidence(1), EPS);
        assertEquals(0.5, c.diagram(1).accuracy(0), EPS);
        assertEquals(1.0, c.diagram(1).accuracy(1), EPS);
        assertEquals(0.25, c.diagram(0).ece(), EPS);
        assertEquals(0.25, c.diagram(1).ece(), EPS);
        assertEquals(0.25, c.classwiseEce(), EPS);
        assertEquals(List.of("0", "1"), ClasswiseReliability.of(p, new int[] {0, 1, 1, 1}, null, 2, "t").classNames());
    }

    @Test
    void classwiseIsEquivariantUnderRelabelling() {
        Random r = new Random(3);
        int n = 300;
        int k = 4;
        int[] y = new int[n];
        double[][] rows = TestDraws.normalisedRows(n, k, (i, row) -> {
            for (int j = 0; j < k; j++) {
                row[j] = r.nextDouble();
            }
            y[i] = r.nextInt(k);
        });
        int[] perm = {2, 0, 3, 1}; // new class perm[j] = old class j
        double[][] permuted = new double[n][k];
        int[] py = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                permuted[i][perm[j]] = rows[i][j];
            }
            py[i] = perm[y[i]];
        }
        ClasswiseReliability a = ClasswiseReliability.of(Probabilities.of(rows), y, null, 7, "a");
        ClasswiseReliability b = ClasswiseReliability.of(Probabilities.of(permuted), py, null, 7, "b");
        for (int j = 0; j < k; j++) {
            for (int bin = 0; bin < 7; bin++) {
                assertEquals(a.diagram(j).count(bin), b.diagram(perm[j]).count(bin));
                assertEquals(a.diagram(j).accuracy(bin), b.diagram(perm[j]).accuracy(bin), EPS);
            }
        }
        assertEquals(a.classwiseEce(), b.classwiseEce(), 1e-12);
    }

    /*
     * in = [0, 1, 2, 3], out = [2, 3, 3, 4], 4 bins over [0, 4] (edges 0..4, right-closed, min in bin 0):
     *   in counts [2, 1, 1, 0] -> densities count / (4 * 1) = [.5, .25, .25, 0]
     *   out counts [0, 1, 2, 1] -> [0, .25, .5, .25]
     */
    @Test
    void oodHistogramDensities() {
        OodHistogram h = OodHistogram.of(new double[] {0, 1, 2, 3}, new double[] {2, 3, 3, 4}, 4, "score", "t");
        double[] in = {.5, .25, .25, 0};
        double[] out = {0, .25, .5, .25};
        for (int b = 0; b < 4; b++) {
            assertEquals(in[b], h.inDensity(b), EPS);
            assertEquals(out[b], h.outDensity(b), EPS);
        }
        assertEquals(0, h.edges()[0], EPS);
        assertEquals(4, h.edges()[4], EPS);
    }

    @Test
    void oodDensitiesIntegrateToOne() {
        Random r = new Random(5);
        double[] in = TestDraws.values(1000, i -> r.nextGaussian() * 3 - 10);
        double[] out = TestDraws.values(333, i -> r.nextGaussian() * 0.5);
        OodHistogram h = OodHistogram.of(in, out, 23, "energy", "t");
        double[] e = h.edges();
        double si = 0;
        double so = 0;
        long ci = 0;
        long co = 0;
        for (int b = 0; b < h.numBins(); b++) {
            si += h.inDensity(b) * (e[b + 1] - e[b]);
            so += h.outDensity(b) * (e[b + 1] - e[b]);
            ci += h.inCount(b);
            co += h.outCount(b);
        }
        assertEquals(1, si, 1e-9);
        assertEquals(1, so, 1e-9);
        assertEquals(1000, ci);
        assertEquals(333, co);
    }

    @Test
    void bootstrapIntervalsMatchTheBinomialSpread() {
        // one bin holding 400 predictions, half correct: the normal approximation gives a 95% interval
        // of 0.5 +- 1.96 * sqrt(.25 / 400) = 0.5 +- 0.049, i.e. a width of about 0.098
        int n = 400;
        double[] conf = new double[n];
        boolean[] hit = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = 0.7;
            hit[i] = i % 2 == 0;
        }
        BinAccuracyIntervals iv = BinAccuracyIntervals.bootstrap(conf, hit, 10, 400, 0.95, 11);
        int b = ReliabilityBins.binOf(0.7, 10);
        double width = iv.upper()[b] - iv.lower()[b];
        assertTrue(width > 0.08 && width < 0.12, "width " + width);
        assertTrue(iv.lower()[b] < 0.5 && iv.upper()[b] > 0.5);
        assertTrue(Double.isNaN(iv.lower()[0]), "a bin that is always empty has no interval");
        // same seed, same intervals; a wider level, a wider interval
        BinAccuracyIntervals again = BinAccuracyIntervals.bootstrap(conf, hit, 10, 400, 0.95, 11);
        assertEquals(iv.lower()[b], again.lower()[b], 0);
        BinAccuracyIntervals wide = BinAccuracyIntervals.bootstrap(conf, hit, 10, 400, 0.99, 11);
        assertTrue(wide.upper()[b] - wide.lower()[b] >= width);
    }

    @Test
    void allCorrectBinHasDegenerateInterval() {
        BinAccuracyIntervals iv = BinAccuracyIntervals.bootstrap(CONF, HIT, 5, 50, 0.9, 1);
        assertEquals(1, iv.lower()[4], 0);
        assertEquals(1, iv.upper()[4], 0);
        ReliabilityDiagram d = ReliabilityDiagram.of(handBins(), "t").withIntervals(iv);
        assertTrue(d.hasIntervals());
        assertEquals(0.9, d.intervalLevel(), 0);
        assertEquals(1, d.intervalHigh(4), 0);
    }

    @Test
    void badInputIsNamed() {
        ReliabilityBins empty = new ReliabilityBins.Accumulator(5).toBins();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReliabilityDiagram.of(empty, "t"));
        assertTrue(e.getMessage().contains("at least one prediction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.of(handBins(), "t")
                .withIntervals(BinAccuracyIntervals.bootstrap(CONF, HIT, 4, 10, 0.9, 1)));
        assertTrue(e.getMessage().contains("5 bins"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OodHistogram.of(new double[] {1, Double.NaN}, new double[] {1}, 3, "s", "t"));
        assertTrue(e.getMessage().contains("inScores") && e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OodHistogram.of(new double[] {1}, new double[0], 3, "s", "t"));
        assertTrue(e.getMessage().contains("outScores"), e.getMessage());
        Probabilities p = Probabilities.of(new double[][] {{.9, .1}, {.3, .7}});
        e = assertThrows(IllegalArgumentException.class,
                () -> ClasswiseReliability.of(p, new int[] {0, 1}, List.of("a"), 2, "t"));
        assertTrue(e.getMessage().contains("2 class names"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClasswiseReliability.of(p, new int[] {0, 2}, null, 2, "t"));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BinAccuracyIntervals.bootstrap(CONF, HIT, 5, 10, 1.0, 1));
        assertTrue(e.getMessage().contains("level"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BinAccuracyIntervals.bootstrap(new double[] {0.5, 1.5}, new boolean[2], 5, 10, 0.9, 1));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
