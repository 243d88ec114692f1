package org.calibkit.calibration.calibrators;

import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * A fitted calibration map: immutable, turns logits of K classes into calibrated probabilities,
 * and saves itself as versioned JSON that {@link CalibrationMaps#fromJson(String)} reads back.
 */
public interface CalibrationMap {
    /**
     * Calibrated probabilities for {@code logits}.
     *
     * @throws IllegalArgumentException when {@code logits} does not have {@link #numClasses()} classes
     */
    Probabilities apply(Logits logits);

    /** The method name of the calibrator that fitted this map, e.g. {@code "temperature"}. */
    String method();

    /** A short label for titles and tables, e.g. {@code temperature T=1.320}; the method name by default. */
    default String describe() {
        return method();
    }

    /** The number of classes K the map was fitted on. */
    int numClasses();

    /** The fitted parameters and fit diagnostics, for reports (an unmodifiable, ordered map). */
    Map<String, Object> parameters();

    /**
     * The map as JSON: {@code {"format":"calibkit-calibration-map","version":1,"method":...,"numClasses":K,...}}.
     */
    String toJson();
}
