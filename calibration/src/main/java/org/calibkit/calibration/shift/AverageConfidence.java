package org.calibkit.calibration.shift;

import java.util.Objects;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * AC, average confidence: the estimated accuracy is the mean top-label probability, of the
 * softmax or after a calibration map. When the probabilities are calibrated on the target, the
 * number of right predictions is a sum of independent Bernoulli(p_i), so it follows the
 * Poisson-binomial distribution and AC is unbiased with an exact interval from its quantiles
 * (Kivimäki et al. 2024, "Confidence-based estimators for predictive performance in model
 * monitoring", arXiv 2407.08649). {@link Fitted#estimate} gives that exact interval ({@code O(n^2)}
 * dynamic programme over the n confidences); the accumulator, which keeps only sums, gives its
 * normal approximation {@code mean +- z sqrt(sum p (1-p)) / n}. The interval covers the
 * sampling noise of a calibrated model only, not a calibration that fails under the shift.
 */
public final class AverageConfidence extends MapEstimator {
    /** Two-sided error rate of the interval unless told otherwise. */
    public static final double DEFAULT_ALPHA = 0.05;

    private final double alpha;

    private AverageConfidence(CalibrationMap map, double alpha) {
        super("AC", map);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), but got " + alpha);
        }
        this.alpha = alpha;
    }

    /** AC of the softmax of the logits. */
    public static AverageConfidence raw() {
        return new AverageConfidence(null, DEFAULT_ALPHA);
    }

    /** AC of the probabilities of {@code map} (e.g. temperature scaling fitted on clean validation data). */
    public static AverageConfidence calibrated(CalibrationMap map) {
        return new AverageConfidence(Objects.requireNonNull(map, "map"), DEFAULT_ALPHA);
    }

    /** The same estimator with another interval error rate. */
    public AverageConfidence withAlpha(double newAlpha) {
        return new AverageConfidence(map, newAlpha);
    }

    /** AC needs nothing from the validation set; it is checked and otherwise ignored. */
    @Override
    public Fitted fit(Logits validation, int[] labels) {
        Scores.checkFit(validation, labels);
        return new FittedAc();
    }

    /** The fitted form without a fit (AC has no fitted state), for {@link FittedEstimators#fromJson}. */
    static Fitted fitted(CalibrationMap map, double alpha) {
        return new AverageConfidence(map, alpha).new FittedAc();
    }

    private final class FittedAc extends FittedForm {
        @Override
        public Estimate estimate(Logits target) {
            double[] c = Scores.maxConfidence(Scores.probabilities(target, map));
            if (c.length == 0) {
                throw new IllegalStateException(name() + ": no predictions to estimate from");
            }
            double sum = 0;
            for (double v : c) {
                sum += v;
            }
            int[] q = poissonBinomialQuantiles(c, alpha / 2, 1 - alpha / 2);
            return new Estimate(name(), c.length, sum / c.length, (double) q[0] / c.length, (double) q[1] / c.length);
        }

        @Override
        public String toJson() {
            return FittedEstimators.json("ac", map).put("alpha", alpha).toString();
        }

        @Override
        public Accumulator accumulator() {
            return new SumsAccumulator(this, map, 2, (p, sums) -> {
                for (double c : Scores.maxConfidence(p)) {
                    sums[0] += c;
                    sums[1] += c * (1 - c);
                }
            }, (n, sums) -> {
                double z = new NormalDistribution().inverseCumulativeProbability(1 - alpha / 2);
                double mean = sums[0] / n;
                double half = z * Math.sqrt(sums[1]) / n;
                return new Estimate(name(), n, mean, Math.max(0, mean - half), Math.min(1, mean + half));
            });
        }
    }

    /**
     * The smallest counts {@code k} with {@code P(K <= k) >= lo} and {@code >= hi}, for {@code K} the
     * number of successes of independent Bernoulli trials with probabilities {@code p}.
     */
    static int[] poissonBinomialQuantiles(double[] p, double lo, double hi) {
        double[] f = new double[p.length + 1];
        f[0] = 1;
        for (int i = 0; i < p.length; i++) {
            double q = p[i];
            for (int j = i + 1; j >= 1; j--) {
                f[j] = f[j] * (1 - q) + f[j - 1] * q;
            }
            f[0] *= 1 - q;
        }
        int[] out = {-1, -1};
        double cdf = 0;
        for (int k = 0; k < f.length; k++) {
            cdf += f[k];
            if (out[0] < 0 && cdf >= lo - 1e-12) {
                out[0] = k;
            }
            if (out[1] < 0 && cdf >= hi - 1e-12) {
                out[1] = k;
            }
        }
        if (out[1] < 0) {
            out[1] = p.length;
        }
        if (out[0] < 0) {
            out[0] = p.length;
        }
        return out;
    }
}
