package org.calibkit.calibration;

/**
 * The cells of a binned accumulator: per cell the number of values added, their exact sum
 * ({@link ExactSums}, so merging in any order gives the same doubles) and how many were hits
 * (correct predictions, positives of a class). What the reliability and classwise accumulators
 * keep. Not thread-safe.
 */
public final class BinCells {
    private final long[] counts;
    private final ExactSums sums;
    private final long[] hits;

    /** {@code size} empty cells. */
    public BinCells(int size) {
        this.counts = new long[size];
        this.sums = new ExactSums(size);
        this.hits = new long[size];
    }

    /** The number of cells. */
    public int size() {
        return counts.length;
    }

    /** Adds {@code v} to {@code cell}, a hit when {@code hit}. */
    public void add(int cell, double v, boolean hit) {
        counts[cell]++;
        sums.add(cell, v);
        if (hit) {
            hits[cell]++;
        }
    }

    /** Adds {@code v} to {@code cell} {@code times} times, as many hits when {@code hit}. */
    public void addTimes(int cell, double v, boolean hit, long times) {
        counts[cell] += times;
        sums.addTimes(cell, v, times);
        if (hit) {
            hits[cell] += times;
        }
    }

    /** Adds the other cells into these (the same number of cells; the caller checks it with its own message). */
    public void merge(BinCells other) {
        for (int c = 0; c < counts.length; c++) {
            counts[c] += other.counts[c];
            hits[c] += other.hits[c];
        }
        sums.merge(other.sums);
    }

    /** Adds the other cells into these {@code times} times (a weighted merge; same number of cells). */
    public void mergeTimes(BinCells other, long times) {
        for (int c = 0; c < counts.length; c++) {
            counts[c] += times * other.counts[c];
            hits[c] += times * other.hits[c];
        }
        sums.mergeTimes(other.sums, times);
    }

    /** Makes an immutable snapshot of the cells. */
    public interface Snapshot<T> {
        /** The snapshot of copies of the counts, the sums (each rounded once to a double) and the hits. */
        T of(long[] counts, double[] sums, long[] hits);
    }

    /** {@code snapshot} of copies of the cells' counts, sums and hits. */
    public <T> T snapshot(Snapshot<T> snapshot) {
        return snapshot.of(counts.clone(), sums.toDoubles(), hits.clone());
    }
}
