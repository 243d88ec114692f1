package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GapSums}: against an exact reference in BigDecimal (hits minus the sum of the values, each
 * value exactly as a double holds it), the fixed point is within its truncation (2^-64 per value)
 * and rounded once; and the integer arithmetic makes order, grouping and weighted merges exact.
 */
class GapSumsTest {
    @Test
    void theSumIsHitsMinusValuesToTheTruncationWhateverTheOrderAndGrouping() {
        Random rnd = new Random(7);
        int n = 200_000;   // enough additions to pass the low part's carry limit (2^62) many times
        double[] p = new double[n];
        boolean[] hit = new boolean[n];
        BigDecimal exact = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextInt(10) == 0 ? 1.0 : rnd.nextDouble();
            hit[i] = rnd.nextInt(3) == 0;
            exact = exact.add(BigDecimal.valueOf(hit[i] ? 1 : 0)).subtract(new BigDecimal(p[i]));
        }
        long[] forward = new long[2];
        for (int i = 0; i < n; i++) {
            GapSums.add(forward, 0, p[i], hit[i]);
        }
        // truncation: each value loses less than 2^-64, so the sum is within n * 2^-64 of the exact one
        double truncation = n * 0x1p-64;
        assertEquals(exact.doubleValue(), GapSums.value(forward, 0), truncation + Math.ulp(exact.doubleValue()));
        // backwards, in seven parts merged in another order: the same bits
        long[][] parts = new long[7][2];
        for (int i = n - 1; i >= 0; i--) {
            GapSums.add(parts[i % 7], 0, p[i], hit[i]);
        }
        long[] merged = new long[2];
        for (int q = 6; q >= 0; q--) {
            GapSums.mergeTimes(merged, 0, parts[q], 0, 1);
        }
        assertEquals(GapSums.value(forward, 0), GapSums.value(merged, 0), 0.0);
        // a weighted merge equals adding every value that many times
        long[] thrice = new long[2];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < n; i++) {
                GapSums.add(thrice, 0, p[i], hit[i]);
            }
        }
        long[] weighted = new long[2];
        GapSums.mergeTimes(weighted, 0, forward, 0, 3);
        long[] normalised = new long[2];
        GapSums.mergeTimes(normalised, 0, thrice, 0, 1);
        assertArrayEquals(normalised, weighted);
        assertEquals(exact.multiply(BigDecimal.valueOf(3)).doubleValue(),
                GapSums.value(weighted, 0), 3 * truncation + Math.ulp(3 * exact.doubleValue()));
    }
}
