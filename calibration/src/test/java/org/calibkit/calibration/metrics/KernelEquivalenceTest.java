package org.calibkit.calibration.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.Softmax;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.calibration.stats.PredictionSets;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels (the top term's exp(0) added as 1.0, fused passes, rows in parallel chunks)
 * against the straightforward computation they replaced, written out here independently: one
 * row after another on one thread, the max by a plain loop, every exp called, sums in class
 * order, sets and scores from a boxed stable sort. Compared bit for bit on random logits of
 * several shapes: ties (small integer logits), huge shifts, k = 2, tiny n, and n large enough for
 * several parallel chunks.
 */
class KernelEquivalenceTest {

    /** Logits of n x k: mode 0 normal, 1 small integers (many ties), 2 normal shifted by -1e4, 3 all equal. */
    private static double[] logits(SplittableRandom r, int n, int k, int mode) {
        double[] z = new double[n * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = switch (mode) {
                case 0 -> r.nextGaussian() * 4;
                case 1 -> r.nextInt(4) - 2;
                case 2 -> r.nextGaussian() * 30 - 1e4;
                default -> 0.5;
            };
        }
        return z;
    }

    private static int[] labels(SplittableRandom r, int n, int k) {
        return r.ints(n, 0, k).toArray();
    }

    private static double refMax(double[] z, int off, int k) {
        double m = z[off];
        for (int j = 1; j < k; j++) {
            m = z[off + j] > m ? z[off + j] : m;
        }
        return m;
    }

    private static double refSumExp(double[] z, int off, int k) {
        double m = refMax(z, off, k);
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += Math.exp(z[off + j] - m);
        }
        return s;
    }

    /** The first class holding the row's max (finite logits only, as these tests draw). */
    private static int refArgmax(double[] z, int off, int k) {
        double m = refMax(z, off, k);
        int j = 0;
        while (z[off + j] != m) {
            j++;
        }
        return j;
    }

    private static double[] refSoftmax(double[] z, int n, int k) {
        double[] p = new double[n * k];
        for (int i = 0; i < n; i++) {
            double m = refMax(z, i * k, k);
            double s = 0;
            for (int j = 0; j < k; j++) {
                p[i * k + j] = Math.exp(z[i * k + j] - m);
                s += p[i * k + j];
            }
            double inv = 1.0 / s;
            for (int j = 0; j < k; j++) {
                p[i * k + j] *= inv;
            }
        }
        return p;
    }

    private static void sameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + " but got " + actual);
    }

    private interface Case {
        void check(double[] z, int n, int k, int[] y, String name);
    }

    private static void forCases(Case c) {
        SplittableRandom r = new SplittableRandom(16);
        int[][] shapes = {{1, 2}, {2, 3}, {3, 10}, {7, 2}, {1000, 10}, {5000, 3}, {70_000, 10}, {40_000, 2}};
        for (int[] shape : shapes) {
            for (int mode = 0; mode < 4; mode++) {
                int n = shape[0];
                int k = shape[1];
                c.check(logits(r, n, k, mode), n, k, labels(r, n, k), n + "x" + k + " mode " + mode);
            }
        }
    }

    @Test
    void softmaxConfidenceAndNllEqualThePlainLoops() {
        forCases((z, n, k, y, name) -> {
            Logits logits = Logits.of(z, n, k);
            double[] p = logits.softmax().raw();
            double[] ref = refSoftmax(z, n, k);
            for (int i = 0; i < ref.length; i++) {
                sameBits(ref[i], p[i], name + " softmax " + i);
            }
            TopLabel t = TopLabel.of(logits, y);
            for (int i = 0; i < n; i++) {
                int off = i * k;
                sameBits(1.0 / refSumExp(z, off, k), t.confidence(i), name + " confidence " + i);
                sameBits(1.0 / refSumExp(z, off, k), Softmax.maxProbability(z, off, k), name + " maxProbability " + i);
                assertEquals(refArgmax(z, off, k) == y[i], t.isCorrect(i), name + " correct " + i);
                double m = refMax(z, off, k);
                sameBits((m - z[off + y[i]]) + Math.log(refSumExp(z, off, k)), Softmax.nll(z, off, k, y[i]), name + " nll " + i);
            }
        });
    }

    @Test
    void softmaxOfNonFiniteRowsIsUnchanged() {
        double[][] rows = {{Double.POSITIVE_INFINITY, 1}, {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
            {Double.NaN, 2}, {1, Double.NaN}, {-0.0, 0.0}};
        for (double[] row : rows) {
            double[] ref = refSoftmax(row, 1, row.length);
            double[] p = Softmax.softmax(row);
            for (int j = 0; j < row.length; j++) {
                sameBits(ref[j], p[j], Arrays.toString(row) + " softmax " + j);
            }
            sameBits(1.0 / refSumExp(row, 0, row.length), Softmax.maxProbability(row, 0, row.length), Arrays.toString(row));
        }
    }

    @Test
    void fusedEceFromLogitsEqualsBinsOfPlainConfidences() {
        forCases((z, n, k, y, name) -> {
            double[] conf = new double[n];
            boolean[] ok = new boolean[n];
            for (int i = 0; i < n; i++) {
                conf[i] = 1.0 / refSumExp(z, i * k, k);
                ok[i] = refArgmax(z, i * k, k) == y[i];
            }
            ReliabilityBins ref = ReliabilityBins.of(conf, ok, 15);
            ReliabilityBins fast = CalibrationMetrics.reliabilityBins(Logits.of(z, n, k), y, 15);
            for (int b = 0; b < 15; b++) {
                assertEquals(ref.count(b), fast.count(b), name);
                assertEquals(ref.correctCount(b), fast.correctCount(b), name);
                sameBits(ref.confidenceSum(b), fast.confidenceSum(b), name + " bin " + b);
            }
            sameBits(CalibrationMetrics.ece(ref), CalibrationMetrics.ece(Logits.of(z, n, k), y, 15), name + " ece");
        });
    }

    /** Stable order of classes by decreasing probability (lower index first on ties), by a boxed sort. */
    private static Integer[] refOrder(double[] p, int off, int k) {
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[off + b], p[off + a]));
        return order;
    }

    @Test
    void conformalScoresThresholdsAndSetsEqualTheSerialComputation() {
        forCases((z, n, k, y, name) -> {
            if (n > 20_000) {
                return; // 5000 rows are several chunks already; the boxed reference sort is slow
            }
            Probabilities p = Logits.of(z, n, k).softmax();
            double[] v = p.raw();
            for (ConformalScore score : new ConformalScore[] {ConformalScore.lac(), ConformalScore.aps(false),
                ConformalScore.aps(true), ConformalScore.raps(1, 0.01, true)}) {
                SplittableRandom rng = new SplittableRandom(5);
                double[] ref = new double[n];
                for (int i = 0; i < n; i++) {
                    double u = score.randomized() ? rng.nextDouble() : 1.0;
                    if (score.kind() == ConformalScore.Kind.LAC) {
                        ref[i] = 1 - v[i * k + y[i]];
                        continue;
                    }
                    Integer[] order = refOrder(v, i * k, k);
                    double cum = 0;
                    for (int r = 0; r < k; r++) {
                        double pj = v[i * k + order[r]];
                        if (order[r] == y[i]) {
                            int over = r + 1 - score.kReg();
                            ref[i] = cum + u * pj + (score.kind() == ConformalScore.Kind.RAPS && over > 0 ? score.lambda() * over : 0);
                            break;
                        }
                        cum += pj;
                    }
                }
                double[] s = Conformal.scores(score, p, y, 5);
                for (int i = 0; i < n; i++) {
                    sameBits(ref[i], s[i], name + " " + score + " score " + i);
                }
                double[] sorted = ref.clone();
                Arrays.sort(sorted);
                ConformalPredictor fit = Conformal.fit(score, p, y, 0.1, 5);
                double q = fit.rank() > n ? Double.POSITIVE_INFINITY : sorted[fit.rank() - 1];
                sameBits(q, fit.threshold(), name + " " + score + " threshold");
                // a label is in the set exactly when its score, computed as in calibration, is at most q
                PredictionSets sets = fit.predict(p, 9);
                SplittableRandom rngSets = new SplittableRandom(9);
                for (int i = 0; i < n; i++) {
                    double u = score.randomized() ? rngSets.nextDouble() : 1.0;
                    Integer[] order = refOrder(v, i * k, k);
                    double cum = 0;
                    boolean open = true;
                    for (int r = 0; r < k; r++) {
                        int j = order[r];
                        double pj = v[i * k + j];
                        int over = r + 1 - score.kReg();
                        double sc = score.kind() == ConformalScore.Kind.LAC ? 1 - pj
                                : cum + u * pj + (score.kind() == ConformalScore.Kind.RAPS && over > 0 ? score.lambda() * over : 0);
                        boolean in = score.kind() == ConformalScore.Kind.LAC ? sc <= q : open && sc <= q;
                        open = open && in;
                        cum += pj;
                        assertEquals(in, sets.contains(i, j), name + " " + score + " set " + i + " class " + j);
                    }
                }
            }
        });
    }
}
