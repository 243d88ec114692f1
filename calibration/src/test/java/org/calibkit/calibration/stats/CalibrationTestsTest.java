package org.calibkit.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

class CalibrationTestsTest {

    // Data set 1 of src/test/resources/org/calibkit/calibration/stats/reference_values.py:
    // 40 distinct p ~ U(0.05, 0.99) rounded to 4 decimals, outcomes Bernoulli(p^1.4) (default_rng(20240610)).
    static final double[] P1 = {0.6025, 0.7683, 0.8692, 0.9184, 0.8652, 0.8525, 0.2078, 0.9767, 0.5420, 0.9117,
        0.2832, 0.7285, 0.5327, 0.8758, 0.3986, 0.8778, 0.3111, 0.6241, 0.3726, 0.3181, 0.8423, 0.6294, 0.0910,
        0.0774, 0.4377, 0.6804, 0.8709, 0.5726, 0.9667, 0.2155, 0.2761, 0.1652, 0.8000, 0.1121, 0.8817, 0.4912,
        0.4676, 0.9730, 0.6310, 0.6724};
    static final boolean[] Y1 = bools(1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1,
        0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0);
    // Data set 2: 30 p in tenths (many ties), outcomes Bernoulli(p).
    static final double[] P2 = {0.6, 0.6, 0.7, 0.2, 0.4, 0.2, 0.6, 0.2, 0.2, 0.3, 0.4, 0.3, 0.7, 0.5, 0.6, 0.7, 0.9,
        0.1, 0.3, 0.8, 0.2, 0.4, 0.6, 0.4, 0.5, 0.2, 0.1, 0.1, 0.9, 0.2};
    static final boolean[] Y2 = bools(1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0,
        0, 1, 0);

