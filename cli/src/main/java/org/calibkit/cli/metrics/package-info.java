/**
 * Metrics of saved predictions before and after a calibrator: the job that reads the files, fits,
 * bootstraps and draws the charts ({@link org.calibkit.cli.metrics.MetricsJob}), and its result as
 * plain data with JSON and text renderings ({@link org.calibkit.cli.metrics.MetricsReport}, what
 * {@code calibkit metrics} prints).
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.metrics;
