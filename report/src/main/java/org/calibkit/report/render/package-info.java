/**
 * What every rendering of a report shares: JSON conventions ({@link org.calibkit.report.render.Json}:
 * non-finite numbers as null, metric keys from the calibration module's one metric list), how
 * numbers read ({@link org.calibkit.report.render.Format}) and field names
 * ({@link org.calibkit.report.render.Fields}).
 *
 * <p>Layer: renderings; uses the audit. The order: result types and audit (+ probes) -> renderings
 * (render, html, json, terminal, compare) -> gates -> application jobs (org.calibkit.cli.*) ->
 * command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.render;
