package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * DoC, difference of confidences (Guillory et al. 2021, "Predicting with confidence on unseen
 * distributions", ICCV, arXiv 2107.03315): the validation accuracy minus the drop in average
 * top-label confidence from validation to target, {@code acc_val - (conf_val - conf_target)}, of
 * the softmax or of a calibration map. With a map calibrated on validation it equals AC up to the
 * validation set's own calibration error.
 */
public final class DifferenceOfConfidences extends MapEstimator {
    private DifferenceOfConfidences(CalibrationMap map) {
        super("DoC", map);
    }

    /** DoC on the softmax of the logits. */
    public static DifferenceOfConfidences raw() {
        return new DifferenceOfConfidences(null);
    }

    /** DoC on the probabilities of {@code map}. */
    public static DifferenceOfConfidences calibrated(CalibrationMap map) {
        return new DifferenceOfConfidences(Objects.requireNonNull(map, "map"));
    }

    @Override
    public Fitted fit(Logits validation, int[] labels) {
        Scores.checkFit(validation, labels);
        Probabilities p = Scores.probabilities(validation, map);
        double[] c = Scores.maxConfidence(p);
        boolean[] ok = Scores.correct(p, labels);
        double conf = 0;
        double acc = 0;
        for (int i = 0; i < c.length; i++) {
            conf += c[i];
            acc += ok[i] ? 1 : 0;
        }
        return new FittedDoc(acc / c.length, conf / c.length);
    }

    /** A fitted DoC with known validation values, for {@link FittedEstimators#fromJson}. */
    static Fitted fitted(CalibrationMap map, double validationAccuracy, double validationConfidence) {
        return new DifferenceOfConfidences(map).new FittedDoc(validationAccuracy, validationConfidence);
    }

    /** The validation accuracy and mean confidence DoC starts from. */
    public final class FittedDoc extends FittedForm {
        private final double validationAccuracy;
        private final double validationConfidence;

        FittedDoc(double validationAccuracy, double validationConfidence) {
            this.validationAccuracy = validationAccuracy;
            this.validationConfidence = validationConfidence;
        }

        /** The validation set's accuracy. */
        public double validationAccuracy() {
            return validationAccuracy;
        }

        /** The validation set's mean top-label probability. */
        public double validationConfidence() {
            return validationConfidence;
        }

        @Override
        public String toJson() {
            return FittedEstimators.json("doc", map).put("validationAccuracy", validationAccuracy)
                    .put("validationConfidence", validationConfidence).toString();
        }

        @Override
        public Accumulator accumulator() {
            return new SumsAccumulator(this, map, 1, (p, sums) -> {
                for (double c : Scores.maxConfidence(p)) {
                    sums[0] += c;
                }
            }, (n, sums) -> Estimate.point(name(), n, validationAccuracy - (validationConfidence - sums[0] / n)));
        }
    }
}
