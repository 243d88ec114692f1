package org.calibkit.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

class ConformalTest {
    private static final int K = 4;

    /** Rows of conformal_calibration.csv / conformal_test.csv: K probabilities, then the label. */
    private record Data(Probabilities p, int[] labels) {
        static Data load(String name) {
            List<String[]> rows = Csv.read(name);
            double[] flat = new double[rows.size() * K];
            int[] y = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                double[] v = Csv.doubles(rows.get(i), 0);
                System.arraycopy(v, 0, flat, i * K, K);
                y[i] = (int) v[K];
            }
            return new Data(Probabilities.of(flat, rows.size(), K, true), y);
        }
    }

    private static final Data CAL = Data.load("conformal_calibration.csv");
    private static final Data TEST = Data.load("conformal_test.csv");

    /** Set masks as reference_values.py prints them: class 0 is the highest of K bits. */
    private static void assertSets(int[] masks, PredictionSets sets) {
        for (int i = 0; i < masks.length; i++) {
            for (int j = 0; j < K; j++) {
                boolean expected = ((masks[i] >> (K - 1 - j)) & 1) == 1;
                assertEquals(expected, sets.contains(i, j), "row " + i + ", class " + j);
            }
        }
    }

    // reference_values.py, section 3: 60 calibration and 25 test rows of K = 4 softmax probabilities
    // (default_rng(77)); scores of every label written from the definitions with numpy (classes ranked by
    // numpy.lexsort((index, -p)), u = 1), q = the k-th smallest score with k = ceil((n+1)(1-alpha)) (numpy's
    // 'inverted_cdf' quantile at k/n; its 'higher' method, used in several tutorials, would take the
    // (k+1)-th: printed alongside), set = {y : score(y) <= q}.

    @Test
    void lacMatchesNumpy() {
        ConformalPredictor m = Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 0.1, 0);
        assertEquals(0.9353584542596285, m.threshold(), 0.0);
        assertEquals(55, m.rank());   // ceil(61 * 0.9)
        assertSets(new int[] {14, 2, 15, 5, 12, 4, 15, 13, 11, 4, 15, 15, 14, 6, 15, 7, 7, 11, 12, 15, 11, 15, 7, 3, 12},
                m.predict(TEST.p()));
        ConformalPredictor m2 = Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 0.2, 0);
        assertEquals(0.81442517275516, m2.threshold(), 0.0);
        PredictionSets s2 = m2.predict(TEST.p());
        assertArrayEquals(new int[] {2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 1, 2, 2, 2, 1, 1, 2, 2, 2, 3, 3, 2, 2, 2}, s2.sizes());
        assertEquals(21, ConformalEvaluation.of(s2, TEST.labels(), 0.95).covered());
    }

    @Test
    void apsMatchesNumpy() {
        ConformalPredictor m = Conformal.fit(ConformalScore.aps(false), CAL.p(), CAL.labels(), 0.2, 0);
        assertEquals(0.9569106147806691, m.threshold(), 0.0);
        PredictionSets s = m.predict(TEST.p());
        // row 1 gets an empty set: even its top class's score (its probability) is above q
        assertSets(new int[] {14, 0, 11, 5, 12, 5, 13, 5, 11, 6, 13, 11, 12, 6, 11, 5, 7, 11, 12, 7, 3, 13, 3, 2, 12}, s);
        ConformalPredictor m1 = Conformal.fit(ConformalScore.aps(false), CAL.p(), CAL.labels(), 0.1, 0);
        assertEquals(0.9999999999999999, m1.threshold(), 0.0);
        assertSets(new int[] {15, 11, 15, 13, 15, 7, 15, 13, 15, 15, 13, 11, 14, 7, 11, 15, 15, 11, 15, 15, 11, 13, 7, 15, 13},
                m1.predict(TEST.p()));
    }

    @Test
    void rapsMatchesNumpy() {
        ConformalScore raps = ConformalScore.raps(1, 0.05, false);
        ConformalPredictor m = Conformal.fit(raps, CAL.p(), CAL.labels(), 0.2, 0);
        assertEquals(0.9908761208987249, m.threshold(), 0.0);
        assertSets(new int[] {6, 2, 11, 5, 12, 5, 12, 5, 10, 4, 5, 3, 12, 4, 3, 5, 3, 3, 12, 7, 3, 9, 3, 2, 4},
                m.predict(TEST.p()));
        assertEquals(1.15, Conformal.fit(raps, CAL.p(), CAL.labels(), 0.1, 0).threshold(), 0.0);
    }

    /**
     * The overloads taking each row's u (for rows whose u is keyed by something other than their
     * position, as a prediction log's ids) give what the seeded ones give when handed the same
     * draws, made here from SplittableRandom(seed) in row order as the class comment says; and
     * u that are not one per row in [0, 1) are refused.
     */
    @Test
    void givenUniformsGiveTheSeededResultsForTheSameDraws() {
        for (ConformalScore score : List.of(ConformalScore.aps(true), ConformalScore.raps(1, 0.05, true))) {
            double[] uCal = draws(5, CAL.labels().length);
            double[] uTest = draws(6, TEST.labels().length);
            double[] given = Conformal.scores(score, CAL.p(), CAL.labels(), uCal);
            assertArrayEquals(Conformal.scores(score, CAL.p(), CAL.labels(), 5), given, 0.0);
            ConformalPredictor seeded = Conformal.fit(score, CAL.p(), CAL.labels(), 0.2, 5);
            assertEquals(seeded, Conformal.fitScores(score, given, 0.2, K));
            PredictionSets a = seeded.predict(TEST.p(), 6);
            PredictionSets b = seeded.predict(TEST.p(), uTest);
            for (int i = 0; i < TEST.labels().length; i++) {
                assertArrayEquals(a.classes(i), b.classes(i), "row " + i);
            }
            assertThrows(IllegalArgumentException.class, () -> seeded.predict(TEST.p(), new double[3]));
            double[] one = uTest.clone();
            one[2] = 1.0;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> seeded.predict(TEST.p(), one));
            assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        }
        ConformalPredictor lac = Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 0.2, 0);
        assertThrows(IllegalArgumentException.class, () -> lac.predict(TEST.p(), draws(1, TEST.labels().length)));
        assertEquals(lac, Conformal.fitScores(ConformalScore.lac(), Conformal.scores(ConformalScore.lac(), CAL.p(),
                CAL.labels(), (double[]) null), 0.2, K));
    }

    /**
     * The beta-binomial tail against scipy.stats.betabinom.cdf (scipy 1.10.1, computed once:
     * {@code betabinom.cdf(x, m, a, b)}), on small and million-row cases and both sides of the
     * mean; and the p-value of a test coverage is that tail with the predictor's rank.
     */
    @Test
    void coveragePValueIsTheBetaBinomialTail() {
        double[][] cases = {{123, 150, 136, 15, 0.021352785077235426}, {131, 150, 136, 15, 0.2304584101933461},
            {898823, 1000000, 18001, 2000, 0.2891471553095624}, {0, 10, 1, 1, 0.0909090909090909},
            {5, 10, 2, 3, 0.7202797202797204}, {9, 10, 9, 2, 0.7631578947368423}, {10, 10, 9, 2, 1.0}};
        for (double[] c : cases) {
            // log-gamma of a million is 1.3e7, its rounding 1e-16 of that: about 1e-9 relative in the tail, in both codes
            double tol = c[1] >= 1e6 ? 1e-8 : 1e-12;
            assertEquals(c[4], Conformal.betaBinomialCdf((long) c[0], (long) c[1], c[2], c[3]), tol * c[4],
                    java.util.Arrays.toString(c));
        }
        // a test coverage well above the mean: the upper tail, no underflow
        assertEquals(1.0, Conformal.betaBinomialCdf(999_990, 1_000_000, 18001, 2000), 1e-12);
        ConformalPredictor lac = Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 0.2, 0);
        ConformalEvaluation ev = ConformalEvaluation.of(lac.predict(TEST.p()), TEST.labels(), 0.95);
        assertEquals(Conformal.betaBinomialCdf(ev.covered(), ev.n(), lac.rank(), lac.n() + 1 - lac.rank()),
                Conformal.coveragePValue(lac, ev), 0.0);
    }

    private static double[] draws(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextDouble();
        }
        return u;
    }

    @Test
    void rapsWithoutPenaltyIsAps() {
        for (boolean randomized : new boolean[] {false, true}) {
            for (int kReg : new int[] {0, 2}) {
                ConformalScore raps = ConformalScore.raps(kReg, 0.0, randomized);
                ConformalScore aps = ConformalScore.aps(randomized);
                assertArrayEquals(Conformal.scores(aps, CAL.p(), CAL.labels(), 9),
                        Conformal.scores(raps, CAL.p(), CAL.labels(), 9), 0.0);
                ConformalPredictor a = Conformal.fit(aps, CAL.p(), CAL.labels(), 0.15, 3);
                ConformalPredictor r = Conformal.fit(raps, CAL.p(), CAL.labels(), 0.15, 3);
                assertEquals(a.threshold(), r.threshold(), 0.0);
                PredictionSets sa = a.predict(TEST.p(), 4);
                PredictionSets sr = r.predict(TEST.p(), 4);
                for (int i = 0; i < TEST.labels().length; i++) {
                    assertArrayEquals(sa.classes(i), sr.classes(i), "row " + i);
                }
            }
        }
    }

    @Test
    void meanCoverageOverSeededRepetitionsIsWithinTheGuarantee() {
        // Exchangeable synthetic data (K = 5 softmax of N(0, 1.5^2) logits, labels drawn from those
        // probabilities), n = 100 calibration and 400 test rows, alpha = 0.1, 300 seeded repetitions.
        // With continuous scores the expected coverage is exactly ceil(101 * 0.9) / 101 = 91/101, inside
        // [1 - alpha, 1 - alpha + 1/(n+1)] = [0.9, 0.90990]; the mean over repetitions must be inside that
        // interval widened by 3 Monte-Carlo standard errors (the spread of single runs, sd ~ 0.03, is
        // why one run may fall below 0.9).
        int n = 100;
        int nTest = 400;
        int reps = 300;
        int k = 5;
        double alpha = 0.1;
        ConformalScore[] scores = {ConformalScore.lac(), ConformalScore.aps(true), ConformalScore.raps(2, 0.1, true)};
        double[] sum = new double[scores.length];
        double[] sumSq = new double[scores.length];
        for (int r = 0; r < reps; r++) {
            SplittableRandom rng = new SplittableRandom(50_000 + r);
            int[] yc = new int[n];
            Probabilities pc = synthetic(rng, n, k, yc);
            int[] yt = new int[nTest];
            Probabilities pt = synthetic(rng, nTest, k, yt);
            for (int s = 0; s < scores.length; s++) {
                ConformalPredictor m = Conformal.fit(scores[s], pc, yc, alpha, rng.nextLong());
                double cov = ConformalEvaluation.of(m.predict(pt, rng.nextLong()), yt, 0.95).coverage();
                sum[s] += cov;
                sumSq[s] += cov * cov;
            }
        }
        for (int s = 0; s < scores.length; s++) {
            double mean = sum[s] / reps;
            double se = Math.sqrt((sumSq[s] / reps - mean * mean) / (reps - 1));
            double lo = 1 - alpha - 3 * se;
            double hi = 1 - alpha + 1.0 / (n + 1) + 3 * se;
            ConformalScore score = scores[s];
            assertTrue(mean >= lo && mean <= hi, score + ": mean coverage " + mean + " +- " + se
                    + " outside [" + lo + ", " + hi + "]");
            assertEquals(91.0 / 101, mean, 4 * se, score::toString);
        }
    }

    /** n rows of softmax(N(0, 1.5^2) logits) with labels drawn from them (a calibrated model). */
    static Probabilities synthetic(SplittableRandom rng, int n, int k, int[] labels) {
        double[] v = new double[n * k];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                double u = 1.0 - rng.nextDouble();
                double z = 1.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
                v[i * k + j] = Math.exp(z);
                s += v[i * k + j];
            }
            double u = rng.nextDouble() * s;
            labels[i] = k - 1;
            double c = 0;
            for (int j = 0; j < k; j++) {
                c += v[i * k + j];
                if (u < c) {
                    labels[i] = j;
                    break;
                }
            }
            for (int j = 0; j < k; j++) {
                v[i * k + j] /= s;
            }
        }
        return Probabilities.of(v, n, k, true);
    }

    @Test
    void evaluationCountsCoveragePerClassAndPerSize() {
        ConformalPredictor m = Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 0.2, 0);
        PredictionSets s = m.predict(TEST.p());
        ConformalEvaluation e = ConformalEvaluation.of(s, TEST.labels(), 0.95);
        assertEquals(25, e.n());
        assertEquals(21.0 / 25, e.coverage(), 1e-15);
        assertEquals(Proportions.clopperPearson(21, 25, 0.95), e.coverageInterval());
        // sizes {2,1,1,1,1,1,2,2,1,1,2,1,2,2,2,1,1,2,2,2,3,3,2,2,2}: 10 ones, 13 twos, 2 threes
        assertArrayEquals(new long[] {0, 10, 13, 2, 0}, e.sizeHistogram());
        assertEquals((10 + 26 + 6) / 25.0, e.meanSize(), 1e-15);
        long rows = 0;
        double covered = 0;
        for (int j = 0; j < K; j++) {
            rows += e.classCount()[j];
            covered += Double.isNaN(e.classCoverage()[j]) ? 0 : e.classCoverage()[j] * e.classCount()[j];
        }
        assertEquals(25, rows);
        assertEquals(21, covered, 1e-9);
        assertTrue(Double.isNaN(e.sizeCoverage()[0]) && Double.isNaN(e.sizeCoverage()[4]));
        double bySize = 0;
        for (int z = 1; z <= 3; z++) {
            bySize += e.sizeCoverage()[z] * e.sizeHistogram()[z];
        }
        assertEquals(21, bySize, 1e-9);
    }

    @Test
    void tooFewCalibrationRowsGiveFullSetsAndBadInputIsNamed() {
        // n = 60, alpha = 0.01: ceil(61 * 0.99) = 61 > 60, so q = +infinity and every set is every class
        ConformalPredictor m = Conformal.fit(ConformalScore.aps(true), CAL.p(), CAL.labels(), 0.01, 1);
        assertEquals(Double.POSITIVE_INFINITY, m.threshold());
        assertArrayEquals(new long[] {0, 0, 0, 0, 25}, m.predict(TEST.p(), 2).sizeHistogram());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conformal.fit(ConformalScore.lac(), CAL.p(), CAL.labels(), 1.0, 0));
        assertTrue(e.getMessage().contains("alpha in (0, 1), but got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConformalScore.raps(-1, 0.1, true));
        assertTrue(e.getMessage().contains("kReg >= 0, but got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConformalScore(ConformalScore.Kind.APS, 3, 0, false));
        assertTrue(e.getMessage().contains("RAPS only"), e.getMessage());
        Probabilities three = Probabilities.of(new double[][] {{0.2, 0.3, 0.5}});
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(three));
        assertTrue(e.getMessage().contains("4 classes (as calibrated), but got 3"), e.getMessage());
        PredictionSets sets = m.predict(TEST.p());
        e = assertThrows(IllegalArgumentException.class, () -> ConformalEvaluation.of(sets, new int[] {1}, 0.9));
        assertTrue(e.getMessage().contains("25 entries"), e.getMessage());
    }

    /**
     * The threshold by selection equals the rank-th value of a sorted copy (how it was computed
     * before issue 16, written out here), for every rank, with many ties and an input left as it was.
     */
    @Test
    void quantileBySelectionIsTheRankThValueOfTheSortedScores() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int n : new int[] {1, 2, 5, 17, 100, 1001}) {
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = i % 3 == 0 ? 0.25 : rnd.nextInt(7) / 8.0 + (i % 5 == 0 ? 0 : rnd.nextDouble() * 1e-3);
            }
            double[] before = s.clone();
            double[] sorted = s.clone();
            java.util.Arrays.sort(sorted);
            for (int rank = 1; rank <= n; rank++) {
                assertEquals(sorted[rank - 1], Conformal.quantile(s, rank), 0.0, "n " + n + ", rank " + rank);
            }
            assertEquals(Double.POSITIVE_INFINITY, Conformal.quantile(s, n + 1));
            assertArrayEquals(before, s, 0.0);
        }
    }
}
