package org.calibkit.calibration.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.calibkit.calibration.TestDraws;
import org.junit.jupiter.api.Test;

class OodMetricsTest {
    // Values from src/test/resources/org/calibkit/calibration/ood/reference_values.py
    // (/usr/bin/python3, Debian scikit-learn 1.2.1): roc_auc_score, average_precision_score on
    // (y, s) and on (1 - y, -s), and min(fpr[tpr >= 0.95]) of roc_curve(drop_intermediate=False).
    // In-distribution is the positive class; the arrays share tied scores across classes.
    static final double[] IN = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.4, 0.3, 0.95, 0.8, 0.2, 0.65, 0.6, 0.85, 0.75,
        0.9, 0.55, 0.7, 0.8};
    static final double[] OUT = {0.8, 0.6, 0.5, 0.5, 0.3, 0.2, 0.1, 0.6, 0.4, 0.9, 0.05, 0.35};

    @Test
    void matchesScikitLearnWithTies() {
        assertEquals(0.75625, OodMetrics.auroc(IN, OUT), 1e-12);
        assertEquals(0.7920210975142326, OodMetrics.auprIn(IN, OUT), 1e-12);
        assertEquals(0.6697139728053706, OodMetrics.auprOut(IN, OUT), 1e-12);
        assertEquals(0.75, OodMetrics.fprAt95Tpr(IN, OUT), 1e-12);
        assertEquals(0.16666666666666666, OodMetrics.fprAtTpr(IN, OUT, 0.5), 1e-12);
        OodMetrics.Result r = OodMetrics.evaluate(IN, OUT);
        assertEquals(new OodMetrics.Result(0.75625, 0.7920210975142326, 0.6697139728053706, 0.75).toMap().keySet(),
                r.toMap().keySet());
        assertEquals(0.75625, r.auroc(), 1e-12);
        assertEquals(0.6697139728053706, r.auprOut(), 1e-12);
    }

    @Test
    void separatedScoresAndIdenticalScores() {
        double[] in = {3, 4, 5};
        double[] out = {0, 1, 2};
        assertEquals(1.0, OodMetrics.auroc(in, out), 0.0);
        assertEquals(0.0, OodMetrics.auroc(out, in), 0.0);
        assertEquals(1.0, OodMetrics.auprIn(in, out), 0.0);
        assertEquals(1.0, OodMetrics.auprOut(in, out), 0.0);
        assertEquals(0.0, OodMetrics.fprAt95Tpr(in, out), 0.0);
        double[] same = {1, 1, 1, 1};
        assertEquals(0.5, OodMetrics.auroc(same, same), 0.0);
        assertEquals(0.5, OodMetrics.auprIn(same, same), 0.0); // one threshold: precision 1/2, recall 1
        assertEquals(1.0, OodMetrics.fprAt95Tpr(same, same), 0.0);
    }

    @Test
    void aurocEqualsBruteForcePairCounting() {
        Random rnd = new Random(17);
        double[] in = TestDraws.values(301, i -> Math.round(rnd.nextGaussian() * 4 + 2) / 2.0); // coarse grid: many ties
        double[] out = TestDraws.values(157, i -> Math.round(rnd.nextGaussian() * 4) / 2.0);
        double u = 0;
        for (double a : in) {
            for (double b : out) {
                u += a > b ? 1 : (a == b ? 0.5 : 0);
            }
        }
        assertEquals(u / (in.length * (double) out.length), OodMetrics.auroc(in, out), 1e-12);
        // swapping roles: AUROC(out, in) = 1 - AUROC(in, out); AUPR-Out(in, out) = AUPR-In(-out, -in)
        assertEquals(1 - OodMetrics.auroc(in, out), OodMetrics.auroc(out, in), 1e-12);
        double[] negIn = new double[in.length];
        double[] negOut = new double[out.length];
        for (int i = 0; i < in.length; i++) {
            negIn[i] = -in[i];
        }
        for (int i = 0; i < out.length; i++) {
            negOut[i] = -out[i];
        }
        assertEquals(OodMetrics.auprIn(negOut, negIn), OodMetrics.auprOut(in, out), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        assertEquals("Expected outScores to be numbers, but got NaN at row 1",
                assertThrows(IllegalArgumentException.class,
                        () -> OodMetrics.auroc(new double[] {1}, new double[] {0, Double.NaN})).getMessage());
        assertEquals("Expected inScores to have at least one score, but got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> OodMetrics.auroc(new double[0], new double[] {0})).getMessage());
    }
}
