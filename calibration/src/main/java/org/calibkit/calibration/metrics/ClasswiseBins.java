package org.calibkit.calibration.metrics;

import java.util.Objects;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.BinCells;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;

/**
 * One equal-width reliability histogram per class (the basis of classwise ECE, Kull et al. 2019):
 * for class j and bin b, the number of rows whose probability of class j falls in the bin, the sum
 * of those probabilities and how many of those rows have label j. Same bin convention as
 * {@link ReliabilityBins}: {@code (b/B, (b+1)/B]}, 0 in the first bin, 1.0 in the last. Immutable;
 * built with the mergeable {@link Accumulator}, whose sums are exact (fixed point, as in
 * {@link ReliabilityBins}), so chunked or parallel accumulation equals one pass bit for bit.
 */
public final class ClasswiseBins {
    /** Largest multiplicity of one row in {@code addRowsTimes}: t * lo (lo &lt; 2^40) stays below 2^61. */
    private static final long MAX_TIMES = 1L << 21;

    private final int numClasses;
    private final int numBins;
    private final long[] counts;
    private final double[] probabilitySums;
    private final long[] positives;

    private ClasswiseBins(int numClasses, int numBins, long[] counts, double[] sums, long[] positives) {
        this.numClasses = numClasses;
        this.numBins = numBins;
        this.counts = counts;
        this.probabilitySums = sums;
        this.positives = positives;
    }

    /** Bins of all rows of {@code p} against {@code labels}. */
    public static ClasswiseBins of(Probabilities p, int[] labels, int numBins) {
        return new Accumulator(p.k(), numBins).add(p, labels).toBins();
    }

    /**
     * Bins from sums computed elsewhere (an SQL engine's GROUP BY over the same convention), each
     * array indexed {@code class * numBins + bin}: counts, probability sums and positives. The sums
     * are taken as given, so they are exact only if the caller's are.
     *
     * @throws IllegalArgumentException for arrays not of length numClasses x numBins, a negative
     *                                  count, positives outside [0, count] or a sum outside [0, count]
     */
    public static ClasswiseBins ofTotals(int numClasses, int numBins, long[] counts, double[] probabilitySums,
                                       long[] positives) {
        Checks.positive("numBins", numBins);
        if (numClasses < 2) {
            throw new IllegalArgumentException("Expected numClasses to be at least 2, but got " + numClasses);
        }
        int size = Math.multiplyExact(numClasses, numBins);
        if (counts.length != size || probabilitySums.length != size || positives.length != size) {
            throw new IllegalArgumentException("Expected counts, probabilitySums and positives of length " + size
                    + " (classes x bins), but got " + counts.length + ", " + probabilitySums.length + " and "
                    + positives.length);
        }
        for (int c = 0; c < size; c++) {
            if (counts[c] < 0 || positives[c] < 0 || positives[c] > counts[c]
                    || !(probabilitySums[c] >= 0 && probabilitySums[c] <= counts[c])) {
                throw new IllegalArgumentException("Expected 0 <= positives <= count and a sum in [0, count], but class "
                        + c / numBins + " bin " + c % numBins + " has count " + counts[c] + ", positives " + positives[c]
                        + ", sum " + probabilitySums[c]);
            }
        }
        return new ClasswiseBins(numClasses, numBins, counts.clone(), probabilitySums.clone(), positives.clone());
    }

    public int numClasses() { return numClasses; }
    public int numBins() { return numBins; }
    /** Rows whose probability of class {@code cls} falls in bin {@code b}. */
    public long count(int cls, int b) { return counts[idx(cls, b)]; }
    /** Sum of those probabilities. */
    public double probabilitySum(int cls, int b) { return probabilitySums[idx(cls, b)]; }
    /** How many of those rows have label {@code cls}. */
    public long positives(int cls, int b) { return positives[idx(cls, b)]; }

    /** Total number of rows. */
    public long total() {
        long t = 0;
        for (int b = 0; b < numBins; b++) {
            t += counts[b];
        }
        return t;
    }

    private int idx(int cls, int b) {
        Objects.checkIndex(cls, numClasses);
        Objects.checkIndex(b, numBins);
        return cls * numBins + b;
    }

    /** Mergeable accumulator. Not thread-safe; use one per thread and merge. */
    public static final class Accumulator {
        private final int numClasses;
        private final int numBins;
        private final BinCells cells;

        public Accumulator(int numClasses, int numBins) {
            Checks.positive("numBins", numBins);
            if (numClasses < 2) {
                throw new IllegalArgumentException("Expected numClasses to be at least 2, but got " + numClasses);
            }
            this.numClasses = numClasses;
            this.numBins = numBins;
            cells = new BinCells(Math.multiplyExact(numClasses, numBins));
        }

