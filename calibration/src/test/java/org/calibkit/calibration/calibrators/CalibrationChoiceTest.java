package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.metrics.Predictions;
import org.junit.jupiter.api.Test;

/** The calibration choice (auto / stored / none / fit) and what each map says it produces. */
class CalibrationChoiceTest {
    @Test
    void parseNamesEveryChoiceAndRejectsOthers() {
        assertEquals(List.of("auto", "stored", "none", "temperature", "vector", "matrix", "dirichlet", "histogram",
                "isotonic", "platt"), CalibrationChoice.names());
        assertInstanceOf(CalibrationChoice.Auto.class, CalibrationChoice.parse("auto"));
        assertInstanceOf(CalibrationChoice.Stored.class, CalibrationChoice.parse(" STORED "));
        assertFalse(CalibrationChoice.parse("none").calibrates());
        CalibrationChoice fit = CalibrationChoice.parse("isotonic");
        assertInstanceOf(IsotonicCalibration.class, ((CalibrationChoice.Fit) fit).calibrator());
        assertEquals("isotonic", fit.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationChoice.parse("beta"));
        assertTrue(e.getMessage().startsWith("Unknown calibration 'beta'; known: auto, stored, none, temperature,"),
                e.getMessage());
    }

    @Test
    void fitKeepsTheConfiguredCalibrator() {
        VectorScaling configured = new VectorScaling(0, 1e-2, 1e-6, 2000, true);
        CalibrationChoice.Fit fit = (CalibrationChoice.Fit) CalibrationChoice.fit(configured);
        assertSame(configured, fit.calibrator());
        assertEquals("vector", fit.id());
        assertThrows(NullPointerException.class, () -> CalibrationChoice.fit(null));
    }

    @Test
    void logitMapsSayTheyProduceLogitsAndTheOthersDoNot() {
        Fixture f = Fixture.withTemperature(5, 400, 3, 2.0, 1.0);
        for (CalibrationMethod method : CalibrationMethod.values()) {
            CalibrationMap m = method.create().fit(f.logits, f.labels);
            boolean logits = m instanceof LogitMap;
            assertEquals(logits, m.outputLogits(f.logits).isPresent(), method.id());
            Predictions p = m.predictions(f.logits, f.labels);
            // the predictions' probabilities are apply()'s, whichever the map produces
            assertArrayEquals(m.apply(f.logits).raw(), p.probabilities().raw(), 1e-12, method.id());
            if (logits) {
                // exact NLL from the calibrated logits: -log softmax(zc)_y, by log-sum-exp here
                Logits zc = m.outputLogits(f.logits).get();
                double[] row = zc.row(0);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : row) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : row) {
                    sum += Math.exp(v - max);
                }
                assertEquals(max + Math.log(sum) - row[f.labels[0]], p.rowNll()[0], 1e-9, method.id());
            }
        }
    }
}
