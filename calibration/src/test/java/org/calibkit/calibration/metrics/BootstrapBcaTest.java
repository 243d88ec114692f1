package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.stats.BcaInterval;
import org.junit.jupiter.api.Test;

/**
 * BCa intervals of {@link Bootstrap}: the same replicates as the percentile path, read by
 * {@link BcaInterval} (whose formula is matched to {@code scipy.stats.bootstrap(method='BCa')} in
 * BootstrapIntervalsTest), with jackknife values recomputed here by hand: leave-one-out up to
 * {@link Bootstrap#JACKKNIFE_GROUPS} rows, grouped (row i in group i mod G) above.
 */
class BootstrapBcaTest {
    private static final Random RND = new Random(33);
    private static final Logits Z = CalibrationMetricsPropertyTest.randomLogits(RND, 600, 4, 2.5);
    private static final int[] Y = CalibrationMetricsPropertyTest.noisyLabels(RND, Z, 0.6);
    private static final Probabilities P = Z.softmax();

    /** The replicates the bootstrap draws, rebuilt from its row indices. */
    private static double[] replicates(Bootstrap b, TopLabel t, java.util.function.ToDoubleFunction<TopLabel> m) {
        double[] out = new double[b.resamples()];
        for (int r = 0; r < out.length; r++) {
            out[r] = m.applyAsDouble(t.select(b.indices(r, t.n())));
        }
        return out;
    }

    @Test
    void leaveOneOutForSmallSamples() {
        TopLabel t = TopLabel.of(P, Y).select(java.util.stream.IntStream.range(0, 80).toArray());
        Bootstrap b = new Bootstrap(4, 300, 0.9, 2, Bootstrap.Method.BCA);
        java.util.function.ToDoubleFunction<TopLabel> ece = tl -> CalibrationMetrics.ece(tl, 10);
        double[] jack = new double[t.n()];
        for (int i = 0; i < t.n(); i++) {
            int skip = i;
            jack[i] = ece.applyAsDouble(t.select(java.util.stream.IntStream.range(0, t.n()).filter(j -> j != skip)
                    .toArray()));
        }
        BcaInterval expected = BcaInterval.of(ece.applyAsDouble(t), replicates(b, t, ece), jack, 0.9);
        Bootstrap.Interval got = b.interval(t, ece);
        assertEquals(Bootstrap.Method.BCA, got.method());
        assertEquals(expected.lower(), got.lower(), 1e-15);
        assertEquals(expected.upper(), got.upper(), 1e-15);
    }

    @Test
    void groupedJackknifeAboveTheGroupCount() {
        TopLabel t = TopLabel.of(P, Y);
        assertEquals(Bootstrap.JACKKNIFE_GROUPS, Bootstrap.jackknifeGroups(t.n()));
        // every row is left out by exactly one group
        int[] leftOut = new int[t.n()];
        for (int g = 0; g < Bootstrap.JACKKNIFE_GROUPS; g++) {
            int[] keep = Bootstrap.keep(g, t.n());
            boolean[] kept = new boolean[t.n()];
            for (int i : keep) {
                kept[i] = true;
            }
            for (int i = 0; i < t.n(); i++) {
                leftOut[i] += kept[i] ? 0 : 1;
                assertEquals(i % Bootstrap.JACKKNIFE_GROUPS != g, kept[i]);
            }
        }
        for (int c : leftOut) {
            assertEquals(1, c);
        }
        Bootstrap b = new Bootstrap(8, 200, 0.95, 1).withMethod(Bootstrap.Method.BCA);
        java.util.function.ToDoubleFunction<TopLabel> acc = CalibrationMetrics::accuracy;
        double[] jack = new double[Bootstrap.JACKKNIFE_GROUPS];
        for (int g = 0; g < jack.length; g++) {
            jack[g] = acc.applyAsDouble(t.select(Bootstrap.keep(g, t.n())));
        }
        BcaInterval expected = BcaInterval.of(acc.applyAsDouble(t), replicates(b, t, acc), jack, 0.95);
        Bootstrap.Interval got = b.interval(t, acc);
        assertEquals(expected.lower(), got.lower(), 1e-15);
        assertEquals(expected.upper(), got.upper(), 1e-15);
    }

    @Test
    void summaryAndPairedUseTheSameReadingAsOneMetricAtATime() {
        Bootstrap b = new Bootstrap(3, 120, 0.95, 2, Bootstrap.Method.BCA);
        Predictions before = Predictions.of(Z, Y);
        Predictions after = Predictions.of(Z.divide(1.7), Y);
        Map<String, Bootstrap.Interval> s = b.summary(before, 15);
        Map<String, Bootstrap.Paired> paired = b.paired(before, after, 15);
        Bootstrap.Interval accuracy = b.interval(Z, Y, CalibrationMetrics::accuracy);
        assertEquals(accuracy.lower(), s.get("accuracy").lower(), 1e-15);
        assertEquals(accuracy.upper(), s.get("accuracy").upper(), 1e-15);
        assertEquals(s.get("ece"), paired.get("ece").before());
        for (Bootstrap.Paired p : paired.values()) {
            assertEquals(Bootstrap.Method.BCA, p.difference().method());
        }
        // temperature keeps the arg-max: the accuracy difference is 0 on every resample and every jackknife group
        assertEquals(0.0, paired.get("accuracy").difference().lower(), 0);
        assertEquals(0.0, paired.get("accuracy").difference().upper(), 0);
    }

    @Test
    void symmetricStatisticGivesAboutThePercentileInterval() {
        Bootstrap pct = new Bootstrap(11, 2000, 0.95, 2);
        Bootstrap.Interval a = pct.interval(P, Y, CalibrationMetrics::brier);
        Bootstrap.Interval c = pct.withMethod(Bootstrap.Method.BCA).interval(P, Y, CalibrationMetrics::brier);
        assertEquals(Bootstrap.Method.PERCENTILE, a.method(), "percentile is the default");
        double width = a.upper() - a.lower();
        assertEquals(a.lower(), c.lower(), 0.1 * width);
        assertEquals(a.upper(), c.upper(), 0.1 * width);
    }

    @Test
    void methodIds() {
        assertEquals(Bootstrap.Method.BCA, Bootstrap.Method.of(" BCa "));
        assertEquals("percentile", Bootstrap.Method.PERCENTILE.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bootstrap.Method.of("t"));
        assertTrue(e.getMessage().contains("'t'"), e.getMessage());
    }
}
