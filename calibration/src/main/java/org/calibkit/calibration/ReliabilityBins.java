package org.calibkit.calibration;

import java.util.Objects;

/**
 * Confidence histogram for a reliability diagram: per bin, the number of predictions, the sum of
 * their confidences and the number that were correct. ECE, MCE and the diagram all derive from it.
 *
 * <p><b>Convention.</b> {@code B} equal-width bins, right-closed: bin {@code b} holds confidences
 * in {@code (b/B, (b+1)/B]}; a confidence of exactly 0 goes to the first bin and exactly 1.0 to
 * the last (there is no hidden extra bin; torchmetrics #3510). Immutable; build it with
 * {@link Accumulator}, which is mergeable, so chunks processed separately or in parallel give
 * exactly the same bins as one pass.
 *
 * <p><b>Exact sums.</b> Confidence sums are accumulated in fixed point (each confidence split
 * into a multiple of 2<sup>-24</sup> and a multiple of 2<sup>-64</sup>, summed in two
 * {@code long}s), so the sum does not depend on the order of additions or on how the data were
 * chunked: merged accumulators equal a one-shot pass bit for bit. The truncation error is below
 * 2<sup>-64</sup> per prediction; a bin holds up to 2<sup>39</sup> predictions.
 */
public final class ReliabilityBins {

    private final long[] counts;
    private final double[] confidenceSums;
    private final long[] correct;

    private ReliabilityBins(long[] counts, double[] confidenceSums, long[] correct) {
        this.counts = counts;
        this.confidenceSums = confidenceSums;
        this.correct = correct;
    }

    /** Bin index of a confidence in [0, 1] under the documented convention. */
    public static int binOf(double confidence, int numBins) {
        int b = (int) Math.ceil(confidence * numBins) - 1;
        return b < 0 ? 0 : (b >= numBins ? numBins - 1 : b);
    }

    /**
     * Bins from top-label confidences and whether each prediction was correct.
     *
     * @throws IllegalArgumentException for a confidence outside [0, 1] or NaN (naming the row),
     *                                  mismatched lengths or numBins &lt; 1
     */
    public static ReliabilityBins of(double[] confidences, boolean[] correct, int numBins) {
        Accumulator acc = new Accumulator(numBins);
        acc.add(confidences, correct);
        return acc.toBins();
    }

    /**
     * Bins from their per-bin totals, e.g. read back from a saved report: {@code counts[b]}
     * predictions, {@code correct[b]} of them correct, confidences summing to {@code confidenceSums[b]}.
     *
     * @throws IllegalArgumentException for arrays of different or zero length, a negative count, more
     *                                  correct than counted, or a sum that is negative, not finite or above the count
     */
    public static ReliabilityBins ofTotals(long[] counts, double[] confidenceSums, long[] correct) {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(confidenceSums, "confidenceSums");
        Objects.requireNonNull(correct, "correct");
        Checks.positive("numBins", counts.length);
        if (confidenceSums.length != counts.length || correct.length != counts.length) {
            throw new IllegalArgumentException("Expected counts, confidenceSums and correct to have the same length, but got "
                    + counts.length + ", " + confidenceSums.length + " and " + correct.length);
        }
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] < 0 || correct[b] < 0 || correct[b] > counts[b]) {
                throw new IllegalArgumentException("Expected 0 <= correct <= count in bin " + b + ", but got "
                        + correct[b] + " of " + counts[b]);
            }
            if (!(confidenceSums[b] >= 0 && confidenceSums[b] <= counts[b])) {
                throw new IllegalArgumentException("Expected a confidence sum in [0, " + counts[b] + "] in bin " + b
                        + ", but got " + confidenceSums[b]);
            }
        }
        return new ReliabilityBins(counts.clone(), confidenceSums.clone(), correct.clone());
    }

    public int numBins() { return counts.length; }
    public double lower(int b) { return (double) b / counts.length; }
    public double upper(int b) { return (double) (b + 1) / counts.length; }
    public long count(int b) { return counts[b]; }
    public long correctCount(int b) { return correct[b]; }
    public double confidenceSum(int b) { return confidenceSums[b]; }

    /** Mean confidence in bin b, NaN for an empty bin. */
    public double meanConfidence(int b) {
        return counts[b] == 0 ? Double.NaN : confidenceSums[b] / counts[b];
    }

    /** Fraction correct in bin b, NaN for an empty bin. */
    public double accuracy(int b) {
        return counts[b] == 0 ? Double.NaN : (double) correct[b] / counts[b];
    }

    /** Total number of predictions over all bins. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Mergeable accumulator of reliability bins. Not thread-safe; use one per thread and merge. */
    public static final class Accumulator {
        private final BinCells cells;

        public Accumulator(int numBins) {
            Checks.positive("numBins", numBins);
            this.cells = new BinCells(numBins);
        }

        public int numBins() { return cells.size(); }

        /** Adds one prediction. */
        public Accumulator add(double confidence, boolean isCorrect) {
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException("Expected confidence in [0, 1], but got " + confidence);
            }
            cells.add(binOf(confidence, cells.size()), confidence, isCorrect);
            return this;
        }

        /** Adds a chunk of predictions. */
        public Accumulator add(double[] confidences, boolean[] isCorrect) {
            Checks.sameLength("confidences", confidences, "correct", isCorrect);
            for (int i = 0; i < confidences.length; i++) {
                double c = confidences[i];
                if (!(c >= 0 && c <= 1)) {
                    throw new IllegalArgumentException("Expected confidence in [0, 1], but got " + c + " at row " + i);
                }
                cells.add(binOf(c, cells.size()), c, isCorrect[i]);
            }
            return this;
        }

        /** Adds the other accumulator's counts into this one (same number of bins). */
        public Accumulator merge(Accumulator other) {
            if (other.cells.size() != cells.size()) {
                throw new IllegalArgumentException("Cannot merge accumulators with " + cells.size() + " and "
                        + other.cells.size() + " bins");
            }
            cells.merge(other.cells);
            return this;
        }

        /**
         * Adds the other accumulator's counts and exact sums into this one {@code times} times
         * (in [0, 2<sup>21</sup>]; same number of bins): a weighted merge, as if each of its
         * predictions had been added that often.
         */
        public Accumulator mergeTimes(Accumulator other, long times) {
            if (other.cells.size() != cells.size()) {
                throw new IllegalArgumentException("Cannot merge accumulators with " + cells.size() + " and "
                        + other.cells.size() + " bins");
            }
            cells.mergeTimes(other.cells, times);
            return this;
        }

        /** An immutable snapshot. */
        public ReliabilityBins toBins() {
            return cells.snapshot(ReliabilityBins::new);
        }
    }
}
