package org.calibkit.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

class SelectiveTest {

    @Test
    void torchUncertaintyTestVector() {
        // torch-uncertainty tests/metrics/classification/test_risk_coverage.py: binary probabilities
        // [0.1, 0.2, 0.3, 0.4, 0.2] (of class 1), targets [0, 0, 1, 1, 0] -> AURC
        // (0 * 0.4 + 0.25 * 0.2 / 2 + 0.25 * 0.2 + 0.15 * 0.2 / 2) / 0.8 = 0.1125.
        // As two-column probabilities (1 - p, p): every row predicts class 0, confidences
        // 0.9, 0.8, 0.7, 0.6, 0.8, and the two rows labelled 1 are wrong.
        double[] p1 = {0.1, 0.2, 0.3, 0.4, 0.2};
        double[][] rows = new double[5][];
        for (int i = 0; i < 5; i++) {
            rows[i] = new double[] {1 - p1[i], p1[i]};
        }
        int[] targets = {0, 0, 1, 1, 0};
        assertEquals(0.1125, Selective.aurc(Probabilities.of(rows), targets), 1e-15);
        assertEquals(0.1125, Selective.aurc(new double[] {0.9, 0.8, 0.7, 0.6, 0.8},
                new boolean[] {true, true, false, false, true}), 1e-15);
        // its other cases: all right -> 0, all wrong -> 1
        assertEquals(0.0, Selective.aurc(p1, new boolean[] {true, true, true, true, true}), 0.0);
        assertEquals(1.0, Selective.aurc(p1, new boolean[5]), 1e-15);
    }

    /** selective.csv: 200 distinct scores ~ N(0, 1) and correctness ~ Bernoulli(sigmoid(1.5 s + 1)). */
    private static final double[] S;
    private static final boolean[] C;

    static {
        List<String[]> rows = Csv.read("selective.csv");
        S = new double[rows.size()];
        C = new boolean[rows.size()];
        for (int i = 0; i < S.length; i++) {
            S[i] = Double.parseDouble(rows.get(i)[0]);
            C[i] = rows.get(i)[1].equals("1");
        }
    }

    @Test
    void aurcAndEaurcMatchTorchUncertaintysConventionInNumpy() {
        // reference_values.py: errors sorted by decreasing score, cumulative error rate at k/n, sklearn.metrics.auc
        // over k = 1..n divided by 1 - 1/n; the oracle puts every correct row first
        assertEquals(0.16073331476581654, Selective.aurc(S, C), 1e-14);
        assertEquals(0.070340958385875, Selective.optimalAurc(C), 1e-14);
        assertEquals(0.09039235637994154, Selective.eaurc(S, C), 1e-14);
    }

    @Test
    void operatingPointsMatchNumpy() {
        // reference_values.py: the m = ceil(c n) most confident rows, and the largest m with risk <= r
        OperatingPoint half = Selective.riskAtCoverage(S, C, 0.5);
        assertEquals(0.021671, half.threshold(), 0.0);
        assertEquals(0.14, half.risk(), 1e-15);
        assertEquals(100, half.accepted());
        OperatingPoint most = Selective.riskAtCoverage(S, C, 0.8);
        assertEquals(-0.774979, most.threshold(), 0.0);
        assertEquals(0.28125, most.risk(), 1e-15);
        OperatingPoint fivePercent = Selective.coverageAtRisk(S, C, 0.05);
        assertEquals(0.651118, fivePercent.threshold(), 0.0);
        assertEquals(0.235, fivePercent.coverage(), 1e-15);
        assertEquals(0.0425531914893617, fivePercent.risk(), 1e-15);
        assertEquals(0.765, fivePercent.abstention(), 1e-15);
        OperatingPoint tenPercent = Selective.coverageAtRisk(S, C, 0.1);
        assertEquals(0.31345, tenPercent.threshold(), 0.0);
        assertEquals(0.355, tenPercent.coverage(), 1e-15);
    }

    @Test
    void tiesAverageOverEveryOrderOfTheTiedRows() {
        // reference_values.py enumerates all 3! * 2! * 3! = 72 orders of the tied rows, computes
        // torch-uncertainty's AURC for each, and averages: 0.3969954648526077
        double[] conf = {0.9, 0.9, 0.9, 0.7, 0.7, 0.5, 0.5, 0.5};
        boolean[] ok = {true, false, true, false, true, true, false, false};
        assertEquals(0.3969954648526077, Selective.aurc(conf, ok), 1e-15);
        // and the curve has one point per distinct score
        RiskCoverageCurve c = Selective.riskCoverage(conf, ok);
        assertEquals(3, c.size());
        assertEquals(0.9, c.threshold(0), 0.0);
        assertEquals(3.0 / 8, c.coverage(0), 0.0);
        assertEquals(1.0 / 3, c.risk(0), 1e-15);
        assertEquals(1.0, c.coverage(2), 0.0);
        assertEquals(4.0 / 8, c.risk(2), 0.0);
        // row order does not matter
        double[] conf2 = {0.5, 0.9, 0.7, 0.5, 0.9, 0.7, 0.9, 0.5};
        boolean[] ok2 = {false, true, true, true, false, false, true, false};
        assertEquals(Selective.aurc(conf, ok), Selective.aurc(conf2, ok2), 1e-15);
    }

    @Test
    void anyScoreWorksOnlyItsOrderMatters() {
        // a strictly increasing transform (energy-like scores on another scale, infinite ends) changes nothing
        double[] t = new double[S.length];
        for (int i = 0; i < S.length; i++) {
            t[i] = Math.exp(3 * S[i]) - 40;
        }
        t[0] = Double.POSITIVE_INFINITY;
        double[] s = S.clone();
        s[0] = Double.POSITIVE_INFINITY;
        assertEquals(Selective.aurc(s, C), Selective.aurc(t, C), 1e-15);
        // a perfect score reaches the oracle: E-AURC 0
        double[] perfect = new double[C.length];
        for (int i = 0; i < C.length; i++) {
            perfect[i] = C[i] ? 1 + i : -i;
        }
        assertEquals(0.0, Selective.eaurc(perfect, C), 1e-15);
    }

    @Test
    void unreachableRiskAcceptsNothingAndBadInputIsNamed() {
        OperatingPoint none = Selective.coverageAtRisk(new double[] {0.9, 0.8}, new boolean[] {false, true}, 0.1);
        assertEquals(Double.POSITIVE_INFINITY, none.threshold());
        assertEquals(0.0, none.coverage(), 0.0);
        assertTrue(Double.isNaN(none.risk()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Selective.aurc(new double[] {0.3, Double.NaN}, new boolean[2]));
        assertTrue(e.getMessage().contains("NaN at row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Selective.aurc(new double[] {0.3}, new boolean[1]));
        assertTrue(e.getMessage().contains("at least 2 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Selective.riskAtCoverage(S, C, 0));
        assertTrue(e.getMessage().contains("coverage in (0, 1], but got 0.0"), e.getMessage());
    }
}
