package org.calibkit.calibration.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/** The label-free ECE estimate on cases worked out by hand. */
class CalibrationEstimateTest {
    @Test
    void fourRowsInTwoBinsByHand() {
        // model: top confidences 0.9 (class 0), 0.8 (class 1), 0.6 (class 0), 0.55 (class 1)
        Probabilities model = Probabilities.of(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.45, 0.55}});
        // reference's probability of the model's predicted class: 0.7, 0.6, 0.5, 0.5
        Probabilities ref = Probabilities.of(new double[][] {{0.7, 0.3}, {0.4, 0.6}, {0.5, 0.5}, {0.5, 0.5}});
        // 2 bins: [0.5, 1) holds all four (binOf(0.55) = 1, binOf(0.6) = 1, ...): |2.85 - 2.3| / 4 = 0.1375
        assertEquals(0.1375, CalibrationEstimate.ece(model, ref, 2), 1e-12);
        // 10 bins: 0.9 | 0.8 | 0.6 | 0.55 each alone: (0.2 + 0.2 + 0.1 + 0.05) / 4 = 0.1375 too (all overconfident)
        assertEquals(0.1375, CalibrationEstimate.ece(model, ref, 10), 1e-12);
        // 10 bins with an underconfident row beside an overconfident one in the same bin cancel:
        Probabilities m2 = Probabilities.of(new double[][] {{0.62, 0.38}, {0.38, 0.62}});
        Probabilities r2 = Probabilities.of(new double[][] {{0.72, 0.28}, {0.48, 0.52}});
        // bin 6 holds both: conf 1.24, chance 0.72 + 0.52 = 1.24: estimate 0
        assertEquals(0.0, CalibrationEstimate.ece(m2, r2, 10), 1e-12);
    }

    @Test
    void theModelAsItsOwnReferenceIsCalibrated() {
        Probabilities model = Probabilities.of(new double[][] {{0.9, 0.05, 0.05}, {0.3, 0.3, 0.4}, {0.1, 0.8, 0.1}});
        assertEquals(0.0, CalibrationEstimate.ece(model, model, 15), 1e-15);
    }

    @Test
    void shapesMustAgree() {
        Probabilities a = Probabilities.of(new double[][] {{0.5, 0.5}});
        Probabilities b = Probabilities.of(new double[][] {{0.5, 0.5}, {0.5, 0.5}});
        assertThrows(IllegalArgumentException.class, () -> CalibrationEstimate.ece(a, b, 10));
        assertThrows(IllegalArgumentException.class, () -> CalibrationEstimate.ece(a, a, 0));
    }
}
