package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.junit.jupiter.api.Test;

/** Properties every metric must have, on random data with fixed seeds. */
class CalibrationMetricsPropertyTest {

    static Logits randomLogits(Random rnd, int n, int k, double scale) {
        double[] z = new double[n * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = rnd.nextGaussian() * scale;
        }
        return Logits.of(z, n, k);
    }

    static int[] noisyLabels(Random rnd, Logits z, double follow) {
        int[] am = z.argmax();
        int[] y = new int[z.n()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble() < follow ? am[i] : rnd.nextInt(z.k());
        }
        return y;
    }

    /** Random logits and noisy labels drawn from one seeded stream (logits first). */
    record Sample(Logits z, int[] y) {
        static Sample draw(long seed, int n, int k, double scale, double follow) {
            Random rnd = new Random(seed);
            Logits z = randomLogits(rnd, n, k, scale);
            return new Sample(z, noisyLabels(rnd, z, follow));
        }

        Probabilities p() {
            return z.softmax();
        }
    }

    private static double[] all(MetricSummary s) {
        return new double[] {s.accuracy(), s.nll(), s.brier(), s.ece(), s.mce(), s.eceEqualMass(), s.classwiseEce(),
            s.ace(), s.debiasedEce(), s.smoothEce()};
    }

    @Test
    void invariantUnderRelabellingOfClasses() {
        // continuous random logits: no ties between classes, so the arg-max does not depend on column order
        Sample s = Sample.draw(7, 500, 5, 2.0, 0.7);
        Logits z = s.z();
        int[] y = s.y();
        int[] perm = {3, 0, 4, 1, 2}; // new column c holds old column perm[c]
        int[] inv = new int[5];
        for (int c = 0; c < 5; c++) {
            inv[perm[c]] = c;
        }
        double[] zp = new double[z.raw().length];
        for (int i = 0; i < z.n(); i++) {
            for (int c = 0; c < 5; c++) {
                zp[i * 5 + c] = z.get(i, perm[c]);
            }
        }
        int[] yp = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            yp[i] = inv[y[i]];
        }
        Logits zPerm = Logits.of(zp, z.n(), 5);
        double[] a = all(CalibrationMetrics.summary(z, y, 10));
        double[] b = all(CalibrationMetrics.summary(zPerm, yp, 10));
        assertArrayEquals(a, b, 1e-12);
        assertEquals(CalibrationMetrics.eceL2(z.softmax(), y, 10), CalibrationMetrics.eceL2(zPerm.softmax(), yp, 10), 1e-12);
    }

    @Test
    void exactZerosAndOnesNeverGiveNaN() {
        Probabilities p = Probabilities.of(new double[][] {
            {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0.5, 0.5, 0}, {0, 0, 1}});
        int[] y = {0, 2, 2, 1, 1, 0}; // confident and wrong on rows 1, 3 and 5
        MetricSummary s = CalibrationMetrics.summary(p, y, 15);
        for (double v : all(s)) {
            assertTrue(Double.isFinite(v), () -> "not finite: " + s);
        }
        // p_y = 0 is clipped at NLL_EPSILON: rows 1, 3, 5 each cost -log(1e-15); row 4 costs log 2
        assertEquals((3 * -Math.log(CalibrationMetrics.NLL_EPSILON) + Math.log(2)) / 6, s.nll(), 1e-12);
        assertTrue(s.brier() <= 2.0 && s.brier() >= 0);
    }

    @Test
    void saturatedLogitsNeverGiveNaNOrInfinity() {
        Logits z = Logits.of(new double[][] {{1e4, 0, -1e4}, {-1e4, 1e4, 0}, {0, 0, 1e4}, {1e4, 1e4, -1e4}});
        int[] y = {0, 2, 2, 1};
        MetricSummary s = CalibrationMetrics.summary(z, y, 15);
        for (double v : all(s)) {
            assertTrue(Double.isFinite(v), () -> "not finite: " + s);
        }
        // exact log-softmax NLL: row 1 costs 1e4 (z_max - z_y), row 3 costs log 2, others 0
        assertEquals((1e4 + Math.log(2)) / 4, s.nll(), 1e-9);
        assertEquals(CalibrationMetrics.ece(z.softmax(), y, 15), CalibrationMetrics.ece(z, y, 15), 1e-12);
    }

    @Test
    void chunkedAccumulationEqualsOneShotExactly() {
        Sample s = Sample.draw(11, 3000, 4, 3.0, 0.8);
        Probabilities p = s.p();
        int[] y = s.y();
        TopLabel t = TopLabel.of(p, y);
        double[] conf = t.confidences();
        boolean[] ok = t.correct();
        ReliabilityBins oneShot = ReliabilityBins.of(conf, ok, 15);
        // three uneven chunks, accumulated separately and merged in a different order
        int[] cuts = {0, 7, 1999, 3000};
        ReliabilityBins.Accumulator[] parts = new ReliabilityBins.Accumulator[3];
        ClasswiseBins.Accumulator[] cparts = new ClasswiseBins.Accumulator[3];
        for (int c = 0; c < 3; c++) {
            parts[c] = new ReliabilityBins.Accumulator(15);
            cparts[c] = new ClasswiseBins.Accumulator(4, 15);
            int[] idx = new int[cuts[c + 1] - cuts[c]];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = cuts[c] + i;
                parts[c].add(conf[cuts[c] + i], ok[cuts[c] + i]);
            }
            int[] yc = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                yc[i] = y[idx[i]];
            }
            cparts[c].add(p.select(idx), yc);
        }
        ReliabilityBins merged = parts[2].merge(parts[0]).merge(parts[1]).toBins();
        for (int b = 0; b < 15; b++) {
            assertEquals(oneShot.count(b), merged.count(b));
            assertEquals(oneShot.correctCount(b), merged.correctCount(b));
            assertEquals(oneShot.confidenceSum(b), merged.confidenceSum(b), 0.0);
        }
        assertEquals(CalibrationMetrics.ece(oneShot), CalibrationMetrics.ece(merged), 0.0);
        assertEquals(CalibrationMetrics.ece(p, y, 15), CalibrationMetrics.ece(merged), 0.0);
        ClasswiseBins cw = cparts[1].merge(cparts[2]).merge(cparts[0]).toBins();
        ClasswiseBins cwOne = ClasswiseBins.of(p, y, 15);
        for (int j = 0; j < 4; j++) {
            for (int b = 0; b < 15; b++) {
                assertEquals(cwOne.count(j, b), cw.count(j, b));
                assertEquals(cwOne.positives(j, b), cw.positives(j, b));
                assertEquals(cwOne.probabilitySum(j, b), cw.probabilitySum(j, b), 0.0);
            }
        }
        assertEquals(CalibrationMetrics.classwiseEce(p, y, 15), CalibrationMetrics.classwiseEce(cw), 0.0);
    }

    @Test
    void logitPathUsesParallelChunksAndStillMatchesTheProbabilityPath() {
        Sample s = Sample.draw(5, 100_000, 3, 2.0, 0.6); // > one parallel chunk of 32,768 rows
        Logits z = s.z();
        int[] y = s.y();
        ReliabilityBins fromLogits = CalibrationMetrics.reliabilityBins(z, y, 15);
        ReliabilityBins fromProbs = CalibrationMetrics.reliabilityBins(z.softmax(), y, 15);
        for (int b = 0; b < 15; b++) {
            assertEquals(fromProbs.count(b), fromLogits.count(b));
            assertEquals(fromProbs.correctCount(b), fromLogits.correctCount(b));
            assertEquals(fromProbs.confidenceSum(b), fromLogits.confidenceSum(b), 1e-9);
        }
        // parallel chunks merged == one sequential pass, bit for bit
        TopLabel t = TopLabel.of(z, y);
        ReliabilityBins sequential = ReliabilityBins.of(t.confidences(), t.correct(), 15);
        assertEquals(CalibrationMetrics.ece(sequential), CalibrationMetrics.ece(z, y, 15), 0.0);
        assertEquals(CalibrationMetrics.mce(sequential), CalibrationMetrics.mce(z, y, 15), 0.0);
    }

    @Test
    void streamingLogitChunksGivesTheOneShotEceExactly() {
        Sample s = Sample.draw(23, 70_000, 5, 2.0, 0.6);
        Logits z = s.z();
        int[] y = s.y();
        ReliabilityBins.Accumulator acc = new ReliabilityBins.Accumulator(15);
        ClasswiseBins.Accumulator cw = new ClasswiseBins.Accumulator(5, 15);
        for (int from = 0; from < z.n(); from += 9_999) {
            int to = Math.min(z.n(), from + 9_999);
            int[] idx = java.util.stream.IntStream.range(from, to).toArray();
            int[] yc = java.util.Arrays.copyOfRange(y, from, to);
            Logits chunk = z.select(idx);
            TopLabel.of(chunk, yc).addTo(acc);
            cw.add(chunk, yc);
        }
        assertEquals(CalibrationMetrics.ece(z, y, 15), CalibrationMetrics.ece(acc.toBins()), 0.0);
        assertEquals(CalibrationMetrics.mce(z, y, 15), CalibrationMetrics.mce(acc.toBins()), 0.0);
        assertEquals(CalibrationMetrics.classwiseEce(z.softmax(), y, 15), CalibrationMetrics.classwiseEce(cw.toBins()), 0.0);
    }

    @Test
    void perfectlyCalibratedDataHasSmallErrorsAndTheDebiasedEstimateIsBelowThePlugIn() {
        // labels drawn from the predicted distribution: calibrated by construction
        Random rnd = new Random(3);
        Probabilities p = randomLogits(rnd, 20_000, 3, 1.5).softmax();
        int[] y = new int[p.n()];
        for (int i = 0; i < y.length; i++) {
            double u = rnd.nextDouble();
            int j = 0;
            double c = p.get(i, 0);
            while (u > c && j < 2) {
                c += p.get(i, ++j);
            }
            y[i] = j;
        }
        MetricSummary s = CalibrationMetrics.summary(p, y, 15);
        assertTrue(s.ece() < 0.02, s::toString);
        assertTrue(s.eceEqualMass() < 0.02, s::toString);
        assertTrue(s.classwiseEce() < 0.02, s::toString);
        assertTrue(s.smoothEce() < 0.02, s::toString);
        assertTrue(s.debiasedEce() < CalibrationMetrics.eceL2(p, y, 15) + 1e-12);
        // overconfident copy: sharpen the same probabilities; every calibration error grows
        Logits sharp = Logits.fromProbabilities(p, 1e-12).divide(0.4);
        MetricSummary o = CalibrationMetrics.summary(sharp, y, 15);
        assertTrue(o.ece() > 5 * s.ece(), o::toString);
        assertTrue(o.smoothEce() > 5 * s.smoothEce(), o::toString);
        assertTrue(o.debiasedEce() > 0.05, o::toString);
    }

    @Test
    void rmsErrorIsAtLeastTheEceAndMceBoundsBoth() {
        Sample s = Sample.draw(9, 2000, 6, 3.0, 0.5);
        Probabilities p = s.p();
        int[] y = s.y();
        double ece = CalibrationMetrics.ece(p, y, 10);
        double l2 = CalibrationMetrics.eceL2(p, y, 10);
        double mce = CalibrationMetrics.mce(p, y, 10);
        assertTrue(ece <= l2 + 1e-15 && l2 <= mce + 1e-15, ece + " " + l2 + " " + mce);
    }

    @Test
    void smoothEceIsItsOwnBandwidth() {
        Sample s = Sample.draw(13, 3000, 4, 3.0, 0.4);
        TopLabel t = TopLabel.of(s.z(), s.y());
        double sigma = CalibrationMetrics.smoothEceBandwidth(t);
        assertEquals(sigma, CalibrationMetrics.smoothEce(t), 1e-5);
        assertEquals(CalibrationMetrics.smoothEce(t, sigma), CalibrationMetrics.smoothEce(t), 1e-12);
        // smECE decreases in the bandwidth
        assertTrue(CalibrationMetrics.smoothEce(t, 0.05) >= CalibrationMetrics.smoothEce(t, 0.2));
    }

    @Test
    void badArgumentsAreNamed() {
        Probabilities p = Probabilities.of(new double[][] {{0.5, 0.5}, {0.2, 0.8}});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.ece(p, new int[] {0, 2}, 10));
        assertEquals("Expected labels in [0, 2), but got 2 at row 1", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.ece(p, new int[] {0, 1}, 0));
        assertEquals("Expected bins to be an integer larger than 0, but got 0", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.nll(p, new int[] {0}));
        assertEquals("Expected labels to have 2 entries (one per row), but got 1", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.ece(new ReliabilityBins.Accumulator(5).toBins()));
        assertEquals("Expected bins holding at least one prediction, but they are empty", e.getMessage());
    }
}
