package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;

/**
 * The accumulator of the estimators whose state is a count and a few sums (AC, ATC, DoC): a
 * chunk adds its rows to the count and the values of its probabilities (the softmax, or the
 * estimator's calibration map) to the sums, merging adds both, and the result is a function of
 * them. Merges only with an accumulator of the same fitted estimator.
 */
final class SumsAccumulator implements AccuracyEstimator.Accumulator {
    /** Adds one chunk's values to {@code sums}, from its probabilities under the estimator's map. */
    @FunctionalInterface
    interface Adder {
        void add(Probabilities chunk, double[] sums);
    }

    /** The estimate from the count and the sums. */
    @FunctionalInterface
    interface Finisher {
        Estimate finish(long n, double[] sums);
    }

    private final AccuracyEstimator.Fitted owner;
    private final CalibrationMap map;
    private String mapJson;
    private final Adder adder;
    private final Finisher finisher;
    private final double[] sums;
    private long n;

    /** @param map the estimator's calibration map, or null for the plain softmax */
    SumsAccumulator(AccuracyEstimator.Fitted owner, CalibrationMap map, int width, Adder adder, Finisher finisher) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.map = map;
        this.adder = adder;
        this.finisher = finisher;
        this.sums = new double[width];
    }

    @Override
    public AccuracyEstimator.Accumulator add(Logits chunk) {
        Objects.requireNonNull(chunk, "chunk");
        adder.add(Scores.probabilities(chunk, map), sums);
        n += chunk.n();
        return this;
    }

    @Override
    public AccuracyEstimator.Accumulator add(Logits chunk, CalibrationMap other, Probabilities p) {
        Objects.requireNonNull(chunk, "chunk");
        if (!sameMap(other) || p.n() != chunk.n() || p.k() != chunk.k()) {
            return add(chunk);
        }
        adder.add(p, sums);
        n += chunk.n();
        return this;
    }

    /** Whether {@code other} is this estimator's map: the same object, or one with the same JSON (the same parameters). */
    private boolean sameMap(CalibrationMap other) {
        if (map == null || other == null) {
            return false;
        }
        if (other == map) {
            return true;
        }
        if (mapJson == null) {
            mapJson = map.toJson();
        }
        return mapJson.equals(other.toJson());
    }

    @Override
    public AccuracyEstimator.Accumulator merge(AccuracyEstimator.Accumulator other) {
        if (!(other instanceof SumsAccumulator o) || o.owner != owner) {
            throw Scores.foreign(owner.name(), other);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += o.sums[i];
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
        double[] s = new double[1 + sums.length];
        s[0] = n;
        System.arraycopy(sums, 0, s, 1, sums.length);
        return s;
    }

    @Override
    public AccuracyEstimator.Accumulator addState(double[] state) {
        long count = Scores.stateCount(owner.name(), state, 1 + sums.length);
        for (int i = 0; i < sums.length; i++) {
            sums[i] += state[1 + i];
        }
        n += count;
        return this;
    }

    @Override
    public Estimate result() {
        if (n == 0) {
            throw new IllegalStateException(owner.name() + ": no predictions to estimate from");
        }
        return finisher.finish(n, sums.clone());
    }
}
