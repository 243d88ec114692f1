package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.junit.jupiter.api.Test;

/** {@code ofTotals}: bins from sums computed elsewhere (spark/'s SQL aggregation) hold exactly what they are given. */
class BinsOfSumsTest {
    @Test
    void reliabilityBinsOfTheirOwnSumsAreTheSame() {
        ReliabilityBins a = ReliabilityBins.of(new double[] {0.9, 0.55, 0.3, 1.0}, new boolean[] {true, false, true, true}, 3);
        long[] counts = new long[3];
        double[] sums = new double[3];
        long[] correct = new long[3];
        for (int b = 0; b < 3; b++) {
            counts[b] = a.count(b);
            sums[b] = a.confidenceSum(b);
            correct[b] = a.correctCount(b);
        }
        ReliabilityBins b = ReliabilityBins.ofTotals(counts, sums, correct);
        // by hand: 0.3 -> bin 0, 0.55 -> bin 1, 0.9 and 1.0 -> bin 2
        assertEquals(2, b.count(2));
        assertEquals(1.9, b.confidenceSum(2), 1e-15);
        assertEquals(CalibrationMetrics.ece(a), CalibrationMetrics.ece(b), 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> ReliabilityBins.ofTotals(new long[] {1}, new double[] {0.5}, new long[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> ReliabilityBins.ofTotals(new long[] {1}, new double[] {1.5}, new long[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> ReliabilityBins.ofTotals(new long[] {1, 0}, new double[] {0.5}, new long[] {1, 0}));
    }

    @Test
    void classwiseBinsOfTheirOwnSumsAreTheSame() {
        Probabilities p = Probabilities.of(new double[] {0.8, 0.2, 0.4, 0.6, 0.5, 0.5}, 3, 2, true);
        int[] labels = {0, 1, 1};
        ClasswiseBins a = ClasswiseBins.of(p, labels, 2);
        long[] counts = new long[4];
        double[] sums = new double[4];
        long[] pos = new long[4];
        for (int c = 0; c < 2; c++) {
            for (int b = 0; b < 2; b++) {
                counts[c * 2 + b] = a.count(c, b);
                sums[c * 2 + b] = a.probabilitySum(c, b);
                pos[c * 2 + b] = a.positives(c, b);
            }
        }
        ClasswiseBins b = ClasswiseBins.ofTotals(2, 2, counts, sums, pos);
        // by hand: class 0 probabilities 0.8 (bin 1), 0.4 and 0.5 (bin 0); label 0 only on row 0
        assertEquals(2, b.count(0, 0));
        assertEquals(1, b.positives(0, 1));
        assertEquals(CalibrationMetrics.classwiseEce(a), CalibrationMetrics.classwiseEce(b), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ClasswiseBins.ofTotals(2, 2, counts, sums, new long[3]));
    }
}
