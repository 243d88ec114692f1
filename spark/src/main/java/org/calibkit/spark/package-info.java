/**
 * Prediction logs past one machine: a documented Parquet schema ({@link org.calibkit.spark.PredictionLogSchema}),
 * validated reading, and the calibration metrics that reduce to sums as mergeable per-partition
 * state ({@link org.calibkit.spark.PartitionState}, built on calibration's own accumulators), on
 * Apache Spark ({@link org.calibkit.spark.SparkPredictionLog}) and on one machine through
 * embedded DuckDB ({@link org.calibkit.spark.DuckDbPredictionLog}).
 */
package org.calibkit.spark;
