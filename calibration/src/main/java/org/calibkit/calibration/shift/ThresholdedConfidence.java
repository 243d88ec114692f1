package org.calibkit.calibration.shift;

import java.util.Arrays;
import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * ATC, average thresholded confidence (Garg et al. 2022, "Leveraging unlabeled data to predict
 * out-of-distribution performance", ICLR, arXiv 2201.04234): a threshold {@code t} on a score is
 * chosen on the labelled validation set so that the number of validation scores above it equals
 * the number of right predictions; the estimated accuracy on a target set is the share of its
 * scores {@code >= t}. The threshold is the authors' {@code find_ATC_threshold}
 * (saurabhgarg1996/ATC_code {@code ATC_helper.py}): scan the sorted validation scores and keep the
 * one that minimises |wrong above - right at or below|, starting from the smallest score (so an
 * all-right validation set keeps every score above). Scores: the maximum probability (ATC-MC) or
 * the negative entropy {@code sum p log(p + 1e-20)} (ATC-NE), of the softmax or of a calibration map.
 */
public final class ThresholdedConfidence extends MapEstimator {
    /** The score thresholded. */
    public enum Score {
        /** The top-label probability: ATC-MC. */
        MAX_CONFIDENCE("MC"),
        /** The negative entropy of the probability vector: ATC-NE. */
        NEGATIVE_ENTROPY("NE");

        private final String tag;

        Score(String tag) {
            this.tag = tag;
        }
    }

    private final Score score;

    private ThresholdedConfidence(Score score, CalibrationMap map) {
        super("ATC-" + Objects.requireNonNull(score, "score").tag, map);
        this.score = score;
    }

    /** ATC on the softmax of the logits. */
    public static ThresholdedConfidence of(Score score) {
        return new ThresholdedConfidence(score, null);
    }

    /** ATC on the probabilities of {@code map} (Garg et al. use temperature-scaled ones). */
    public static ThresholdedConfidence calibrated(Score score, CalibrationMap map) {
        return new ThresholdedConfidence(score, Objects.requireNonNull(map, "map"));
    }

    private double[] scores(Probabilities p) {
        return score == Score.MAX_CONFIDENCE ? Scores.maxConfidence(p) : Scores.negativeEntropy(p);
    }

    @Override
    public Fitted fit(Logits validation, int[] labels) {
        Scores.checkFit(validation, labels);
        Probabilities p = Scores.probabilities(validation, map);
        return new FittedAtc(threshold(scores(p), Scores.correct(p, labels)));
    }

    /** A fitted ATC with a known threshold, for {@link FittedEstimators#fromJson}. */
    static Fitted fitted(Score score, CalibrationMap map, double threshold) {
        return new ThresholdedConfidence(score, map).new FittedAtc(threshold);
    }

    /** The authors' threshold (see the class comment). */
    static double threshold(double[] s, boolean[] correct) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        long wrongAbove = 0;
        for (boolean c : correct) {
            if (!c) {
                wrongAbove++;
            }
        }
        long rightBelow = 0;
        long best = Math.abs(wrongAbove - rightBelow);
        double t = s[order[0]];
        for (Integer i : order) {
            if (correct[i]) {
                rightBelow++;
            } else {
                wrongAbove--;
            }
            if (Math.abs(wrongAbove - rightBelow) < best) {
                best = Math.abs(wrongAbove - rightBelow);
                t = s[i];
            }
        }
        return t;
    }

    /** The fitted threshold. */
    public final class FittedAtc extends FittedForm {
        private final double threshold;

        FittedAtc(double threshold) {
            this.threshold = threshold;
        }

        /** The score threshold fitted on validation. */
        public double threshold() {
            return threshold;
        }

        @Override
        public String toJson() {
            return FittedEstimators.json("atc", map).put("score", score.name()).put("threshold", threshold).toString();
        }

        @Override
        public Accumulator accumulator() {
            return new SumsAccumulator(this, map, 1, (p, sums) -> {
                for (double v : scores(p)) {
                    if (v >= threshold) {
                        sums[0]++;
                    }
                }
            }, (n, sums) -> Estimate.point(name(), n, sums[0] / n));
        }
    }
}
