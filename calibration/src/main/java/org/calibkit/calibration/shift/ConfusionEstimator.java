package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * CBPE-style estimation (NannyML's confidence-based performance estimation, for K classes): the
 * {@link ExpectedConfusion} of the target under calibrated probabilities gives estimated
 * per-class recall and precision and macro F1; its accuracy is the trace. Like AC it trusts the
 * calibration: it is right when the map stays calibrated under the shift. NannyML fits its
 * calibrator on the reference set; here the map is handed in (fitted on validation by any
 * calibkit calibrator), and the softmax is used when there is none.
 */
public final class ConfusionEstimator extends MapEstimator {
    private ConfusionEstimator(CalibrationMap map) {
        super("CBPE", map);
    }

    /** CBPE on the softmax of the logits. */
    public static ConfusionEstimator raw() {
        return new ConfusionEstimator(null);
    }

    /** CBPE on the probabilities of {@code map}. */
    public static ConfusionEstimator calibrated(CalibrationMap map) {
        return new ConfusionEstimator(Objects.requireNonNull(map, "map"));
    }

    @Override
    public FittedCbpe fit(Logits validation, int[] labels) {
        Scores.checkFit(validation, labels);
        if (map != null && map.numClasses() != validation.k()) {
            throw new IllegalArgumentException("the calibration map is for " + map.numClasses()
                    + " classes, but the validation logits have " + validation.k());
        }
        return new FittedCbpe(validation.k());
    }

    /** A fitted CBPE for K classes, for {@link FittedEstimators#fromJson}. */
    static Fitted fitted(CalibrationMap map, int k) {
        return new ConfusionEstimator(map).new FittedCbpe(k);
    }

    /** The fitted estimator for K classes. */
    public final class FittedCbpe extends FittedForm {
        private final int k;

        FittedCbpe(int k) {
            this.k = k;
        }

        /** The expected confusion matrix of {@code target}. */
        public ExpectedConfusion confusion(Logits target) {
            return accumulator().add(target).confusion();
        }

        @Override
        public String toJson() {
            return FittedEstimators.json("cbpe", map).put("numClasses", k).toString();
        }

        @Override
        public CbpeAccumulator accumulator() {
            return new CbpeAccumulator(this);
        }
    }

    /** The K x K sums of expected counts (row-major in a {@link SumsAccumulator}: true class j, predicted c at j * K + c). */
    public final class CbpeAccumulator implements Accumulator {
        private final FittedCbpe owner;
        private final SumsAccumulator sums;

        CbpeAccumulator(FittedCbpe owner) {
            this.owner = owner;
            int k = owner.k;
            this.sums = new SumsAccumulator(owner, map, k * k, (p, s) -> {
                int[] pred = p.argmax();
                double[] v = p.raw();
                for (int i = 0; i < pred.length; i++) {
                    for (int j = 0; j < k; j++) {
                        s[j * k + pred[i]] += v[i * k + j];
                    }
                }
            }, (n, s) -> Estimate.point(owner.name(), n, confusionOf(s, 0, k, n).accuracy()));
        }

        @Override
        public CbpeAccumulator add(Logits chunk) {
            if (chunk.k() != owner.k) {
                throw new IllegalArgumentException(owner.name() + " was fitted for " + owner.k + " classes, but the logits have "
                        + chunk.k());
            }
            sums.add(chunk);
            return this;
        }

        @Override
        public Accumulator merge(Accumulator other) {
            if (!(other instanceof CbpeAccumulator o) || o.owner != owner) {
                throw Scores.foreign(owner.name(), other);
            }
            sums.merge(o.sums);
            return this;
        }

        @Override
        public long count() {
            return sums.count();
        }

        @Override
        public double[] state() {
            return sums.state();
        }

        @Override
        public CbpeAccumulator addState(double[] state) {
            sums.addState(state);
            return this;
        }

        /** The expected confusion matrix so far. */
        public ExpectedConfusion confusion() {
            long n = sums.count();
            if (n == 0) {
                throw new IllegalStateException(owner.name() + ": no predictions to estimate from");
            }
            return confusionOf(sums.state(), 1, owner.k, n);
        }

        @Override
        public Estimate result() {
            return sums.result();
        }
    }

    /** The K x K matrix stored row-major in {@code flat} from {@code offset}. */
    private static ExpectedConfusion confusionOf(double[] flat, int offset, int k, long n) {
        double[][] matrix = new double[k][k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(flat, offset + j * k, matrix[j], 0, k);
        }
        return new ExpectedConfusion(matrix, n);
    }
}
