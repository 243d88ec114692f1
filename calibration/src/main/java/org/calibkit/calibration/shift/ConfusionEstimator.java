package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * CBPE-style estimation (NannyML's confidence-based performance estimation, for K classes): the
 * {@link ExpectedConfusion} of the target under calibrated probabilities gives estimated
 * per-class recall and precision and macro F1; its accuracy is the trace. Like AC it trusts the
 * calibration: it is right when the map stays calibrated under the shift. NannyML fits its
 * calibrator on the reference set; here the map is handed in (fitted on validation by any
 * calibkit calibrator), and the softmax is used when there is none.
 */
public final class ConfusionEstimator implements AccuracyEstimator {
    private final CalibrationMap map;

    private ConfusionEstimator(CalibrationMap map) {
        this.map = map;
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
    public String name() {
        return map == null ? "CBPE" : "CBPE (" + map.method() + ")";
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
    public final class FittedCbpe implements Fitted {
        private final int k;

        FittedCbpe(int k) {
            this.k = k;
        }

        @Override
        public String name() {
            return ConfusionEstimator.this.name();
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

    /** The K x K sums of expected counts. */
    public final class CbpeAccumulator implements Accumulator {
        private final FittedCbpe owner;
        private final double[][] sums;
        private long n;

        CbpeAccumulator(FittedCbpe owner) {
            this.owner = owner;
            this.sums = new double[owner.k][owner.k];
        }

        @Override
        public CbpeAccumulator add(Logits chunk) {
            if (chunk.k() != owner.k) {
                throw new IllegalArgumentException(owner.name() + " was fitted for " + owner.k + " classes, but the logits have "
                        + chunk.k());
            }
            Probabilities p = Scores.probabilities(chunk, map);
            int[] pred = p.argmax();
            double[] v = p.raw();
            int k = owner.k;
            for (int i = 0; i < pred.length; i++) {
                for (int j = 0; j < k; j++) {
                    sums[j][pred[i]] += v[i * k + j];
                }
            }
            n += pred.length;
            return this;
        }

        @Override
        public Accumulator merge(Accumulator other) {
            if (!(other instanceof CbpeAccumulator o) || o.owner != owner) {
                throw Scores.foreign(owner.name(), other);
            }
            for (int j = 0; j < sums.length; j++) {
                for (int k = 0; k < sums.length; k++) {
                    sums[j][k] += o.sums[j][k];
                }
            }
            n += o.n;
            return this;
        }

        @Override
        public long count() {
            return n;
        }

        @Override
        public double[] state() {
            int k = sums.length;
            double[] s = new double[1 + k * k];
            s[0] = n;
            for (int j = 0; j < k; j++) {
                System.arraycopy(sums[j], 0, s, 1 + j * k, k);
            }
            return s;
        }

        @Override
        public CbpeAccumulator addState(double[] state) {
            int k = sums.length;
            long count = Scores.stateCount(owner.name(), state, 1 + k * k);
            for (int j = 0; j < k; j++) {
                for (int c = 0; c < k; c++) {
                    sums[j][c] += state[1 + j * k + c];
                }
            }
            n += count;
            return this;
        }

        /** The expected confusion matrix so far. */
        public ExpectedConfusion confusion() {
            if (n == 0) {
                throw new IllegalStateException(owner.name() + ": no predictions to estimate from");
            }
            return new ExpectedConfusion(sums, n);
        }

        @Override
        public Estimate result() {
            return Estimate.point(owner.name(), n, confusion().accuracy());
        }
    }
}
