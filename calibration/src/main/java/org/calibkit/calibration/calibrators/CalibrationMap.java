package org.calibkit.calibration.calibrators;

import java.util.Map;
import java.util.Optional;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.Predictions;

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

    /**
     * What this map produces, when it is logits: the calibrated logits of {@code logits}, whose softmax
     * is {@link #apply} (temperature, vector, matrix and Dirichlet scaling, see {@link LogitMap}).
     * Empty for maps that produce probabilities only (histogram, isotonic, Platt). Calibrated logits
     * feed what needs logits (exact NLL, the max-logit and energy OOD scores).
     */
    default Optional<Logits> outputLogits(Logits logits) {
        return Optional.empty();
    }

    /**
     * The calibrated predictions of {@code logits} with their true labels: from the calibrated logits
     * (exact log-softmax NLL) when the map produces logits, else from {@link #apply}'s probabilities.
     */
    default Predictions predictions(Logits logits, int[] labels) {
        Optional<Logits> z = outputLogits(logits);
        return z.isPresent() ? Predictions.of(z.get(), labels) : Predictions.of(apply(logits), labels);
    }

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
