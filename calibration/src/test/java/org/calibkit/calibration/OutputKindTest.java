package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Output-kind detection and conversion. Reference numbers were computed with Python 3's
 * {@code math} module and numpy 1.24, independently of this code:
 * <pre>
 * z = np.array([1., 2., 3.]); z - np.log(np.exp(z).sum())   # -2.40760596444438, -1.4076059644443801, -0.40760596444438013
 * [math.log(v) for v in (0.7, 0.2, 0.1)]                    # -0.35667494393873245, -1.6094379124341003, -2.3025850929940455
 * [math.log(v / (1 - v)) for v in (0.9, 0.5, 0.25)]         # 2.1972245773362196, 0.0, -1.0986122886681098
 * math.log(1e-12) - math.log1p(-1e-12)                      # -27.63102111592755
 * </pre>
 */
class OutputKindTest {
    private static final double[] LOG_SOFTMAX_123 = {-2.40760596444438, -1.4076059644443801, -0.40760596444438013};

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void detectsEachKindFromItsValues() {
        assertEquals(OutputKind.PROBABILITIES, OutputKind.detect(new double[] {0.7, 0.2, 0.1, 0, 1, 0}, 2, 3));
        double[] logp = new double[6];
        System.arraycopy(LOG_SOFTMAX_123, 0, logp, 0, 3);
        System.arraycopy(new double[] {Math.log(0.7), Math.log(0.2), Math.log(0.1)}, 0, logp, 3, 3);
        assertEquals(OutputKind.LOG_PROBABILITIES, OutputKind.detect(logp, 2, 3));
        assertEquals(OutputKind.INDEPENDENT_PROBABILITIES, OutputKind.detect(new double[] {0.9, 0.5, 0.25, 0.7, 0.2, 0.1}, 2, 3));
        assertEquals(OutputKind.LOGITS, OutputKind.detect(new double[] {1, 2, 3, -4, 0.5, 0}, 2, 3));
        // all <= 0 but exponentials not summing to 1: logits, not log-probabilities
        assertEquals(OutputKind.LOGITS, OutputKind.detect(new double[] {-1, -2, -3}, 1, 3));
        // one row off: the kind must hold for every row
        assertEquals(OutputKind.INDEPENDENT_PROBABILITIES, OutputKind.detect(new double[] {0.7, 0.2, 0.1, 0.5, 0.4, 0.3}, 2, 3));
    }

