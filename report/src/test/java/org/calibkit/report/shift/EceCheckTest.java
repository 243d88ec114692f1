package org.calibkit.report.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.shift.LabelledLogits;
import org.junit.jupiter.api.Test;

/**
 * The shift section's label-free ECE check on outputs known by hand: every row has logits
 * [ln 57, 0, 0, 0], so the model's confidence is 57 / 60 = 0.95 on class 0 and, under a
 * temperature of 2, the map's probability of class 0 is sqrt(57) / (sqrt(57) + 3) = 0.715647...
 * All rows share one bin, so the estimate is |0.95 - 0.715647| on every set, and the true ECE of
 * a set whose first c of 100 rows are labelled 0 is |0.95 - c / 100|.
 */
class EceCheckTest {
    private static ShiftSet set(double intensity, int correct) {
        double[][] z = new double[100][];
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            z[i] = new double[] {Math.log(57), 0, 0, 0};
            y[i] = i < correct ? 0 : 1;
        }
        return new ShiftSet("spin", "degrees", intensity, new LabelledLogits("spin/" + (long) intensity, Logits.of(z), y));
    }

    @Test
    void theEstimateAndTheTruthAreTheHandValues() {
        List<ShiftSet> sets = List.of(set(0, 95), set(90, 70), set(180, 40));
        TemperatureMap t = TemperatureMap.of(4, 2.0);
        SweepResult sweeps = Sweeps.evaluate(sets, t, SweepOptions.defaults());
        ShiftSection.EceCheck c = Sweeps.eceCheck(sets, t, sweeps);
        double est = 0.95 - Math.sqrt(57) / (Math.sqrt(57) + 3);
        double[] truth = {0.0, 0.25, 0.55};
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(est, c.rows().get(i).estimate(), 1e-12);
            assertEquals(truth[i], c.rows().get(i).truth(), 1e-12);
            sum += Math.abs(est - truth[i]);
        }
        assertEquals(sum / 3, c.mae(), 1e-12);
        assertEquals(Math.abs(est - 0.55), c.worst(), 1e-12); // 0.316 on spin/180, above 0.234 and 0.016
        assertEquals("spin/180", c.worstSet());
        assertTrue(c.sentence().contains("over 3 shifted sets (worst 31.6, on spin/180)"), c.sentence());
    }
}
