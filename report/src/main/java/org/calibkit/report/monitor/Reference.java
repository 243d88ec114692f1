package org.calibkit.report.monitor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.ood.OodScores;
import org.calibkit.calibration.shift.AccuracyEstimator;
import org.calibkit.calibration.shift.AverageConfidence;
import org.calibkit.calibration.shift.ThresholdedConfidence;

/**
 * What a monitor compares each window with, fitted on the model's labelled validation outputs:
 * temperature scaling, the label-free accuracy estimator (ATC on negative entropy after the
 * temperature, Garg et al. 2022, which the shift sweeps found the most stable; average confidence
 * after temperature as the second), the unfamiliarity threshold on the top probability, the
 * reference accuracy and predicted-class shares.
 *
 * @param accuracy        the validation accuracy
 * @param n               validation rows
 * @param map             temperature scaling fitted on the validation outputs
 * @param estimators      the fitted estimators, the primary one first
 * @param unfamiliarBelow a row is unfamiliar when its calibrated top probability is below this
 * @param classShares     the validation's predicted-class shares, one per class
 */
public record Reference(double accuracy, int n, CalibrationMap map, List<AccuracyEstimator.Fitted> estimators,
                        double unfamiliarBelow, double[] classShares) {
    public Reference {
        Objects.requireNonNull(map, "map");
        estimators = List.copyOf(estimators);
        classShares = classShares.clone();
    }

    /** A copy of the shares. */
    @Override
    public double[] classShares() {
        return classShares.clone();
    }

    /**
     * Fits the reference on validation outputs (logits) and labels.
     *
     * @throws IllegalArgumentException when labels do not fit the logits
     */
    public static Reference fit(Logits validation, int[] labels, MonitorOptions options) {
        CalibrationMap map = new TemperatureScaling().fit(validation, labels);
        List<AccuracyEstimator.Fitted> estimators = List.of(
                ThresholdedConfidence.calibrated(ThresholdedConfidence.Score.NEGATIVE_ENTROPY, map).fit(validation, labels),
                AverageConfidence.calibrated(map).fit(validation, labels));
        double[] top = OodScores.maxSoftmax(map.outputLogits(validation).orElseThrow());
        double[] sorted = top.clone();
        Arrays.sort(sorted);
        // the largest threshold that at least unfamiliarTpr of the validation rows reach
        double below = sorted[(int) Math.floor((1 - options.unfamiliarTpr()) * sorted.length)];
        int k = validation.k();
        double[] shares = new double[k];
        int[] predicted = validation.argmax();
        int hit = 0;
        for (int i = 0; i < predicted.length; i++) {
            shares[predicted[i]] += 1.0 / predicted.length;
            hit += predicted[i] == labels[i] ? 1 : 0;
        }
        return new Reference((double) hit / labels.length, labels.length, map, estimators, below, shares);
    }
}
