/**
 * What every rendering of a report shares: JSON conventions ({@link org.calibkit.report.render.Json}:
 * non-finite numbers as null, metric keys from the calibration module's one metric list), how
 * numbers read ({@link org.calibkit.report.render.Format}) and field names
 * ({@link org.calibkit.report.render.Fields}).
 */
package org.calibkit.report.render;
