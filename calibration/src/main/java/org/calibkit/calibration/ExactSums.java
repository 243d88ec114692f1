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

    /** Per slot its high part, then its low part. */
    private final long[] parts;

    /** {@code size} slots, all 0. */
    public ExactSums(int size) {
        parts = new long[Math.multiplyExact(size, 2)];
    }

    /** Number of slots. */
    public int size() {
        return parts.length / 2;
    }

    /** Adds {@code v} (in [0, 1]) to slot {@code slot}. */
    public void add(int slot, double v) {
        addTimes(parts, 2 * slot, v, 1);
    }

    /** Adds {@code v} (in [0, 1]) {@code times} times (at most 2<sup>21</sup>, so t * low bits stays below 2<sup>61</sup>). */
    public void addTimes(int slot, double v, long times) {
        addTimes(parts, 2 * slot, v, times);
    }

    /** Adds the other sums slot by slot (same size, checked by the caller). */
    public void merge(ExactSums other) {
        for (int at = 0; at < parts.length; at += 2) {
            merge(parts, at, other.parts, at);
        }
    }

    /**
     * Adds the other sums {@code times} times slot by slot (same size, checked by the caller;
     * {@code times} in [0, 2<sup>21</sup>]): exactly what adding each of its values that often gives.
     */
    public void mergeTimes(ExactSums other, long times) {
        checkTimes(times);
        for (int at = 0; at < parts.length; at += 2) {
            mergeTimes(parts, at, other.parts, at, times);
        }
    }

    /** The sums as doubles (a fresh array). */
    public double[] toDoubles() {
        double[] sums = new double[size()];
        for (int s = 0; s < sums.length; s++) {
            sums[s] = toDouble(parts, 2 * s);
        }
        return sums;
    }

    // The arithmetic on one sum held at a[at] (high part) and a[at + 1] (low part): also what
    // BinCells runs on its interleaved cells.

    /** Adds {@code v} (in [0, 1]) {@code times} times to the sum at {@code a[at]}. */
    static void addTimes(long[] a, int at, double v, long times) {
        double scaled = v * HI_SCALE;
        long h = (long) scaled;
        a[at] += times * h;
        long l = a[at + 1] + times * (long) ((scaled - h) * LO_SCALE);
        if (l >= LO_CARRY_LIMIT) {
            a[at] += l >>> 40;
            l &= LO_MASK;
        }
        a[at + 1] = l;
    }

    /** Adds the sum at {@code o[oat]} to the one at {@code a[at]}. */
    static void merge(long[] a, int at, long[] o, int oat) {
        a[at] += o[oat] + (o[oat + 1] >>> 40);
        long l = a[at + 1] + (o[oat + 1] & LO_MASK);
        a[at] += l >>> 40;
        a[at + 1] = l & LO_MASK;
    }

    /** Adds the sum at {@code o[oat]} {@code times} times to the one at {@code a[at]} ({@link #checkTimes} first). */
    static void mergeTimes(long[] a, int at, long[] o, int oat, long times) {
        a[at] += times * (o[oat] + (o[oat + 1] >>> 40));
        long l = a[at + 1] + times * (o[oat + 1] & LO_MASK);
        a[at] += l >>> 40;
        a[at + 1] = l & LO_MASK;
    }

    /** A multiplicity of a weighted merge: in [0, 2<sup>21</sup>]. */
    static void checkTimes(long times) {
        if (times < 0 || times > 1L << 21) {
            throw new IllegalArgumentException("Expected a multiplicity in [0, 2^21], but got " + times);
        }
    }

    /** The sum at {@code a[at]}, rounded once. */
    static double toDouble(long[] a, int at) {
        long h = a[at] + (a[at + 1] >>> 40);
        long l = a[at + 1] & LO_MASK;
        return h / HI_SCALE + l / (HI_SCALE * LO_SCALE);
    }
}
