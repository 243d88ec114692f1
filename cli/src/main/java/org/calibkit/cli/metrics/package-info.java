/**
 * Metrics of saved predictions before and after a calibrator, as plain data with JSON and text
 * renderings (what {@code calibkit metrics} prints).
 */
package org.calibkit.cli.metrics;
