package org.calibkit.calibration;

/**
 * Exact sums of values in [0, 1], one per slot, in fixed point: each value is split into 24 high
 * and 40 low bits, added as integers with the low part carried into the high one, so adding in
 * any order, in chunks or merged from parallel parts gives the same sum bit for bit. The
 * truncation error is below 2<sup>-64</sup> per value; a slot holds up to 2<sup>39</sup> values.
 * What {@link BinCells}, the cells of {@link ReliabilityBins} and
 * {@link org.calibkit.calibration.metrics.ClasswiseBins}, sum their confidences and probabilities with.
 */
public final class ExactSums {
    private static final double HI_SCALE = 0x1p24;
    private static final double LO_SCALE = 0x1p40;
    private static final long LO_CARRY_LIMIT = 1L << 62;
    private static final long LO_MASK = (1L << 40) - 1;

    private final long[] hi;
    private final long[] lo;

    /** {@code size} slots, all 0. */
    public ExactSums(int size) {
        hi = new long[size];
        lo = new long[size];
    }

    /** Number of slots. */
    public int size() {
        return hi.length;
    }

    /** Adds {@code v} (in [0, 1]) to slot {@code slot}. */
    public void add(int slot, double v) {
        addTimes(slot, v, 1);
    }

    /** Adds {@code v} (in [0, 1]) {@code times} times (at most 2<sup>21</sup>, so t * low bits stays below 2<sup>61</sup>). */
    public void addTimes(int slot, double v, long times) {
        double scaled = v * HI_SCALE;
        long h = (long) scaled;
        hi[slot] += times * h;
        long l = lo[slot] + times * (long) ((scaled - h) * LO_SCALE);
        if (l >= LO_CARRY_LIMIT) {
            hi[slot] += l >>> 40;
            l &= LO_MASK;
        }
        lo[slot] = l;
    }

    /** Adds the other sums slot by slot (same size, checked by the caller). */
    public void merge(ExactSums other) {
        for (int s = 0; s < hi.length; s++) {
            hi[s] += other.hi[s] + (other.lo[s] >>> 40);
            long l = lo[s] + (other.lo[s] & LO_MASK);
            hi[s] += l >>> 40;
            lo[s] = l & LO_MASK;
        }
    }

    /**
     * Adds the other sums {@code times} times slot by slot (same size, checked by the caller;
     * {@code times} in [0, 2<sup>21</sup>]): exactly what adding each of its values that often gives.
     */
    public void mergeTimes(ExactSums other, long times) {
        if (times < 0 || times > 1L << 21) {
            throw new IllegalArgumentException("Expected a multiplicity in [0, 2^21], but got " + times);
        }
        for (int s = 0; s < hi.length; s++) {
            hi[s] += times * (other.hi[s] + (other.lo[s] >>> 40));
            long l = lo[s] + times * (other.lo[s] & LO_MASK);
            hi[s] += l >>> 40;
            lo[s] = l & LO_MASK;
        }
    }

    /** The sums as doubles (a fresh array). */
    public double[] toDoubles() {
        double[] sums = new double[hi.length];
        for (int s = 0; s < sums.length; s++) {
            long h = hi[s] + (lo[s] >>> 40);
            long l = lo[s] & LO_MASK;
            sums[s] = h / HI_SCALE + l / (HI_SCALE * LO_SCALE);
        }
        return sums;
    }
}
