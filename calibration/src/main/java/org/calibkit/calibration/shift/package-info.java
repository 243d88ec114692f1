/**
 * Label-free accuracy estimates for shifted inputs, each fitted on labelled validation logits and
 * applied to unlabelled ones: AC with its Poisson-binomial interval
 * ({@link org.calibkit.calibration.shift.AverageConfidence}), ATC with max-confidence and
 * negative-entropy scores ({@link org.calibkit.calibration.shift.ThresholdedConfidence}), DoC
 * ({@link org.calibkit.calibration.shift.DifferenceOfConfidences}) and CBPE-style expected
 * confusion ({@link org.calibkit.calibration.shift.ConfusionEstimator}); every fitted estimator
 * has mergeable accumulators for windows and partitions and a versioned JSON form
 * ({@link org.calibkit.calibration.shift.FittedEstimators}), and
 * {@link org.calibkit.calibration.shift.EstimatorCheck} compares them with the truth on labelled
 * shifted sets.
 */
package org.calibkit.calibration.shift;
