package org.calibkit.calibration;

/**
 * The cells of a binned accumulator: per cell the number of values added, their exact sum
 * ({@link ExactSums}, so merging in any order gives the same doubles) and how many were hits
 * (correct predictions, positives of a class). What the reliability and classwise accumulators
 * keep. Not thread-safe.
 */
public final class BinCells {
    /** Per cell, side by side (one cache line holds two cells): count, the exact sum (high, low part), hits. */
    private static final int COUNT = 0;
    private static final int HI = 1;
    private static final int HITS = 3;
    private static final int STRIDE = 4;

    /**
     * The cells, {@link #STRIDE} longs each. The sums are {@link ExactSums}' fixed point, by its
     * arithmetic on this interleaved layout: a row of K classes touches K cells,
     * each one cache line instead of four arrays' (the bootstrap's per-bucket bins are larger
     * than the cache).
     */
    private final long[] cells;

    /** {@code size} empty cells. */
    public BinCells(int size) {
        this.cells = new long[Math.multiplyExact(size, STRIDE)];
    }

    /** The number of cells. */
    public int size() {
        return cells.length / STRIDE;
    }

    /** Adds {@code v} to {@code cell}, a hit when {@code hit}. */
    public void add(int cell, double v, boolean hit) {
        addTimes(cell, v, hit, 1);
    }

    /** Adds {@code v} to {@code cell} {@code times} times, as many hits when {@code hit}. */
    public void addTimes(int cell, double v, boolean hit, long times) {
        int at = cell * STRIDE;
        cells[at + COUNT] += times;
        ExactSums.addTimes(cells, at + HI, v, times);
        if (hit) {
            cells[at + HITS] += times;
        }
    }

    /** Adds the other cells into these (the same number of cells; the caller checks it with its own message). */
    public void merge(BinCells other) {
        long[] o = other.cells;
        for (int at = 0; at < cells.length; at += STRIDE) {
            cells[at + COUNT] += o[at + COUNT];
            cells[at + HITS] += o[at + HITS];
            ExactSums.merge(cells, at + HI, o, at + HI);
        }
    }

    /** Adds the other cells into these {@code times} times (a weighted merge; same number of cells). */
    public void mergeTimes(BinCells other, long times) {
        ExactSums.checkTimes(times);
        long[] o = other.cells;
        for (int at = 0; at < cells.length; at += STRIDE) {
            cells[at + COUNT] += times * o[at + COUNT];
            cells[at + HITS] += times * o[at + HITS];
            ExactSums.mergeTimes(cells, at + HI, o, at + HI, times);
        }
    }

    /** Makes an immutable snapshot of the cells. */
    public interface Snapshot<T> {
        /** The snapshot of copies of the counts, the sums (each rounded once to a double) and the hits. */
        T of(long[] counts, double[] sums, long[] hits);
    }

    /** {@code snapshot} of copies of the cells' counts, sums and hits. */
    public <T> T snapshot(Snapshot<T> snapshot) {
        int size = size();
        long[] counts = new long[size];
        double[] sums = new double[size];
        long[] hits = new long[size];
        for (int c = 0; c < size; c++) {
            int at = c * STRIDE;
            counts[c] = cells[at + COUNT];
            sums[c] = ExactSums.toDouble(cells, at + HI);
            hits[c] = cells[at + HITS];
        }
        return snapshot.of(counts, sums, hits);
    }
}
