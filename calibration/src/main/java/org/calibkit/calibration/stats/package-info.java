/**
 * Statistics on top of the calibration metrics, all pure static functions over plain arrays (or
 * {@link org.calibkit.calibration.Probabilities} and labels):
 * <ul>
 *   <li>binomial intervals per reliability bin, Clopper–Pearson and Wilson
 *       ({@link org.calibkit.calibration.stats.Proportions},
 *       {@link org.calibkit.calibration.stats.BinIntervals});</li>
 *   <li>calibration tests with p-values: Spiegelhalter's Z, Hosmer–Lemeshow, and the
 *       Kolmogorov–Smirnov and Kuiper tests on the cumulative calibration curve
 *       ({@link org.calibkit.calibration.stats.CalibrationTests});</li>
 *   <li>split conformal prediction sets, LAC, APS and RAPS
 *       ({@link org.calibkit.calibration.stats.Conformal});</li>
 *   <li>selective prediction: risk–coverage curve, AURC, E-AURC and operating points
 *       ({@link org.calibkit.calibration.stats.Selective});</li>
 *   <li>bootstrap intervals from given replicates, BCa and percentile
 *       ({@link org.calibkit.calibration.stats.BcaInterval},
 *       {@link org.calibkit.calibration.stats.PercentileInterval}).</li>
 * </ul>
 * Conventions (sidedness, ties, integration rules) and references: docs/statistics.md.
 * Distributions come from Apache Commons Math 3.6.1.
 */
package org.calibkit.calibration.stats;
