/**
 * Shift sweeps as plain data: rotation, translation and every corruption at every severity
 * ({@link org.calibkit.report.shift.Sweep}), run through a model with the calibration metrics
 * before and after a calibration map ({@link org.calibkit.report.shift.Sweeps},
 * {@link org.calibkit.report.shift.SweepResult}). Rendering comes later, with the audit.
 */
package org.calibkit.report.shift;