    @Test
    void float32SoftmaxRowsStillCountAsProbabilities() {
        // a float32 softmax of 1000 classes: each row sums to 1 only within float rounding
        SplittableRandom r = new SplittableRandom(5);
        int n = 20;
        int k = 1000;
        double[] p = new double[n * k];
        for (int i = 0; i < n; i++) {
            float[] e = new float[k];
            float s = 0;
            for (int j = 0; j < k; j++) {
                e[j] = (float) Math.exp(r.nextGaussian() * 3);
                s += e[j];
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] = e[j] / s;
            }
        }
        assertEquals(OutputKind.PROBABILITIES, OutputKind.detect(p, n, k));
        // softmax of the recovered logits is p renormalised: p / (sum of its row), summed here in double
        Probabilities back = OutputKind.PROBABILITIES.toLogits(p, n, k).softmax();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += p[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                assertEquals(p[i * k + j] / s, back.get(i, j), 1e-12 * p[i * k + j]);
            }
        }
    }

    @Test
    void conversionsMatchIndependentlyComputedValues() {
        Logits fromP = OutputKind.PROBABILITIES.toLogits(new double[] {0.7, 0.2, 0.1}, 1, 3);
        assertArrayEquals(new double[] {-0.35667494393873245, -1.6094379124341003, -2.3025850929940455}, fromP.row(0), 1e-15);
        Logits fromInd = OutputKind.INDEPENDENT_PROBABILITIES.toLogits(new double[] {0.9, 0.5, 0.25}, 1, 3);
        assertArrayEquals(new double[] {2.1972245773362196, 0.0, -1.0986122886681098}, fromInd.row(0), 1e-15);
        Logits fromLogP = OutputKind.LOG_PROBABILITIES.toLogits(LOG_SOFTMAX_123, 1, 3);
        assertArrayEquals(LOG_SOFTMAX_123, fromLogP.row(0), 0);
        assertArrayEquals(new double[] {1, 2, 3}, OutputKind.LOGITS.toLogits(new double[] {1, 2, 3}, 1, 3).row(0), 0);
        // heads reproduce the outputs
        assertArrayEquals(new double[] {0.7, 0.2, 0.1}, OutputKind.PROBABILITIES.head().apply(fromP).row(0), 1e-15);
        assertArrayEquals(new double[] {0.9, 0.5, 0.25}, OutputKind.INDEPENDENT_PROBABILITIES.head().apply(fromInd).row(0), 1e-15);
        assertEquals(Head.SIGMOID, OutputKind.INDEPENDENT_PROBABILITIES.head());
        assertEquals(Head.SOFTMAX, OutputKind.LOG_PROBABILITIES.head());
    }

    @Test
    void zerosAndOnesAreClippedAtEps() {
        Logits z = OutputKind.PROBABILITIES.toLogits(new double[] {1, 0}, 1, 2);
        assertArrayEquals(new double[] {0, -27.631021115928547}, z.row(0), 1e-12);
        Logits s = OutputKind.INDEPENDENT_PROBABILITIES.toLogits(new double[] {0, 1}, 1, 2);
        assertArrayEquals(new double[] {-27.63102111592755, 27.63102111592755}, s.row(0), 1e-12);
    }

    @Test
    void refusesNonFiniteValuesAndValuesOfAnotherKind() {
        assertEquals("Expected finite outputs, but got NaN at row 1, column 2",
                message(() -> OutputKind.detect(new double[] {0, 1, 0, 0, 0, Double.NaN}, 2, 3)));
        assertEquals("Expected finite outputs, but got -Infinity at row 0, column 1",
                message(() -> OutputKind.PROBABILITIES.toLogits(new double[] {0, Double.NEGATIVE_INFINITY}, 1, 2)));
        assertEquals("Expected each row of probabilities to sum to 1 (within 1.0E-4), but row 1 sums to 0.5"
                        + " (independent probabilities of a one-vs-rest model?)",
                message(() -> OutputKind.PROBABILITIES.toLogits(new double[] {0.5, 0.5, 0.25, 0.25}, 2, 2)));
        assertEquals("Expected probabilities in [0, 1], but got 1.5 at row 0, column 1",
                message(() -> OutputKind.INDEPENDENT_PROBABILITIES.toLogits(new double[] {0.5, 1.5}, 1, 2)));
        String lse = message(() -> OutputKind.LOG_PROBABILITIES.toLogits(new double[] {1, 2, 3}, 1, 3));
        assertTrue(lse.startsWith("Expected log-probabilities whose exponentials sum to 1, but row 0 has log-sum-exp 3.407605964444"), lse);
        assertTrue(lse.endsWith(" (are these logits?)"), lse);
        assertEquals("Expected 2 x 3 = 6 outputs, but got 5", message(() -> OutputKind.detect(new double[5], 2, 3)));
        assertEquals("Expected at least 2 columns (classes), but got 1", message(() -> OutputKind.detect(new double[1], 1, 1)));
    }

    @Test
    void parsesCommandLineNames() {
        assertEquals(OutputKind.LOG_PROBABILITIES, OutputKind.parse("log-probabilities"));
        assertEquals(OutputKind.INDEPENDENT_PROBABILITIES, OutputKind.parse("INDEPENDENT_PROBABILITIES"));
        assertEquals("log_probabilities", OutputKind.LOG_PROBABILITIES.id());
        assertEquals("output kind must be logits, probabilities, log-probabilities or independent-probabilities, but got 'softmax'",
                message(() -> OutputKind.parse("softmax")));
    }
}