        public int numClasses() { return numClasses; }
        public int numBins() { return numBins; }

        /** Adds a chunk of rows. */
        public Accumulator add(Probabilities p, int[] labels) {
            Objects.requireNonNull(p, "probabilities");
            if (p.k() != numClasses) {
                throw new IllegalArgumentException("Expected probabilities with " + numClasses
                        + " classes, but got " + p.k());
            }
            Checks.labels("labels", labels, p.n(), p.k());
            addRows(p.raw(), labels, 0, p.n());
            return this;
        }

        /** Adds a chunk of rows given as logits (softmax per row, with log-sum-exp). */
        public Accumulator add(Logits logits, int[] labels) {
            Objects.requireNonNull(logits, "logits");
            if (logits.k() != numClasses) {
                throw new IllegalArgumentException("Expected logits with " + numClasses
                        + " classes, but got " + logits.k());
            }
            return add(logits.softmax(), labels);
        }

        void addRows(double[] v, int[] labels, int from, int to) {
            for (int i = from; i < to; i++) {
                addRow(v, labels, i);
            }
        }

        /** Adds rows {@code idx} (a bootstrap resample) of {@code v} in that order, without copying them. */
        Accumulator addRowsAt(double[] v, int[] labels, int[] idx) {
            for (int i : idx) {
                addRow(v, labels, i);
            }
            return this;
        }

        /**
         * Adds row i of {@code v} {@code times[i]} times, for every row (a bootstrap resample by
         * its multiplicities): the sums are exact, so this equals adding the rows one draw at a
         * time in any order, bit for bit.
         */
        Accumulator addRowsTimes(double[] v, int[] labels, int[] times) {
            int k = numClasses;
            for (int i = 0; i < times.length; i++) {
                long t = times[i];
                if (t == 0) {
                    continue;
                }
                if (t < 0 || t > MAX_TIMES) {
                    throw new IllegalArgumentException("Expected a multiplicity in [0, " + MAX_TIMES + "], but got "
                            + t + " at row " + i);
                }
                int off = i * k;
                for (int j = 0; j < k; j++) {
                    double pj = v[off + j];
                    cells.addTimes(j * numBins + ReliabilityBins.binOf(pj, numBins), pj, labels[i] == j, t);
                }
            }
            return this;
        }

        private void addRow(double[] v, int[] labels, int i) {
            int k = numClasses;
            int off = i * k;
            for (int j = 0; j < k; j++) {
                double pj = v[off + j];
                cells.add(j * numBins + ReliabilityBins.binOf(pj, numBins), pj, labels[i] == j);
            }
        }

        /** Adds the other accumulator into this one (same classes and bins). */
        public Accumulator merge(Accumulator other) {
            if (other.numClasses != numClasses || other.numBins != numBins) {
                throw new IllegalArgumentException("Cannot merge classwise accumulators of " + numClasses + " x "
                        + numBins + " and " + other.numClasses + " x " + other.numBins + " (classes x bins)");
            }
            cells.merge(other.cells);
            return this;
        }

        /**
         * Adds the other accumulator into this one {@code times} times (in [0, 2<sup>21</sup>];
         * same classes and bins): a weighted merge, as if each of its rows had been added that often.
         */
        public Accumulator mergeTimes(Accumulator other, long times) {
            if (other.numClasses != numClasses || other.numBins != numBins) {
                throw new IllegalArgumentException("Cannot merge classwise accumulators of " + numClasses + " x "
                        + numBins + " and " + other.numClasses + " x " + other.numBins + " (classes x bins)");
            }
            cells.mergeTimes(other.cells, times);
            return this;
        }

        /**
         * Adds row {@code row} of the probabilities {@code p} (its label {@code labels[row]}), one
         * row of a chunk at a time (for accumulators that each take some rows of a chunk).
         */
        public Accumulator addRow(Probabilities p, int[] labels, int row) {
            if (p.k() != numClasses) {
                throw new IllegalArgumentException("Expected probabilities with " + numClasses
                        + " classes, but got " + p.k());
            }
            int y = labels[row];
            if (y < 0 || y >= numClasses) {
                throw new IllegalArgumentException("Expected a label in [0, " + numClasses + "), but got " + y
                        + " at row " + row);
            }
            addRow(p.raw(), labels, row);
            return this;
        }

        /** An immutable snapshot. */
        public ClasswiseBins toBins() {
            return cells.snapshot((counts, sums, hits) -> new ClasswiseBins(numClasses, numBins, counts, sums, hits));
        }
    }
}
