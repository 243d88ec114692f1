/**
 * Charts of calibration and OOD results, computed first and rendered later (STYLE #5): each chart
 * is a plain, immutable data object ({@link org.calibkit.calibration.charts.ReliabilityDiagram},
 * {@link org.calibkit.calibration.charts.ConfidenceHistogram},
 * {@link org.calibkit.calibration.charts.ClasswiseReliability},
 * {@link org.calibkit.calibration.charts.OodHistogram}) holding the numbers it shows;
 * {@link org.calibkit.calibration.charts.ChartRenderer} turns one into PNG bytes or SVG text with
 * XChart, headless, and {@link org.calibkit.calibration.charts.Charts} writes files atomically.
 */
package org.calibkit.calibration.charts;
