package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReliabilityBinsTest {

    @Test
    void matchesScikitLearnCalibrationCurveDocstringExample() {
        // src/test/resources/org/calibkit/calibration/reliability_reference.py (scikit-learn 1.2.1):
        // calibration_curve(y_true, y_pred, n_bins=3) -> prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85].
        // y_pred is the confidence and y_true == 1 "correct"; sklearn's uniform bins are right-closed too.
        double[] yPred = {0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0};
        boolean[] yTrue = {false, false, false, false, true, true, true, true, true};
        ReliabilityBins rb = ReliabilityBins.of(yPred, yTrue, 3);
        double[] probTrue = {0, 0.5, 1};
        double[] probPred = {0.2, 0.525, 0.85};
        for (int b = 0; b < 3; b++) {
            assertEquals(probTrue[b], rb.accuracy(b), 1e-12);
            assertEquals(probPred[b], rb.meanConfidence(b), 1e-12);
        }
        assertEquals(9, rb.total());
    }

    @Test
    void edgeConvention() {
        // right-closed: 0 in the first bin, 0.2 (an edge) in the first, 1.0 in the last, none lost
        ReliabilityBins rb = ReliabilityBins.of(new double[] {0.0, 0.2, 0.2000001, 1.0}, new boolean[4], 5);
        assertEquals(2, rb.count(0));
        assertEquals(1, rb.count(1));
        assertEquals(1, rb.count(4));
        assertEquals(4, rb.total());
        assertEquals(Double.NaN, rb.accuracy(2));
        assertEquals(0.6, rb.lower(3), 1e-15);
        assertEquals(0.8, rb.upper(3), 1e-15);
    }

    @Test
    void exactSumsDoNotDependOnOrderOrChunking() {
        Random rnd = new Random(1);
        double[] c = new double[5000];
        boolean[] ok = new boolean[c.length];
        double plain = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextDouble() * 1e-3 + 0.5001; // all in the upper of 2 bins; plain double sums would round
            ok[i] = rnd.nextBoolean();
            plain += c[i];
        }
        ReliabilityBins.Accumulator fwd = new ReliabilityBins.Accumulator(2);
        ReliabilityBins.Accumulator back = new ReliabilityBins.Accumulator(2);
        for (int i = 0; i < c.length; i++) {
            fwd.add(c[i], ok[i]);
            back.add(c[c.length - 1 - i], ok[c.length - 1 - i]);
        }
        assertEquals(fwd.toBins().confidenceSum(1), back.toBins().confidenceSum(1), 0.0);
        assertEquals(plain, fwd.toBins().confidenceSum(1), 1e-9);
        assertEquals(c.length, fwd.toBins().count(1));
    }

    @Test
    void badInputIsNamed() {
        assertEquals("Expected confidence in [0, 1], but got NaN at row 1",
                assertThrows(IllegalArgumentException.class,
                        () -> ReliabilityBins.of(new double[] {0.5, Double.NaN}, new boolean[2], 10)).getMessage());
        assertEquals("Expected numBins to be an integer larger than 0, but got 0",
                assertThrows(IllegalArgumentException.class, () -> new ReliabilityBins.Accumulator(0)).getMessage());
        assertEquals("Cannot merge accumulators with 3 and 4 bins",
                assertThrows(IllegalArgumentException.class,
                        () -> new ReliabilityBins.Accumulator(3).merge(new ReliabilityBins.Accumulator(4))).getMessage());
    }
}
