/**
 * Metrics of saved predictions before and after a calibrator: the job that reads the files, fits,
 * bootstraps and draws the charts ({@link org.calibkit.cli.metrics.MetricsJob}), and its result as
 * plain data with JSON and text renderings ({@link org.calibkit.cli.metrics.MetricsReport}, what
 * {@code calibkit metrics} prints).
 */
package org.calibkit.cli.metrics;
