/**
 * The monitor of a prediction log on Spark: windows by time, optionally per model or segment,
 * summed per partition as report's {@code WindowState} and measured by report's {@code Monitor}.
 */
package org.calibkit.spark.monitor;
