package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogitsTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void validationMessagesNameArgumentValueAndRow() {
        assertEquals("Expected logits to have at least one row, but got 0", message(() -> Logits.of(new double[0][])));
        assertEquals("logits rows are ragged: row 0 has 3 columns but row 2 has 2",
                message(() -> Logits.of(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8}})));
        assertEquals("logits rows are ragged: row 0 has 2 columns but row 1 has none (null)",
                message(() -> Logits.of(new double[][] {{1, 2}, null})));
        assertEquals("logits must be finite, but got NaN at row 1, class 0",
                message(() -> Logits.of(new double[][] {{1, 2}, {Double.NaN, 0}})));
        assertEquals("logits must be finite, but got Infinity at row 0, class 1",
                message(() -> Logits.of(new double[][] {{1, Double.POSITIVE_INFINITY}})));
        assertEquals("Expected logits to have at least 2 classes, but got 1", message(() -> Logits.of(new double[][] {{1}})));
        assertEquals("Expected 2 x 3 = 6 logits, but got 5", message(() -> Logits.of(new double[5], 2, 3)));
        assertEquals("Expected temperature to be a finite number larger than 0, but got -1.0",
                message(() -> Logits.of(new double[][] {{1, 2}}).divide(-1)));
        assertEquals("Expected eps in (0, 1), but got 0.0",
                message(() -> Logits.fromProbabilities(Probabilities.of(new double[][] {{0.5, 0.5}}), 0)));
    }

    @Test
    void saturatedLogitsGiveExactProbabilitiesAndFiniteLogSoftmax() {
        // softmax of (1e4, 0, -1e4) is (1, exp(-1e4), exp(-2e4)) = (1, 0, 0) in doubles
        Logits z = Logits.of(new double[][] {{1e4, 0, -1e4}, {-1e4, -1e4, -1e4}});
        assertArrayEquals(new double[] {1, 0, 0}, z.softmax().row(0), 0.0);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, z.softmax().row(1), 1e-15);
        double[][] ls = z.logSoftmax();
        assertArrayEquals(new double[] {0, -1e4, -2e4}, ls[0], 1e-9);
        assertEquals(-1e4 + Math.log(3), z.logSumExp()[1], 1e-9);
        for (double[] row : ls) {
            for (double v : row) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    @Test
    void temperatureOneIsIdentityAndArgmaxIsKept() {
        Logits z = Logits.of(new double[][] {{0.3, 2.0, -1.0}, {5.0, 5.0, 1.0}});
        assertSame(z, z.divide(1.0));
        assertArrayEquals(z.argmax(), z.divide(3.7).argmax());
        assertArrayEquals(new int[] {1, 0}, z.argmax()); // first on ties
        assertArrayEquals(new double[] {0.1, 2.0 / 3, -1.0 / 3}, z.divide(3).row(0), 1e-15);
    }

    @Test
    void fromProbabilitiesRoundTripsThroughSoftmax() {
        Probabilities p = Probabilities.of(new double[][] {{0.2, 0.3, 0.5}, {1.0, 0.0, 0.0}});
        Probabilities back = Logits.fromProbabilities(p, 1e-12).softmax();
        assertArrayEquals(p.row(0), back.row(0), 1e-12);
        assertArrayEquals(p.row(1), back.row(1), 1e-11);
    }

    @Test
    void selectCopiesRowsInOrder() {
        Logits z = Logits.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Logits s = z.select(new int[] {2, 0, 2});
        assertArrayEquals(new double[] {5, 6}, s.row(0), 0.0);
        assertArrayEquals(new double[] {1, 2}, s.row(1), 0.0);
        assertEquals(3, s.n());
        assertThrows(IndexOutOfBoundsException.class, () -> z.select(new int[] {3}));
    }
}
