/**
 * calibkit calibration: {@link org.calibkit.calibration.Logits} and
 * {@link org.calibkit.calibration.Probabilities}, reliability bins, calibration and OOD metrics,
 * calibrators and charts. Needs only arrays of logits (or probabilities) and labels.
 */
package org.calibkit.calibration;
