/**
 * JMH benchmarks of the calibration module against the targets of issue 4 (temperature fit,
 * equal-width and equal-mass ECE, bootstrap of ECE, AUROC). Run them with
 * {@code bench/calibration.sh}, which prints each result next to its target.
 */
package org.calibkit.examples.bench.calibration;
