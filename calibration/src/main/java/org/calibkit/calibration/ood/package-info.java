/**
 * Out-of-distribution scores from logits ({@link org.calibkit.calibration.ood.OodScores}; higher =
 * more in-distribution) and detection metrics ({@link org.calibkit.calibration.ood.OodMetrics};
 * in-distribution is the positive class).
 */
package org.calibkit.calibration.ood;
