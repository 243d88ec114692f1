/**
 * Calibration metrics as pure static functions ({@link org.calibkit.calibration.metrics.CalibrationMetrics}),
 * their summary ({@link org.calibkit.calibration.metrics.MetricSummary}), bootstrap confidence
 * intervals ({@link org.calibkit.calibration.metrics.Bootstrap}) and mergeable classwise bins.
 * Definitions and citations: docs/calibration-metrics.md.
 */
package org.calibkit.calibration.metrics;
