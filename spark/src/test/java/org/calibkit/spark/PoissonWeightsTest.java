package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Poisson(1) weights: a pure function of (seed, id, replicate) with the Poisson(1) law. */
class PoissonWeightsTest {
    @Test
    void weightsHaveThePoissonOneLaw() {
        int n = 200_000;
        long[] counts = new long[8];
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            int w = PoissonWeights.weight(7, i, i % 5);
            counts[Math.min(w, 7)]++;
            sum += w;
            sumSq += (double) w * w;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // Poisson(1): mean 1, variance 1; standard error of the mean 1/sqrt(n) = 0.0022, so 5 SE = 0.011
        assertEquals(1.0, mean, 0.011);
        assertEquals(1.0, var, 0.03);
        // P(0) = P(1) = 1/e = 0.3679, SE sqrt(p(1-p)/n) = 0.0011, 5 SE = 0.0054
        assertEquals(Math.exp(-1), counts[0] / (double) n, 0.0054);
        assertEquals(Math.exp(-1), counts[1] / (double) n, 0.0054);
        assertEquals(Math.exp(-1) / 2, counts[2] / (double) n, 0.0054);
    }

    @Test
    void weightsDependOnlyOnSeedIdAndReplicate() {
        // the same key in any order gives the same weight; another seed or replicate gives other weights
        int[] forward = new int[1000];
        for (int i = 0; i < 1000; i++) {
            forward[i] = PoissonWeights.weight(11, i, 3);
        }
        for (int i = 999; i >= 0; i--) {
            assertEquals(forward[i], PoissonWeights.weight(11, i, 3));
        }
        int differentSeed = 0;
        int differentReplicate = 0;
        for (int i = 0; i < 1000; i++) {
            differentSeed += forward[i] != PoissonWeights.weight(12, i, 3) ? 1 : 0;
            differentReplicate += forward[i] != PoissonWeights.weight(11, i, 4) ? 1 : 0;
        }
        // two independent Poisson(1) draws differ with probability 1 - sum p_k^2 = 0.69
        assertNotEquals(0, differentSeed);
        assertEquals(0.69, differentSeed / 1000.0, 0.08);
        assertEquals(0.69, differentReplicate / 1000.0, 0.08);
    }
}
