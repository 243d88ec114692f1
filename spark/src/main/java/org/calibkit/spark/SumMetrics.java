package org.calibkit.spark;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.ClasswiseBins;

/**
 * The metrics of a prediction log that reduce to sums, with the keys of calibration's
 * {@code Metrics.ALL} they equal. ECE, MCE and classwise ECE come from calibration's functions on
 * the merged bins; the bins themselves are the reliability diagram and the confidence histogram
 * ({@link ReliabilityBins#count}).
 *
 * @param n            rows
 * @param correct      rows whose arg-max is the label
 * @param accuracy     {@code accuracy}
 * @param nll          {@code nll}: mean NLL of the label
 * @param brier        {@code brier}: summed over classes
 * @param ece          {@code ece}, equal-width top-label bins
 * @param mce          {@code mce}
 * @param signedEce    {@code signed_ece}: mean confidence minus accuracy
 * @param classwiseEce {@code classwise_ece}
 * @param topLabel     the merged top-label reliability bins
 * @param classwise    the merged classwise bins
 */
public record SumMetrics(long n, long correct, double accuracy, double nll, double brier, double ece, double mce,
                         double signedEce, double classwiseEce, ReliabilityBins topLabel, ClasswiseBins classwise) {
}
