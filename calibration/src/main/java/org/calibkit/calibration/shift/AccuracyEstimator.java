package org.calibkit.calibration.shift;

import org.calibkit.calibration.Logits;

/**
 * A label-free accuracy estimator before fitting: holds only its settings; {@link #fit} on the
 * labelled validation logits returns an immutable {@link Fitted} estimator that is then applied to
 * logits without labels (the trainer/model split of Tribuo, and of calibkit's calibrators).
 */
public interface AccuracyEstimator {
    /** The estimator's short name for tables and sentences, e.g. {@code ATC-NE}, {@code AC (temperature)}. */
    String name();

    /**
     * Fits on labelled validation logits.
     *
     * @throws IllegalArgumentException when the labels do not fit the logits or the set is empty
     */
    Fitted fit(Logits validation, int[] labels);

    /** A fitted estimator: immutable, applied to unlabelled logits, in one go or through an accumulator. */
    interface Fitted {
        /** The same name as the estimator that fitted it. */
        String name();

        /**
         * The estimate for {@code target}: the accuracy of {@code accumulator().add(target).result()}
         * (up to rounding); an estimator may give a finer interval here than its accumulator can
         * (AC: the exact Poisson-binomial interval here, its normal approximation from the sums).
         */
        default Estimate estimate(Logits target) {
            return accumulator().add(target).result();
        }

        /** An empty accumulator of this fitted estimator's sums. */
        Accumulator accumulator();

        /**
         * The fitted estimator as versioned JSON ({@code {"format":"calibkit-accuracy-estimator",
         * "version":1,"estimator":...}}), with its calibration map's own JSON inside;
         * {@link FittedEstimators#fromJson} reads it back.
         */
        String toJson();
    }

    /**
     * The sums an estimate needs over a window of predictions: {@link #add} chunks, {@link #merge}
     * another accumulator of the same fitted estimator (windows or Spark partitions), {@link #result}
     * at any time. Mutable, not thread-safe; merging is exact (sums and counts).
     */
    interface Accumulator {
        /** Adds a chunk of logits. */
        Accumulator add(Logits chunk);

        /**
         * Adds a chunk whose probabilities under {@code map} the caller already has
         * ({@code p = map.apply(chunk)}): an accumulator over that same map (the same object, or
         * one with the same JSON) uses them instead of computing the softmax again; any other
         * adds {@code chunk} as {@link #add(Logits)} does. The sums are the same either way.
         */
        default Accumulator add(Logits chunk, org.calibkit.calibration.calibrators.CalibrationMap map,
                                org.calibkit.calibration.Probabilities p) {
            return add(chunk);
        }

        /**
         * Adds the other accumulator's sums into this one.
         *
         * @throws IllegalArgumentException when {@code other} belongs to another fitted estimator
         */
        Accumulator merge(Accumulator other);

        /** Predictions added so far. */
        long count();

        /**
         * The accumulator's count and sums as plain numbers, to ship between JVMs (Spark
         * executors) where the fitted estimator itself does not travel: the count first, then the
         * sums. The states of two accumulators of one fitted estimator add element by element, and
         * {@link #addState} of such a sum gives what {@link #merge} of the accumulators gives.
         *
         * @throws UnsupportedOperationException for an accumulator without a plain state
         */
        default double[] state() {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " has no plain state");
        }

        /**
         * Adds a {@link #state()} of an accumulator of the same fitted estimator (or the element-wise
         * sum of several) into this one; returns this.
         *
         * @throws IllegalArgumentException when the state has the wrong length or a count that is not a whole number
         */
        default Accumulator addState(double[] state) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " has no plain state");
        }

        /**
         * The estimate over everything added.
         *
         * @throws IllegalStateException when nothing was added
         */
        Estimate result();
    }
}
