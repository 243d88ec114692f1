package org.calibkit.report.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.stats.Selective;
import org.calibkit.report.AuditFixture;
import org.junit.jupiter.api.Test;

/** Properties of the statistics section: conformal coverage on exchangeable data, the thinned curve. */
class AuditStatisticsTest {

    /**
     * The fixture's validation (300 rows) and test (400 rows) logits come from one generator, so they
     * are exchangeable: split conformal's coverage is at least 0.9 in expectation and at most
     * 0.9 + 1/301; one test split of 400 rows has a binomial standard error of 0.015, so it lies
     * above 0.9 - 3 * 0.015 and its Clopper-Pearson interval reaches 0.9.
     */
    @Test
    void conformalCoverageOnTheAuditFixture() {
        AuditResult.Statistics s = AuditFixture.small().statistics();
        assertEquals(List.of("lac", "aps", "raps"), s.conformal().stream().map(AuditResult.ConformalResult::score).toList());
        for (AuditResult.ConformalResult c : s.conformal()) {
            assertEquals(271, c.predictor().rank(), "ceil(301 * 0.9)");
            assertEquals(300, c.predictor().n());
            double cov = c.test().coverage();
            assertTrue(cov > 0.9 - 3 * Math.sqrt(0.09 / 400), c.score() + " coverage " + cov);
            assertTrue(c.test().coverageInterval().upper() >= 0.9, c.score() + " " + c.test().coverageInterval());
            // blank images: a model this overconfident gives them small sets, noise larger ones
            assertEquals(3, c.probes().size());
        }
    }

    /** Over seeded exchangeable draws the mean coverage of every score lies in [1 - a, 1 - a + 1/(n+1)] within 3 standard errors. */
    @Test
    void meanCoverageOverRepetitionsIsTheGuarantee() {
        int n = 200;
        int m = 300;
        int reps = 150;
        double alpha = 0.1;
        SplittableRandom rng = new SplittableRandom(17);
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        for (int r = 0; r < reps; r++) {
            Data cal = data(rng, n);
            Data test = data(rng, m);
            List<AuditResult.ConformalResult> res = AuditStatistics.conformal(cal.p, cal.y, test.p, test.y, Map.of(),
                    alpha, 0.95, r);
            for (int i = 0; i < 3; i++) {
                double c = res.get(i).test().coverage();
                sum[i] += c;
                sumSq[i] += c * c;
            }
        }
        for (int i = 0; i < 3; i++) {
            double mean = sum[i] / reps;
            double se = Math.sqrt((sumSq[i] / reps - mean * mean) / reps);
            assertTrue(mean >= 1 - alpha - 3 * se && mean <= 1 - alpha + 1.0 / (n + 1) + 3 * se,
                    "score " + i + ": mean coverage " + mean + " +- " + se);
        }
    }

    private record Data(Probabilities p, int[] y) {
    }

    /** K = 4 classes, random softmax rows, labels drawn from the rows (a calibrated model, continuous scores). */
    private static Data data(SplittableRandom rng, int n) {
        int k = 4;
        double[] v = new double[n * k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                v[i * k + j] = Math.exp(2 * rng.nextGaussian());
                s += v[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                v[i * k + j] /= s;
            }
            double u = rng.nextDouble();
            double c = 0;
            y[i] = k - 1;
            for (int j = 0; j < k - 1; j++) {
                c += v[i * k + j];
                if (u < c) {
                    y[i] = j;
                    break;
                }
            }
        }
        return new Data(Probabilities.of(v, n, k, true), y);
    }

    @Test
    void thinnedCurveKeepsBothEndsAndAtMostOnePointPerStep() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 5000;
        double[] score = new double[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            score[i] = rng.nextDouble();
            ok[i] = rng.nextDouble() < score[i];
        }
        AuditResult.SelectiveResult r = AuditStatistics.selective("msp", score, ok);
        var full = Selective.riskCoverage(score, ok);
        double[] cov = r.coverage();
        assertEquals(full.coverage(0), cov[0], 0);
        assertEquals(1.0, cov[cov.length - 1], 0);
        assertEquals(full.risk(full.size() - 1), r.risk()[cov.length - 1], 0);
        assertTrue(cov.length <= AuditStatistics.CURVE_POINTS + 2, "points " + cov.length);
        assertTrue(cov.length >= AuditStatistics.CURVE_POINTS / 2, "points " + cov.length);
        for (int i = 1; i < cov.length; i++) {
            assertTrue(cov[i] > cov[i - 1]);
            assertTrue(r.threshold()[i] < r.threshold()[i - 1]);
        }
        assertEquals(Selective.aurc(score, ok), r.aurc(), 0);
        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.put("a", score);
        scores.put("b", null);
        assertEquals(1, AuditStatistics.selective(scores, Map.of("a", ok)).size(), "absent scores are left out");
    }
}
