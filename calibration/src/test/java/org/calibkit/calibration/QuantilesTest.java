package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one linear quantile, against numpy.quantile (default method 'linear'). */
class QuantilesTest {
    @Test
    void matchesNumpyLinear() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.025, 0.975]) -> [1.1, 9.4]
        double[] s = {1, 2, 3, 4, 10};
        assertEquals(1.1, Quantiles.linear(s, 0.025), 1e-12);
        assertEquals(9.4, Quantiles.linear(s, 0.975), 1e-12);
        // numpy.quantile([1, 2, 4, 8], [0, 0.25, 0.9, 1]) -> [1, 1.75, 6.8, 8]
        double[] v = {1, 2, 4, 8};
        assertEquals(1, Quantiles.linear(v, 0), 0);
        assertEquals(1.75, Quantiles.linear(v, 0.25), 1e-12);
        assertEquals(6.8, Quantiles.linear(v, 0.9), 1e-12);
        assertEquals(8, Quantiles.linear(v, 1.0), 0);
        assertEquals(3, Quantiles.linear(new double[] {3}, 0.5), 0);
    }

    @Test
    void refusesNoValuesAndLevelsOutsideTheUnitInterval() {
        assertEquals("Expected at least one value for a quantile, but got none",
                assertThrows(IllegalArgumentException.class, () -> Quantiles.linear(new double[0], 0.5)).getMessage());
        assertEquals("Expected the quantile level q in [0, 1], but got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Quantiles.linear(new double[] {1}, 1.5)).getMessage());
    }
}