    static boolean[] bools(int... v) {
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] == 1;
        }
        return b;
    }

    @Test
    void spiegelhalterMatchesScipyNorm() {
        // reference_values.py: z = sum((y-p)(1-2p)) / sqrt(sum((1-2p)^2 p(1-p))) (MAPIE's formula),
        // two-sided 2 norm.sf(|z|), one-sided norm.sf(z)
        SpiegelhalterTest two = CalibrationTests.spiegelhalter(P1, Y1);
        assertEquals(0.4220530674376736, two.z(), 1e-13);
        assertEquals(0.6729862834026095, two.pValue(), 1e-13);
        SpiegelhalterTest one = CalibrationTests.spiegelhalter(P1, Y1, SpiegelhalterTest.Alternative.GREATER);
        assertEquals(0.33649314170130473, one.pValue(), 1e-13);
        assertEquals(40, one.n());
    }

    @Test
    void spiegelhalterReproducesMapiesDocstring() {
        // MAPIE mapie/metrics/calibration.py docstrings: statistic -0.757 and one-sided p 0.8486
        assertEquals(-0.757, CalibrationTests.spiegelhalter(new double[] {0.1, 0.9, 0.21, 0.9, 0.5},
                bools(0, 1, 0, 1, 0)).z(), 5e-4);
        assertEquals(0.8486, CalibrationTests.spiegelhalter(new double[] {0.8, 0.3, 0.5, 0.5, 0.7, 0.1},
                bools(1, 0, 1, 0, 1, 0), SpiegelhalterTest.Alternative.GREATER).pValue(), 5e-5);
    }

    @Test
    void hosmerLemeshowMatchesScipyChi2() {
        // reference_values.py: stable sort, numpy.array_split into G parts, a run of equal p goes to the
        // part of its first position; sum (O-E)^2 / (E (1 - E/n_g)); scipy.stats.chi2.sf(H, df)
        HosmerLemeshowTest h5 = CalibrationTests.hosmerLemeshow(P1, Y1, 5, HosmerLemeshowTest.Df.HELD_OUT);
        assertEquals(5.53690595944781, h5.chiSquare(), 1e-11);
        assertEquals(5, h5.df());
        assertEquals(0.35391597814155656, h5.pValue(), 1e-12);
        HosmerLemeshowTest f5 = CalibrationTests.hosmerLemeshow(P1, Y1, 5, HosmerLemeshowTest.Df.FITTED);
        assertEquals(3, f5.df());
        assertEquals(0.13644782043730913, f5.pValue(), 1e-12);
        HosmerLemeshowTest h10 = CalibrationTests.hosmerLemeshow(P1, Y1, 10, HosmerLemeshowTest.Df.HELD_OUT);
        assertEquals(11.71373643427433, h10.chiSquare(), 1e-11);
        assertEquals(0.30467183101958467, h10.pValue(), 1e-12);
        assertEquals(0.1644405118797642,
                CalibrationTests.hosmerLemeshow(P1, Y1, 10, HosmerLemeshowTest.Df.FITTED).pValue(), 1e-12);
        // ties: 4 groups over p in tenths
        HosmerLemeshowTest t = CalibrationTests.hosmerLemeshow(P2, Y2, 4, HosmerLemeshowTest.Df.HELD_OUT);
        assertEquals(1.174540032985831, t.chiSquare(), 1e-12);
        assertEquals(4, t.groups());
        assertEquals(0.8822723827221579, t.pValue(), 1e-12);
    }

    @Test
    void hosmerLemeshowKeepsTiesTogetherSoFewerGroupsMayForm() {
        // 10 equal values and 2 others: whatever G, the run of ties is one group
        double[] p = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.6, 0.8};
        boolean[] y = bools(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1);
        HosmerLemeshowTest t = CalibrationTests.hosmerLemeshow(p, y, 4, HosmerLemeshowTest.Df.HELD_OUT);
        assertEquals(2, t.groups());
        assertEquals(2, t.df());
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationTests.hosmerLemeshow(p, y, 4, HosmerLemeshowTest.Df.FITTED));
    }

    @Test
    void cumulativeTestsMatchTheDefinitionsWithAndWithoutTies() {
        // reference_values.py: C after each distinct p (numpy.unique + bincount + cumsum), C_0 = 0 kept,
        // statistic max|C| or max C - min C over sqrt(sum p(1-p)); p = 1 - Tygert's cdf series (as MAPIE)
        CumulativeCalibrationTest ks = CalibrationTests.kolmogorovSmirnov(P1, Y1);
        assertEquals(2.4183948057271323, ks.statistic(), 1e-12);
        assertEquals(0.031178304600307127, ks.pValue(), 1e-12);
        CumulativeCalibrationTest ku = CalibrationTests.kuiper(P1, Y1);
        assertEquals(2.634290223873812, ku.statistic(), 1e-12);
        assertEquals(0.03372425438699955, ku.pValue(), 1e-12);
        assertEquals(0.9676172723968437, CalibrationTests.kolmogorovSmirnov(P2, Y2).statistic(), 1e-12);
        assertEquals(0.6590780862851202, CalibrationTests.kolmogorovSmirnov(P2, Y2).pValue(), 1e-12);
        assertEquals(1.1358985371615122, CalibrationTests.kuiper(P2, Y2).statistic(), 1e-12);
        assertEquals(0.846979422032797, CalibrationTests.kuiper(P2, Y2).pValue(), 1e-12);
    }

    @Test
    void cumulativeStatisticDoesNotDependOnRowOrder() {
        double[] p = P2.clone();
        boolean[] y = Y2.clone();
        // reverse the rows
        for (int i = 0, j = p.length - 1; i < j; i++, j--) {
            double t = p[i];
            p[i] = p[j];
            p[j] = t;
            boolean b = y[i];
            y[i] = y[j];
            y[j] = b;
        }
        assertEquals(CalibrationTests.kuiper(P2, Y2).statistic(), CalibrationTests.kuiper(p, y).statistic(), 1e-15);
        double[][] curve = CalibrationTests.cumulativeCurve(P2, Y2);
        assertEquals(9, curve.length);            // 0.1 .. 0.9
        assertEquals(0.1, curve[0][0], 0.0);
        assertEquals(-0.3 / 30, curve[0][1], 1e-15);  // three rows at 0.1, none positive
    }

    @Test
    void mapieDocstringExamples() {
        // MAPIE: kolmogorov_smirnov_statistic([0,1,0,1,0], [0.1,0.9,0.21,0.9,0.5]) -> 0.978 (its tie at 0.9 is
        // two positives, so order does not matter); kolmogorov_smirnov_cdf(1) -> 0.3708, kuiper_cdf(1) -> 0.0634.
        // Its kuiper_statistic on the same data is 0.857 because it leaves out C_0 = 0; with it the range is 0.978.
        double[] p = {0.1, 0.9, 0.21, 0.9, 0.5};
        boolean[] y = bools(0, 1, 0, 1, 0);
        assertEquals(0.978, CalibrationTests.kolmogorovSmirnov(p, y).statistic(), 5e-4);
        assertEquals(0.978, CalibrationTests.kuiper(p, y).statistic(), 5e-4);
        assertEquals(1 - 0.3708, CalibrationTests.brownianMaxAbsUpperTail(1), 5e-5);
        assertEquals(1 - 0.0634, CalibrationTests.brownianRangeUpperTail(1), 5e-5);
        // MAPIE's kolmogorov_smirnov_p_value([1,0,1,0,1,0], [0.8,0.3,0.5,0.5,0.7,0.1]) -> 0.7857 comes from its
        // jitter putting the wrong row at p = 0.5 first (statistic 0.832); the other order gives 0.3698 and
        // p = 0.99985. Tied rows as one step give the latter whatever the order (reference_values.py's
        // cumulative(): 0.3698001308168194, p 0.9998462020450201).
        CumulativeCalibrationTest tie = CalibrationTests.kolmogorovSmirnov(new double[] {0.8, 0.3, 0.5, 0.5, 0.7, 0.1},
                bools(1, 0, 1, 0, 1, 0));
        assertEquals(0.3698001308168194, tie.statistic(), 1e-12);
        assertEquals(0.9998462020450201, tie.pValue(), 1e-12);
    }

    @Test
    void brownianTailsMatchHighPrecisionSeries() {
        // x, P(max|B| > x), P(range > x): 1 - Tygert's series summed with mpmath at 60 digits
        // (reference_values.py); the far tail checks the reflection series' relative accuracy
        double[][] ref = {
            {0.3, 0.99999858193801117, 1.0},
            {0.8, 0.81475809273337788, 0.99403633480789433},
            {1.0, 0.62922257020047609, 0.93663541207954943},
            {1.2, 0.45964225047255346, 0.79319004609210174},
            {1.5, 0.26721521438306098, 0.51294075423024825},
            {2.0, 0.091000523846366249, 0.18149433939418731},
            {3.0, 0.0053995921265203777, 0.010799168467638438},
            {5.0, 1.1466062875167756e-6, 2.2932125750335512e-6},
            {8.0, 2.4883842297087136e-15, 4.9767684594174273e-15},
        };
        for (double[] r : ref) {
            assertEquals(r[1], CalibrationTests.brownianMaxAbsUpperTail(r[0]), 1e-13 * r[1], () -> "KS at " + r[0]);
            assertEquals(r[2], CalibrationTests.brownianRangeUpperTail(r[0]), 1e-13 * r[2], () -> "Kuiper at " + r[0]);
        }
        assertEquals(1.0, CalibrationTests.brownianMaxAbsUpperTail(0), 0.0);
        assertEquals(0.0, CalibrationTests.brownianRangeUpperTail(Double.POSITIVE_INFINITY), 0.0);
    }

    @Test
    void perfectlyCalibratedModelGivesUniformPValues() {
        // 200 seeded data sets of 1,000 predictions with p ~ U(0, 1) and y ~ Bernoulli(p): under the null
        // every p-value is (asymptotically) uniform; Commons Math's KS test against U(0, 1) must not reject
        // at 0.1%. An overconfident model (true probability 0.5 + 0.6 (p - 0.5)) must get small p-values.
        // A model whose true probability is p^2 is caught by KS but mostly not by Spiegelhalter: its
        // expected numerator, sum -p(1-p)(1-2p), cancels over p ~ U(0, 1) (the Brier score is as expected).
        int reps = 200;
        int n = 1000;
        double[][] pv = new double[4][reps];
        double[][] bad = new double[4][reps];
        int spiegelhalterSeesSquare = 0;
        int ksSeesSquare = 0;
        for (int r = 0; r < reps; r++) {
            SplittableRandom rng = new SplittableRandom(1000 + r);
            double[] p = new double[n];
            boolean[] y = new boolean[n];
            boolean[] yBad = new boolean[n];
            boolean[] ySquare = new boolean[n];
            for (int i = 0; i < n; i++) {
                p[i] = rng.nextDouble();
                double u = rng.nextDouble();
                y[i] = u < p[i];
                yBad[i] = u < 0.5 + 0.6 * (p[i] - 0.5);
                ySquare[i] = u < p[i] * p[i];
            }
            spiegelhalterSeesSquare += CalibrationTests.spiegelhalter(p, ySquare).pValue() < 0.05 ? 1 : 0;
            ksSeesSquare += CalibrationTests.kolmogorovSmirnov(p, ySquare).pValue() < 0.05 ? 1 : 0;
            pv[0][r] = CalibrationTests.spiegelhalter(p, y).pValue();
            pv[1][r] = CalibrationTests.hosmerLemeshow(p, y, 10, HosmerLemeshowTest.Df.HELD_OUT).pValue();
            pv[2][r] = CalibrationTests.kolmogorovSmirnov(p, y).pValue();
            pv[3][r] = CalibrationTests.kuiper(p, y).pValue();
            bad[0][r] = CalibrationTests.spiegelhalter(p, yBad).pValue();
            bad[1][r] = CalibrationTests.hosmerLemeshow(p, yBad, 10, HosmerLemeshowTest.Df.HELD_OUT).pValue();
            bad[2][r] = CalibrationTests.kolmogorovSmirnov(p, yBad).pValue();
            bad[3][r] = CalibrationTests.kuiper(p, yBad).pValue();
        }
        String[] names = {"Spiegelhalter", "Hosmer-Lemeshow", "KS", "Kuiper"};
        KolmogorovSmirnovTest ksTest = new KolmogorovSmirnovTest();
        UniformRealDistribution uniform = new UniformRealDistribution(0, 1);
        for (int t = 0; t < 4; t++) {
            double uniformity = ksTest.kolmogorovSmirnovTest(uniform, pv[t]);
            int tt = t;
            assertTrue(uniformity > 0.001, () -> names[tt] + " p-values are not uniform: KS p = " + uniformity);
            int rejected = 0;
            for (double v : bad[t]) {
                if (v < 0.05) {
                    rejected++;
                }
            }
            int rr = rejected;
            assertTrue(rejected > reps * 0.9, () -> names[tt] + " rejected only " + rr + " of " + reps + " miscalibrated sets");
        }
        assertTrue(ksSeesSquare > reps * 0.9, "KS caught p^2 in " + ksSeesSquare);
        assertTrue(spiegelhalterSeesSquare < reps * 0.2, "Spiegelhalter caught p^2 in " + spiegelhalterSeesSquare);
    }

    @Test
    void sentencesReadTheResult() {
        CumulativeCalibrationTest ks = CalibrationTests.kolmogorovSmirnov(P1, Y1);   // p = 0.031
        assertEquals("the test set gives evidence of miscalibration at 5% (Kolmogorov-Smirnov = 2.42, p = 0.031)",
                ks.sentence(0.05));
        assertEquals("the test set gives no evidence of miscalibration at 1% (Kolmogorov-Smirnov = 2.42, p = 0.031)",
                ks.sentence(0.01));
        assertTrue(CalibrationTests.spiegelhalter(P1, Y1).sentence(0.05)
                .startsWith("the test set gives no evidence of miscalibration at 5% (Spiegelhalter Z = 0.422"));
        assertTrue(CalibrationTests.hosmerLemeshow(P1, Y1, 10, HosmerLemeshowTest.Df.HELD_OUT).sentence(0.001)
                .contains("at 0.1% (Hosmer-Lemeshow chi2(10) = 11.7, p = 0.30)"));
    }

    @Test
    void probabilitiesOverloadsTestTheTopLabelAndEachClass() {
        // rows (p, 1 - p) with label 0: the top label is class 0 when p >= 0.5, its confidence max(p, 1-p)
        double[][] rows = new double[P1.length][];
        int[] labels = new int[P1.length];
        double[] conf = new double[P1.length];
        boolean[] ok = new boolean[P1.length];
        for (int i = 0; i < P1.length; i++) {
            rows[i] = new double[] {P1[i], 1 - P1[i]};
            labels[i] = Y1[i] ? 0 : 1;
            conf[i] = Math.max(P1[i], 1 - P1[i]);
            ok[i] = (P1[i] >= 0.5) == Y1[i];
        }
        Probabilities p = Probabilities.of(rows);
        assertEquals(CalibrationTests.spiegelhalter(conf, ok).z(), CalibrationTests.spiegelhalter(p, labels).z(), 1e-12);
        assertEquals(CalibrationTests.kuiper(conf, ok).statistic(), CalibrationTests.kuiper(p, labels).statistic(), 1e-12);
        SpiegelhalterTest[] perClass = CalibrationTests.spiegelhalterPerClass(p, labels);
        // class 0 tests p against y: exactly the reference
        assertEquals(0.4220530674376736, perClass[0].z(), 1e-12);
        // class 1 tests 1 - p against 1 - y: (y-p)(1-2p) is symmetric, so the same z up to rounding
        assertEquals(0.4220530674376736, perClass[1].z(), 1e-9);
    }

    @Test
    void degenerateAndBadInput() {
        // all p in {0, 1} and right: no variance, no deviation
        SpiegelhalterTest s = CalibrationTests.spiegelhalter(new double[] {0, 1, 1}, bools(0, 1, 1));
        assertEquals(0.0, s.z(), 0.0);
        assertEquals(1.0, s.pValue(), 0.0);
        CumulativeCalibrationTest k = CalibrationTests.kolmogorovSmirnov(new double[] {0, 1}, bools(1, 1));
        assertEquals(Double.POSITIVE_INFINITY, k.statistic());
        assertEquals(0.0, k.pValue(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationTests.kuiper(new double[] {0.2, 1.2}, bools(0, 1)));
        assertTrue(e.getMessage().contains("p in [0, 1], but got 1.2 at row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationTests.spiegelhalter(new double[] {0.2}, bools(0, 1)));
        assertTrue(e.getMessage().contains("same length, but got 1 and 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> P1tests().sentence(5));
        assertTrue(e.getMessage().contains("alpha in (0, 1), but got 5"), e.getMessage());
    }

    private static CalibrationTest P1tests() {
        return CalibrationTests.spiegelhalter(P1, Y1);
    }
}
