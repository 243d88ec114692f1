package org.calibkit.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.ReliabilityBins;
import org.junit.jupiter.api.Test;

class ProportionsTest {

    // (successes, trials, level, Clopper-Pearson lower, upper, Wilson lower, upper), printed by
    // src/test/resources/org/calibkit/calibration/stats/reference_values.py: Clopper-Pearson as
    // scipy.stats.beta.ppf(a/2, x, n-x+1) and beta.ppf(1-a/2, x+1, n-x) (0 and 1 at x = 0 and
    // x = n), checked equal to binomtest(x, n).proportion_ci(method='exact'); Wilson from
    // scipy.stats.binomtest(x, n).proportion_ci(method='wilson') (scipy 1.10.1).
    private static final double[][] REFERENCE = {
        {0, 10, 0.95, 0.0, 0.3084971078187608, 0.0, 0.27753279986288926},
        {1, 10, 0.95, 0.0025285785444617865, 0.4450161170281954, 0.017876213095072896, 0.4041500267952385},
        {3, 10, 0.95, 0.0667395111777345, 0.6524528500599973, 0.10779126740630102, 0.6032218525388546},
        {10, 10, 0.95, 0.6915028921812392, 1.0, 0.7224672001371109, 1.0},
        {7, 50, 0.9, 0.06759669900355719, 0.2469352017312092, 0.07772089782062996, 0.2392389959454846},
        {1, 10000, 0.95, 2.5317775934746887e-06, 0.0005570369979470473, 1.765267360112231e-05, 0.0005662688974013381},
        {9999, 10000, 0.99, 0.999257225887604, 0.9999994987459433, 0.999148823531775, 0.9999882593447121},
        {250, 1000, 0.95, 0.22343040626468025, 0.2780500062237557, 0.2241530989836914, 0.27776028025908617},
    };

    @Test
    void clopperPearsonMatchesScipyBetaPpf() {
        for (double[] r : REFERENCE) {
            ProportionInterval cp = Proportions.clopperPearson((long) r[0], (long) r[1], r[2]);
            assertEquals(r[3], cp.lower(), 1e-10 * Math.max(r[3], 1e-6), () -> "lower " + cp);
            assertEquals(r[4], cp.upper(), 1e-10, () -> "upper " + cp);
            assertTrue(cp.contains(cp.estimate()), cp::toString);
        }
    }

    @Test
    void zeroOrAllSuccessesGiveExactBoundsZeroAndOne() {
        // MATH-1401: Commons Math's IntervalUtils throws here; the bounds are exactly 0 and 1
        assertEquals(0.0, Proportions.clopperPearson(0, 7, 0.95).lower(), 0.0);
        assertEquals(1.0, Proportions.clopperPearson(7, 7, 0.95).upper(), 0.0);
        assertEquals(0.0, Proportions.wilson(0, 7, 0.95).lower(), 0.0);
        assertEquals(1.0, Proportions.wilson(7, 7, 0.95).upper(), 0.0);
        // no success in one trial: the upper end is the 0.975 quantile of Beta(1, 1), the uniform
        assertEquals(0.975, Proportions.clopperPearson(0, 1, 0.95).upper(), 1e-12);
    }

    @Test
    void wilsonMatchesScipyBinomtest() {
        for (double[] r : REFERENCE) {
            ProportionInterval w = Proportions.interval((long) r[0], (long) r[1], r[2], ProportionInterval.Method.WILSON);
            assertEquals(r[5], w.lower(), 1e-12, w::toString);
            assertEquals(r[6], w.upper(), 1e-12, w::toString);
        }
    }

    @Test
    void binIntervalsUseEachBinsCountsAndLeaveEmptyBinsNaN() {
        // bins of width 1/4: (0, .25] gets nothing, (.25, .5] 3 rows (1 right), (.5, .75] 10 rows (3 right),
        // (.75, 1] 10 rows (10 right) -- intervals as in REFERENCE rows 3 and 4 for the last two
        double[] c = new double[23];
        boolean[] ok = new boolean[23];
        int w = 0;
        for (int i = 0; i < 3; i++, w++) {
            c[w] = 0.4;
            ok[w] = i == 0;
        }
        for (int i = 0; i < 10; i++, w++) {
            c[w] = 0.6;
            ok[w] = i < 3;
        }
        for (int i = 0; i < 10; i++, w++) {
            c[w] = 0.9;
            ok[w] = true;
        }
        ReliabilityBins bins = ReliabilityBins.of(c, ok, 4);
        BinIntervals cp = BinIntervals.of(bins, 0.95, ProportionInterval.Method.CLOPPER_PEARSON);
        assertEquals(4, cp.numBins());
        assertTrue(Double.isNaN(cp.lower(0)) && Double.isNaN(cp.upper(0)));
        assertEquals(0.0667395111777345, cp.lower(2), 1e-11);
        assertEquals(0.6524528500599973, cp.upper(2), 1e-11);
        assertEquals(0.6915028921812392, cp.lower(3), 1e-11);
        assertEquals(1.0, cp.upper(3), 0.0);
        assertEquals(3, cp.count(1));
        assertEquals(1, cp.correctCount(1));
        BinIntervals wi = BinIntervals.of(bins, 0.95, ProportionInterval.Method.WILSON);
        assertEquals(0.10779126740630102, wi.lower(2), 1e-12);
        // Wilson is narrower than the exact interval here
        assertTrue(wi.upper(2) - wi.lower(2) < cp.upper(2) - cp.lower(2));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Proportions.clopperPearson(11, 10, 0.95));
        assertTrue(e.getMessage().contains("successes in [0, 10], but got 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Proportions.wilson(1, 0, 0.95));
        assertTrue(e.getMessage().contains("trials"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Proportions.wilson(1, 2, 1.5));
        assertTrue(e.getMessage().contains("level in (0, 1), but got 1.5"), e.getMessage());
    }
}
