package org.calibkit.spark.audit;

import java.io.Serializable;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.LinearMap;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.PredictionLogException;

/**
 * The calibration map the Spark audit applies to each test row, as plain settings that travel to
 * the executors (calibration's maps are not serializable): a temperature, or the W and b of a
 * vector or matrix scaling map, or nothing. Applied as the single-machine audit applies the map
 * ({@link CalibrationMap#predictions}), by the same map rebuilt on the executor from these
 * settings, so both give the same doubles.
 */
final class RowMap implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int k;
    private final double temperature;
    private final String method;
    private final double[][] weights;
    private final double[] bias;
    /** The map rebuilt from the settings, once per JVM that applies it (not shipped). */
    private transient CalibrationMap built;

    private RowMap(int k, double temperature, String method, double[][] weights, double[] bias) {
        this.k = k;
        this.temperature = temperature;
        this.method = method;
        this.weights = weights;
        this.bias = bias;
    }

    /** Nothing calibrated. */
    static RowMap none(int k) {
        return new RowMap(k, Double.NaN, null, null, null);
    }

    /** The map's settings, or none for null. */
    static RowMap of(CalibrationMap m, int k) {
        if (m == null) {
            return none(k);
        }
        if (m instanceof TemperatureMap t) {
            return new RowMap(k, t.temperature(), null, null, null);
        }
        if (m instanceof LinearMap l && l.input() == LinearMap.Input.LOGITS) {
            return new RowMap(k, Double.NaN, l.method(), l.weights(), l.bias());
        }
        throw new PredictionLogException("the calibration " + m.describe() + " cannot be applied on Spark: "
                + "only temperature, vector and matrix scaling can");
    }

    /** Whether a map is applied. */
    boolean calibrates() {
        return weights != null || !Double.isNaN(temperature);
    }

    /** The calibrated predictions of these rows: the map rebuilt from its settings, applied as on one machine. */
    Predictions predictions(Logits z, int[] y) {
        return map().predictions(z, y);
    }

    /**
     * Only the calibrated probabilities of these rows: those of {@link #predictions} (the softmax
     * of the map's output logits), without the per-row NLL.
     */
    org.calibkit.calibration.Probabilities probabilities(Logits z) {
        CalibrationMap m = map();
        return m.outputLogits(z).map(Logits::softmax).orElseGet(() -> m.apply(z));
    }

    private CalibrationMap map() {
        CalibrationMap m = built;
        if (m == null) { // a benign race: every thread builds the same immutable map
            m = weights == null ? TemperatureMap.of(k, temperature)
                    : LinearMap.of(method, LinearMap.Input.LOGITS, weights, bias, 0, 0, Double.NaN, Double.NaN, 0, true, 0);
            built = m;
        }
        return m;
    }
}
