package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link ReliabilityBins#ofTotals}: bins rebuilt from their totals (as a saved report holds them). */
class ReliabilityBinsTotalsTest {

    /**
     * Confidences 0.3 (bin 0 of 3, [0, 1/3]), 0.35 and 0.5 (bin 1, (1/3, 2/3]) and 0.9 (bin 2): by
     * hand, bin 0 holds 1 (sum 0.3, 1 correct), bin 1 holds 2 (sum 0.85, 1 correct), bin 2 holds 1 (0.9, 0 correct).
     * The bins from the predictions and from those totals agree.
     */
    @Test
    void totalsGiveTheBinsThePredictionsGive() {
        ReliabilityBins fromData = ReliabilityBins.of(new double[] {0.3, 0.35, 0.5, 0.9},
                new boolean[] {true, false, true, false}, 3);
        ReliabilityBins fromTotals = ReliabilityBins.ofTotals(new long[] {1, 2, 1}, new double[] {0.3, 0.85, 0.9},
                new long[] {1, 1, 0});
        for (int b = 0; b < 3; b++) {
            assertEquals(fromData.count(b), fromTotals.count(b), "bin " + b);
            assertEquals(fromData.correctCount(b), fromTotals.correctCount(b), "bin " + b);
            assertEquals(fromData.meanConfidence(b), fromTotals.meanConfidence(b), 1e-15, "bin " + b);
            assertEquals(fromData.accuracy(b), fromTotals.accuracy(b), 0.0, "bin " + b);
        }
        assertEquals(0.425, fromTotals.meanConfidence(1), 1e-15);
        assertEquals(0.5, fromTotals.accuracy(1), 0.0);
    }

    @Test
    void inconsistentTotalsAreRefusedNamingTheBin() {
        assertEquals("Expected 0 <= correct <= count in bin 1, but got 3 of 2",
                assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.ofTotals(new long[] {1, 2},
                        new double[] {0.5, 1.0}, new long[] {1, 3})).getMessage());
        assertEquals("Expected a confidence sum in [0, 1] in bin 0, but got 1.5",
                assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.ofTotals(new long[] {1},
                        new double[] {1.5}, new long[] {0})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.ofTotals(new long[] {1, 1},
                new double[] {0.5}, new long[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ReliabilityBins.ofTotals(new long[0], new double[0],
                new long[0]));
    }
}
