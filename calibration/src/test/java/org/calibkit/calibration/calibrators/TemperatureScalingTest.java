package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    @Test
    void fitMatchesScipyOnFixture() {
        // Reference: make_fixture.py, scipy.optimize.brentq on dNLL/dbeta of the same fixture.csv
        // (xtol = rtol = 1e-15), NLL with scipy.special.logsumexp.
        Fixture f = Fixture.csv();
        TemperatureMap m = new TemperatureScaling().fit(f.logits, f.labels);
        assertEquals(2.700307335527281, m.temperature(), 1e-9);
        assertEquals(1.2209557522239873, m.nllBefore(), 1e-12);
        assertEquals(0.8417356543077026, m.nllAfter(), 1e-12);
        assertTrue(m.converged());
        assertEquals(TemperatureMap.Bound.NONE, m.bound());
        assertTrue(Math.abs(m.gradient()) <= TemperatureScaling.DEFAULT_TOLERANCE);
        assertTrue(m.iterations() > 0 && m.iterations() < 20, "iterations " + m.iterations());
    }

    @Test
    void recoversKnownTemperatureWithinOnePercent() {
        // 250k rows: the standard error of the fitted T (from the Fisher information, 1 / sqrt(n * NLL''))
        // is about 0.26% here, so the 1% bound is about 4 standard errors, not luck of the seed
        for (double trueT : new double[] {0.5, 2.0}) {
            Fixture f = Fixture.withTemperature(42, 250_000, 10, 2.0, trueT);
            TemperatureMap m = new TemperatureScaling().fit(f.logits, f.labels);
            assertEquals(trueT, m.temperature(), 0.01 * trueT, "T recovered from labels drawn with T = " + trueT);
            assertTrue(m.nllAfter() <= m.nllBefore());
        }
    }

    @Test
    void keepsArgmaxAndRowsSumToOne() {
        Fixture f = Fixture.csv();
        TemperatureMap m = new TemperatureScaling().fit(f.logits, f.labels);
        Probabilities p = m.apply(f.logits);
        assertArrayEquals(f.logits.argmax(), p.argmax());
        assertTrue(p.isNormalized());
        for (int i = 0; i < p.n(); i++) {
            double s = 0;
            for (double v : p.row(i)) {
                s += v;
            }
            assertEquals(1.0, s, 1e-12);
        }
    }

    @Test
    void temperatureOneIsIdentity() {
        Fixture f = Fixture.csv();
        Probabilities p = TemperatureMap.of(4, 1.0).apply(f.logits);
        assertArrayEquals(f.logits.softmax().raw(), p.raw(), 0.0);
    }

    /** Fits the default temperature scaling and checks it stopped, converged, at {@code bound} = {@code t}. */
    private static TemperatureMap fitStopsAt(TemperatureMap.Bound bound, double t, double[][] z, int... y) {
        TemperatureMap m = new TemperatureScaling().fit(Logits.of(z), y);
        assertEquals(t, m.temperature(), 0.0);
        assertEquals(bound, m.bound());
        assertTrue(m.converged());
        return m;
    }

    @Test
    void separableDataStopAtMinimumTemperature() {
        // every label is the argmax with a margin of at least 3: the NLL keeps falling as T -> 0
        TemperatureMap m = fitStopsAt(TemperatureMap.Bound.MINIMUM_TEMPERATURE, TemperatureScaling.DEFAULT_MIN_TEMPERATURE,
                new double[][] {{5, 0, 1}, {0, 4, 1}, {-1, 0, 3}, {9, 2, 2}}, 0, 1, 2, 0);
        assertTrue(m.gradient() > 0, "NLL still rises with log T at the bound");
        assertTrue(m.nllAfter() < 1e-100);
    }

    @Test
    void allWrongDataStopAtMaximumTemperature() {
        // every label is the argmin: the best the scale can do is a uniform distribution, T -> infinity
        TemperatureMap m = fitStopsAt(TemperatureMap.Bound.MAXIMUM_TEMPERATURE, TemperatureScaling.DEFAULT_MAX_TEMPERATURE,
                new double[][] {{5, 0, 1}, {0, 4, 1}, {-1, 0, 3}, {9, 2, 3}}, 1, 0, 0, 1);
        assertTrue(m.nllAfter() < m.nllBefore());
        assertTrue(m.nllAfter() > Math.log(3) - 0.2);
    }

    @Test
    void interiorOptimumOutsideTheRangeStopsAtTheNearerBound() {
        // the fixture's optimum is T = 2.7003 (scipy, above)
        Fixture f = Fixture.csv();
        TemperatureMap capped = new TemperatureScaling(0.01, 2.0, 1e-9, 100, true).fit(f.logits, f.labels);
        assertEquals(2.0, capped.temperature(), 0.0);
        assertEquals(TemperatureMap.Bound.MAXIMUM_TEMPERATURE, capped.bound());
        assertTrue(capped.converged() && capped.gradient() < 0, "NLL still falls as T grows past the bound");
        TemperatureMap floored = new TemperatureScaling(3.0, 100, 1e-9, 100, true).fit(f.logits, f.labels);
        assertEquals(3.0, floored.temperature(), 0.0);
        assertEquals(TemperatureMap.Bound.MINIMUM_TEMPERATURE, floored.bound());
        assertTrue(floored.gradient() > 0);
    }

    @Test
    void saturatedLogitsNeverGiveNaN() {
        double[][] z = {{1e4, 0, -1e4}, {0, 1e4, 0}, {-1e4, 1e4, 0}, {1e4, 1e4, 0}, {0, 0, 1e4}};
        int[] y = {0, 1, 2, 0, 2};
        TemperatureMap m = new TemperatureScaling().fit(Logits.of(z), y);
        assertTrue(Double.isFinite(m.temperature()) && Double.isFinite(m.nllBefore()) && Double.isFinite(m.nllAfter()));
        for (double v : m.apply(Logits.of(z)).raw()) {
            assertFalse(Double.isNaN(v));
        }
        // before scaling: row 2 (label 2, 1e4 below the max) costs 1e4 nats, row 3 (a tie) log 2
        assertEquals((1e4 + Math.log(2)) / 5, m.nllBefore(), 1e-9);
    }

    @Test
    void nonConvergenceIsLoud() {
        Fixture f = Fixture.csv();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TemperatureScaling(0.01, 100, 1e-9, 1, true).fit(f.logits, f.labels));
        assertTrue(e.getMessage().contains("did not converge"), e.getMessage());
        TemperatureMap lax = new TemperatureScaling(0.01, 100, 1e-9, 1, false).fit(f.logits, f.labels);
        assertFalse(lax.converged());
        assertTrue(lax.toString().contains("NOT CONVERGED"));
    }

    @Test
    void badInputsNameArgumentValueAndRow() {
        Fixture f = Fixture.csv();
        int[] bad = f.labels.clone();
        bad[7] = 4;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TemperatureScaling().fit(f.logits, bad));
        assertTrue(e.getMessage().contains("labels") && e.getMessage().contains("4")
                && e.getMessage().contains("row 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling().fit(f.logits, new int[3]));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        TemperatureMap m = TemperatureMap.of(4, 1.5);
        e = assertThrows(IllegalArgumentException.class, () -> m.apply(Logits.of(new double[][] {{1, 2, 3}})));
        assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling(0, 10, 1e-9, 10, true));
        assertTrue(e.getMessage().contains("minTemperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureMap.of(4, Double.NaN));
        assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains("NaN"), e.getMessage());
    }
}
