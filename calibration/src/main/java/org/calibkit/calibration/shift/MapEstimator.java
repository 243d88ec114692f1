package org.calibkit.calibration.shift;

import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * What the accuracy estimators share: the calibration map whose probabilities they read (null for
 * the softmax), their name ({@code label}, then the map's method in brackets when there is one),
 * and a fitted form that carries the same name.
 */
abstract class MapEstimator implements AccuracyEstimator {
    private final String label;
    /** The map whose probabilities the estimator reads, or null for the softmax of the logits. */
    final CalibrationMap map;

    MapEstimator(String label, CalibrationMap map) {
        this.label = label;
        this.map = map;
    }

    @Override
    public final String name() {
        return map == null ? label : label + " (" + map.method() + ")";
    }

    /** A fitted form of this estimator, named as it is. */
    abstract class FittedForm implements Fitted {
        @Override
        public final String name() {
            return MapEstimator.this.name();
        }
    }
}
