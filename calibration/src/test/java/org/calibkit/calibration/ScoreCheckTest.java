package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Scores that are no logits. Every expected number below is worked out by hand in the comment
 * beside it (row sums, their median, the share of rows within 0.3 of 1).
 */
class ScoreCheckTest {
    @Test
    void rowsSummingToAboutOneWithNegativeValuesAreRegressionScores() {
        // row sums 1.2-0.1-0.1 = 1.0, 0.9+0.2-0.05 = 1.05, -0.2+0.3+0.8 = 0.9: median 1.0, all three within 0.3 of 1
        double[] v = {1.2, -0.1, -0.1, 0.9, 0.2, -0.05, -0.2, 0.3, 0.8};
        ScoreCheck.Finding f = ScoreCheck.check(v, 3, 3).orElseThrow();
        assertEquals(ScoreCheck.Pattern.ROWS_SUM_TO_ONE, f.pattern());
        assertEquals(-0.2, f.min());
        assertEquals(1.2, f.max());
        assertEquals(1.0, f.medianRowSum(), 1e-12);
        assertEquals(1.0, f.shareNearOne());
        assertTrue(f.describe().contains("values in [-0.200, 1.20] whose rows sum to about 1 (median 1.000, 100% of rows "
                + "within 0.3 of 1)"), f.describe());
        assertEquals(OutputKind.LOGITS, OutputKind.detect(v, 3, 3), "detection reads them as logits, which is why the check exists");
    }

    @Test
    void ninetyPercentOfTheRowsMustSumToAboutOne() {
        // nine rows (1.25, -0.25), sum 1, and one row (3, 3), sum 6: median 1, share 9/10 = 0.9, the bound itself
        double[] v = new double[20];
        for (int i = 0; i < 9; i++) {
            v[2 * i] = 1.25;
            v[2 * i + 1] = -0.25;
        }
        v[18] = 3;
        v[19] = 3;
        ScoreCheck.Finding f = ScoreCheck.check(v, 10, 2).orElseThrow();
        assertEquals(ScoreCheck.Pattern.ROWS_SUM_TO_ONE, f.pattern());
        assertEquals(0.9, f.shareNearOne(), 1e-12);
        // eight such rows and two of sum 6: the median is still 1 but the share 0.8, and 3 is beyond 1.5: logits
        v[16] = 3;
        v[17] = 3;
        assertEquals(Optional.empty(), ScoreCheck.check(v, 10, 2));
    }

    @Test
    void theMedianRowSumMustBeWithinATenthOfOne() {
        // rows (1.5, -0.3) sum 1.2 and (1.4, -0.2) sum 1.2: both within 0.3 of 1, but the median 1.2 is 0.2 away;
        // every value in [-0.5, 1.5]: the second finding, bounded near [0, 1]
        ScoreCheck.Finding f = ScoreCheck.check(new double[] {1.5, -0.3, 1.4, -0.2}, 2, 2).orElseThrow();
        assertEquals(ScoreCheck.Pattern.BOUNDED_NEAR_UNIT, f.pattern());
        assertEquals(1.2, f.medianRowSum(), 1e-12);
        // the same shifted by +2 in every value: row sums 5.2, beyond both bounds
        assertEquals(Optional.empty(), ScoreCheck.check(new double[] {3.5, 1.7, 3.4, 1.8}, 2, 2));
    }

    @Test
    void valuesBoundedNearUnitWithoutSummingToOneAreScores() {
        // row sums 0.9+0.8-0.1 = 1.6, 0.1+0.7+0.6 = 1.4, 1.1+0.9+0.2 = 2.2: median 1.6, so not the first finding;
        // min -0.1 and max 1.1 inside [-0.5, 1.5]
        double[] v = {0.9, 0.8, -0.1, 0.1, 0.7, 0.6, 1.1, 0.9, 0.2};
        ScoreCheck.Finding f = ScoreCheck.check(v, 3, 3).orElseThrow();
        assertEquals(ScoreCheck.Pattern.BOUNDED_NEAR_UNIT, f.pattern());
        assertEquals(1.6, f.medianRowSum(), 1e-12);
        assertEquals(-0.1, f.min());
        assertEquals(1.1, f.max());
        assertTrue(f.describe().contains("near [0, 1] without summing to 1 (median row sum 1.600)"), f.describe());
        // one value at 1.6, beyond 1.5: no longer bounded
        v[6] = 1.6;
        assertEquals(Optional.empty(), ScoreCheck.check(v, 3, 3));
    }

    @Test
    void logitsOfATrainedClassifierAreNotFlagged() {
        // rows (2, -1, 0.5) sum 1.5 and (-3, 4, 1) sum 2: median 1.75, and 4 is beyond 1.5
        assertEquals(Optional.empty(), ScoreCheck.check(Logits.of(new double[][] {{2, -1, 0.5}, {-3, 4, 1}})));
        // property: random logits of spread 3 over 10 classes, whatever their mean, never show either pattern
        SplittableRandom r = new SplittableRandom(18);
        for (int trial = 0; trial < 50; trial++) {
            double shift = r.nextDouble(-5, 5);
            double[] z = new double[200 * 10];
            for (int i = 0; i < z.length; i++) {
                z[i] = shift + 3 * r.nextGaussian();
            }
            assertEquals(Optional.empty(), ScoreCheck.check(z, 200, 10), "shift " + shift);
        }
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> ScoreCheck.check(new double[] {0, 1, Double.NaN, 0}, 2, 2)).getMessage();
        assertTrue(m.contains("NaN at row 1, column 0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ScoreCheck.check(new double[] {0, 1, 2}, 2, 2)).getMessage();
        assertTrue(m.contains("n 2, k 2 and 3 values"), m);
    }
}
