/**
 * Renderings shared by every report: JSON conventions (non-finite numbers as null, metric keys
 * from the calibration module's one metric list).
 */
package org.calibkit.report.render;
