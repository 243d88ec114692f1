package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProbabilitiesTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void validationMessagesNameArgumentValueAndRow() {
        assertEquals("Expected probabilities to have at least one row, but got 0",
                message(() -> Probabilities.of(new double[0][])));
        assertEquals("Expected probabilities in [0, 1], but got NaN at row 1, class 1",
                message(() -> Probabilities.of(new double[][] {{0.5, 0.5}, {0.5, Double.NaN}})));
        assertEquals("Expected probabilities in [0, 1], but got 1.5 at row 0, class 0",
                message(() -> Probabilities.independent(new double[][] {{1.5, 0.5}})));
        assertEquals("Expected probabilities in [0, 1], but got Infinity at row 0, class 1",
                message(() -> Probabilities.independent(new double[][] {{0.5, Double.POSITIVE_INFINITY}})));
        assertEquals("Expected each row of probabilities to sum to 1, but row 1 sums to 0.8 (use independent "
                + "probabilities for one-vs-rest heads)",
                message(() -> Probabilities.of(new double[][] {{0.5, 0.5}, {0.4, 0.4}})));
        assertEquals("probabilities rows are ragged: row 0 has 2 columns but row 1 has 3",
                message(() -> Probabilities.of(new double[][] {{0.5, 0.5}, {0.2, 0.3, 0.5}})));
        assertEquals("Expected labels in [0, 2), but got -1 at row 0",
                message(() -> Checks.labels("labels", new int[] {-1}, 1, 2)));
    }

    @Test
    void independentRowsNeedNotSumToOne() {
        Probabilities p = Probabilities.independent(new double[][] {{0.9, 0.8}, {0.1, 0.0}});
        assertFalse(p.isNormalized());
        assertArrayEquals(new double[] {0.9, 0.1}, p.maxProbability(), 0.0);
        assertArrayEquals(new int[] {0, 0}, p.argmax());
    }
}
