/**
 * Calibrators: trainers that hold only hyper-parameters ({@link org.calibkit.calibration.calibrators.Calibrator})
 * and the immutable maps they fit ({@link org.calibkit.calibration.calibrators.CalibrationMap}), which turn
 * {@link org.calibkit.calibration.Logits} into calibrated {@link org.calibkit.calibration.Probabilities}
 * and persist as versioned JSON ({@link org.calibkit.calibration.calibrators.CalibrationMaps#fromJson(String)}).
 * The methods are registered once in {@link org.calibkit.calibration.calibrators.CalibrationMethod}; how an audit
 * calibrates is a {@link org.calibkit.calibration.calibrators.CalibrationChoice}.
 */
package org.calibkit.calibration.calibrators;
