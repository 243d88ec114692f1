package org.calibkit.calibration.shift;

import java.util.Objects;

import org.calibkit.calibration.Logits;

/**
 * The accumulator of the estimators whose state is a count and a few sums (AC, ATC, DoC): a
 * chunk adds its rows to the count and its values to the sums, merging adds both, and the result
 * is a function of them. Merges only with an accumulator of the same fitted estimator.
 */
final class SumsAccumulator implements AccuracyEstimator.Accumulator {
    /** Adds one chunk's values to {@code sums}. */
    @FunctionalInterface
    interface Adder {
        void add(Logits chunk, double[] sums);
    }

    /** The estimate from the count and the sums. */
    @FunctionalInterface
    interface Finisher {
        Estimate finish(long n, double[] sums);
    }

    private final AccuracyEstimator.Fitted owner;
    private final Adder adder;
    private final Finisher finisher;
    private final double[] sums;
    private long n;

    SumsAccumulator(AccuracyEstimator.Fitted owner, int width, Adder adder, Finisher finisher) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.adder = adder;
        this.finisher = finisher;
        this.sums = new double[width];
    }

    @Override
    public AccuracyEstimator.Accumulator add(Logits chunk) {
        Objects.requireNonNull(chunk, "chunk");
        adder.add(chunk, sums);
        n += chunk.n();
        return this;
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
    public Estimate result() {
        if (n == 0) {
            throw new IllegalStateException(owner.name() + ": no predictions to estimate from");
        }
        return finisher.finish(n, sums.clone());
    }
}
