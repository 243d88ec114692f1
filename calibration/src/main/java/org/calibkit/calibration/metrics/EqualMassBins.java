package org.calibkit.calibration.metrics;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.calibkit.calibration.Checks;

/**
 * Equal-mass bins (the convention of {@link CalibrationMetrics#eceEqualMass}) for data that is
 * not in one array: the edges need the sorted values at a few positions only ({@link #ranks}),
 * which a distributed sort can deliver, and the per-bin sums are a mergeable
 * {@link Accumulator}. Equal-mass ECE, the debiased ECE and ACE computed this way equal the
 * one-array functions: the same edges ({@link EqualMass}), the same bins, the same formulas;
 * only the order of the per-bin value sums may differ (rounding).
 */
public final class EqualMassBins {
    private EqualMassBins() {
    }

    /** The sorted positions (0-based, ascending) whose values the edges of {@code total} values in {@code bins} bins need. */
    public static long[] ranks(long total, int bins) {
        Checks.positive("bins", bins);
        return EqualMass.ranks(total, bins);
    }

    /**
     * The edges, given the sorted values at {@link #ranks}{@code (total, bins)}, in that order.
     *
     * @throws IllegalArgumentException when the number of values is not that of the ranks
     */
    public static double[] edges(long total, int bins, double[] valuesAtRanks) {
        long[] at = ranks(total, bins);
        if (valuesAtRanks.length != at.length) {
            throw new IllegalArgumentException("Expected " + at.length + " values (one per rank), but got "
                    + valuesAtRanks.length);
        }
        return EqualMass.edges(total, bins, x -> valuesAtRanks[java.util.Arrays.binarySearch(at, x)]);
    }

    /** Per-bin count, value sum and target count for fixed edges; mergeable, not thread-safe. */
    public static final class Accumulator implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double[] edges;
        private final double[] count;
        private final double[] valueSum;
        private final double[] targetSum;

        /** Empty bins with these edges (ascending; a value goes to the first edge at least it, so the last must bound them all). */
        public Accumulator(double[] edges) {
            this.edges = Objects.requireNonNull(edges, "edges").clone();
            count = new double[edges.length];
            valueSum = new double[edges.length];
            targetSum = new double[edges.length];
        }

        /** Adds one value in [0, 1] and whether its target holds. */
        public Accumulator add(double value, boolean target) {
            int b = EqualMass.bin(edges, value);
            count[b]++;
            valueSum[b] += value;
            if (target) {
                targetSum[b]++;
            }
            return this;
        }

        /**
         * Adds {@code count} values known to share the bin of {@code value} (a group of values no
         * edge separates), their value sum and how many targets hold; returns this.
         */
        public Accumulator addSums(double value, long count, double valueSum, long targets) {
            int b = EqualMass.bin(edges, value);
            this.count[b] += count;
            this.valueSum[b] += valueSum;
            targetSum[b] += targets;
            return this;
        }

        /** Adds the other bins (same edges) into these; returns this. */
        public Accumulator merge(Accumulator o) {
            if (!java.util.Arrays.equals(edges, o.edges)) {
                throw new IllegalArgumentException("Cannot merge equal-mass bins with different edges");
            }
            for (int b = 0; b < edges.length; b++) {
                count[b] += o.count[b];
                valueSum[b] += o.valueSum[b];
                targetSum[b] += o.targetSum[b];
            }
            return this;
        }

        /** Per bin: the number of values (a copy). */
        public double[] counts() {
            return count.clone();
        }

        /** Per bin: the sum of the values (a copy). */
        public double[] valueSums() {
            return valueSum.clone();
        }

        /** Per bin: the number of values whose target holds (a copy). */
        public double[] targetSums() {
            return targetSum.clone();
        }

        EqualMass.Stats stats() {
            return new EqualMass.Stats(count.clone(), valueSum.clone(), targetSum.clone());
        }

        /** {@link CalibrationMetrics#eceEqualMass} of top-label confidences against correctness. */
        public double ece() {
            return CalibrationMetrics.eceFromStats(stats());
        }

        /** {@link CalibrationMetrics#debiasedEce} of top-label confidences against correctness. */
        public double debiasedEce() {
            return CalibrationMetrics.debiasedFromStats(stats());
        }
    }

    /** {@link CalibrationMetrics#ace} from each class's bins (its probability against "is this class"), in class order. */
    public static double ace(List<Accumulator> classes) {
        double sum = 0;
        long[] pairs = {0};
        for (Accumulator a : classes) {
            sum = CalibrationMetrics.aceAdd(a.stats(), sum, pairs);
        }
        return sum / pairs[0];
    }
}
