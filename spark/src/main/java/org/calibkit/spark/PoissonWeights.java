package org.calibkit.spark;

/**
 * Seeded Poisson(1) bootstrap weights per row (the "Poisson bootstrap" of Hanley and MacGibbon
 * 2006; Chamandy et al. 2012, "Estimating uncertainty for massive data streams", Google): the
 * weight of row {@code id} in replicate {@code r} is a pure function of (seed, id, r), so it does
 * not depend on partitioning, row order or the engine. Unlike the multinomial bootstrap, the
 * replicate size is random (mean n, variance n) rather than exactly n; for large n the two agree
 * to first order. The uniform comes from SplitMix64 (Steele, Lea and Flood 2014) of the three
 * keys, and is turned into a count by inverting the Poisson(1) distribution function.
 */
public final class PoissonWeights {
    private static final double[] CDF = new double[20];

    static {
        double p = Math.exp(-1);
        double c = 0;
        for (int k = 0; k < CDF.length; k++) {
            c += p;
            CDF[k] = c;
            p /= k + 1;
        }
    }

    private PoissonWeights() {
    }

    /** The Poisson(1) weight of row {@code id} in replicate {@code replicate} for {@code seed}. */
    public static int weight(long seed, long id, int replicate) {
        long h = mix(mix(seed ^ 0x9E3779B97F4A7C15L) ^ id);
        h = mix(h ^ (replicate * 0xD1B54A32D192ED03L));
        double u = (h >>> 11) * 0x1.0p-53;
        int k = 0;
        while (k < CDF.length - 1 && u >= CDF[k]) {
            k++;
        }
        return k;
    }

    /**
     * The bootstrap bucket, in [0, buckets), of row {@code id} for {@code seed}: a pure function of
     * the two, independent of {@link #weight}'s stream (another key), uniform by multiply-shift
     * of 32 hashed bits.
     */
    public static int bucket(long seed, long id, int buckets) {
        long h = mix(mix(seed ^ 0xC2B2AE3D27D4EB4FL) ^ id);
        return (int) (((h >>> 32) * buckets) >>> 32);
    }

    /**
     * A uniform draw in [0, 1) for row {@code id} and {@code seed}: a pure function of the two (53
     * hashed bits), on a stream of its own (another key than {@link #weight}'s and
     * {@link #bucket}'s). The randomised conformal scores of a log take it as a row's u.
     */
    public static double uniform(long seed, long id) {
        long h = mix(mix(seed ^ 0x165667B19E3779F9L) ^ id);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
