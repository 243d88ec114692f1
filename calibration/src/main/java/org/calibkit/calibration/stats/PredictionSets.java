package org.calibkit.calibration.stats;

import java.util.Objects;

/**
 * Conformal prediction sets, one per row: which of the K classes each set contains. Immutable.
 */
public final class PredictionSets {
    private final boolean[] member;   // n * k, row-major
    private final int[] sizes;
    private final int k;

    PredictionSets(boolean[] member, int[] sizes, int k) {
        this.member = member;
        this.sizes = sizes;
        this.k = k;
    }

    /** Number of rows. */
    public int n() { return sizes.length; }

    /** Number of classes K. */
    public int k() { return k; }

    /** Whether row i's set contains class j. */
    public boolean contains(int i, int j) {
        Objects.checkIndex(i, sizes.length);
        Objects.checkIndex(j, k);
        return member[i * k + j];
    }

    /** Size of row i's set, in [0, K]. */
    public int size(int i) { return sizes[i]; }

    /** Set sizes per row (a copy). */
    public int[] sizes() { return sizes.clone(); }

    /** The classes in row i's set, in increasing order. */
    public int[] classes(int i) {
        Objects.checkIndex(i, sizes.length);
        int[] out = new int[sizes[i]];
        int w = 0;
        for (int j = 0; j < k; j++) {
            if (member[i * k + j]) {
                out[w++] = j;
            }
        }
        return out;
    }

    /** Mean set size. */
    public double meanSize() {
        long s = 0;
        for (int v : sizes) {
            s += v;
        }
        return (double) s / sizes.length;
    }

    /** Number of rows with each set size 0..K (index = size). */
    public long[] sizeHistogram() {
        long[] h = new long[k + 1];
        for (int v : sizes) {
            h[v]++;
        }
        return h;
    }
}
