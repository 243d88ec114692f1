package org.calibkit.calibration.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.junit.jupiter.api.Test;

/** The OOD scores declared once: keys, order, and values on logits worked out by hand. */
class OodScoreTest {
    // one row z = (0, ln 3): softmax (1/4, 3/4), logsumexp = ln 4, negative entropy 1/4 ln 1/4 + 3/4 ln 3/4
    private static final Logits Z = Logits.of(new double[][] {{0, Math.log(3)}});

    @Test
    void everyScoreByKeyWithHandComputedValues() {
        assertEquals(List.of("msp", "max_logit", "energy", "entropy"), OodScore.keys());
        Map<String, double[]> all = OodScore.computeAll(OodScore.ALL, Z, Z.softmax());
        assertEquals(OodScore.keys(), List.copyOf(all.keySet()));
        assertArrayEquals(new double[] {0.75}, all.get("msp"), 1e-15);
        assertArrayEquals(new double[] {Math.log(3)}, all.get("max_logit"), 1e-15);
        assertArrayEquals(new double[] {Math.log(4)}, all.get("energy"), 1e-15);
        assertArrayEquals(new double[] {0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)}, all.get("entropy"), 1e-15);
        assertEquals("max logit", OodScore.MAX_LOGIT.label());
        assertEquals("msp calibrated", OodScore.label(OodScore.MSP_CALIBRATED));
    }

    @Test
    void withoutLogitsOnlyTheProbabilityScore() {
        Map<String, double[]> some = OodScore.computeAll(OodScore.ALL, null, Z.softmax());
        assertEquals(List.of("msp"), List.copyOf(some.keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OodScore.ENERGY.compute(null, Z.softmax()));
        assertEquals("the energy score needs logits, but got none", e.getMessage());
    }
}
