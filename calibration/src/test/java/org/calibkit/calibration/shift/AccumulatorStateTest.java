package org.calibkit.calibration.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;

import org.calibkit.calibration.Logits;
import org.junit.jupiter.api.Test;

/** The plain states of the estimators' accumulators: shipped and added, they give what merging the accumulators gives. */
class AccumulatorStateTest {
    private static Logits logits(Random r, int n, int k) {
        double[] v = new double[n * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextGaussian();
        }
        return Logits.of(v, n, k);
    }

    @Test
    void addedStatesEqualMergedAccumulators() {
        Random r = new Random(7);
        int k = 4;
        Logits val = logits(r, 400, k);
        int[] y = val.argmax();
        for (int i = 0; i < y.length; i += 3) {
            y[i] = (y[i] + 1) % k;   // about two thirds correct
        }
        Logits a = logits(r, 150, k);
        Logits b = logits(r, 90, k);
        for (AccuracyEstimator e : List.of(AverageConfidence.raw(), ThresholdedConfidence.of(
                ThresholdedConfidence.Score.NEGATIVE_ENTROPY), DifferenceOfConfidences.raw(), ConfusionEstimator.raw())) {
            AccuracyEstimator.Fitted f = e.fit(val, y);
            // reference: the existing merge of two accumulators of the same fitted estimator
            Estimate merged = f.accumulator().add(a).merge(f.accumulator().add(b)).result();
            double[] sa = f.accumulator().add(a).state();
            double[] sb = f.accumulator().add(b).state();
            double[] sum = new double[sa.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = sa[i] + sb[i];
            }
            AccuracyEstimator.Accumulator back = f.accumulator().addState(sum);
            assertEquals(240, back.count(), e.name());
            assertEquals(merged.accuracy(), back.result().accuracy(), 1e-12, e.name());
            assertThrows(IllegalArgumentException.class, () -> f.accumulator().addState(new double[sa.length + 1]));
            double[] bad = sa.clone();
            bad[0] = 1.5;
            assertThrows(IllegalArgumentException.class, () -> f.accumulator().addState(bad));
        }
    }
}
