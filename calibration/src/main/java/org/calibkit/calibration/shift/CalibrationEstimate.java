package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;

/**
 * A label-free estimate of a model's expected calibration error: the ECE its top-label
 * confidences would have if a reference map's probabilities were the truth. Each row's chance of
 * being right is taken as the reference's probability of the class the model predicts (the
 * expected-confusion idea of CBPE, NannyML); in each equal-width bin of the model's own
 * confidence, the estimated accuracy is the mean of those chances, and
 * {@code ECE_est = sum_b (n_b / n) |mean confidence_b - estimated accuracy_b|}.
 *
 * <p>It is an estimate, exactly as good as the reference: with the temperature fitted on clean
 * validation data as the reference, it is the miscalibration the map would remove there, and
 * under shift it inherits the map's errors (which is why the audit checks it on labelled shifted
 * sets before anyone trusts it). With the model's own probabilities as the reference it is 0.
 */
public final class CalibrationEstimate {
    private CalibrationEstimate() {
    }

    /**
     * The estimated ECE of {@code model}'s top-label confidences in {@code bins} equal-width bins,
     * with {@code reference}'s probabilities of the predicted classes as the chances of being right.
     *
     * @throws IllegalArgumentException when the two have other shapes, or bins &lt; 1
     */
    public static double ece(Probabilities model, Probabilities reference, int bins) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reference, "reference");
        if (model.n() != reference.n() || model.k() != reference.k()) {
            throw new IllegalArgumentException("the model's probabilities are " + model.n() + " x " + model.k()
                    + " but the reference's " + reference.n() + " x " + reference.k());
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Expected bins to be at least 1, but got " + bins);
        }
        int[] predicted = model.argmax();
        double[] top = model.maxProbability();
        double[] conf = new double[bins];
        double[] chance = new double[bins];
        double[] r = reference.raw();
        int k = reference.k();
        for (int i = 0; i < predicted.length; i++) {
            int b = ReliabilityBins.binOf(top[i], bins);
            conf[b] += top[i];
            chance[b] += r[i * k + predicted[i]];
        }
        double s = 0;
        for (int b = 0; b < bins; b++) {
            s += Math.abs(conf[b] - chance[b]);
        }
        return s / predicted.length;
    }
}
