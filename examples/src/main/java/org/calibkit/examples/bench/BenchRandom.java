package org.calibkit.examples.bench;

import java.util.SplittableRandom;

/** Seeded draws the synthetic benchmark data share. */
public final class BenchRandom {
    private BenchRandom() {
    }

    /** A standard normal draw by Box-Muller (SplittableRandom has no nextGaussian in Java 17). */
    public static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Fills one row of k values given its label. */
    @FunctionalInterface
    public interface Row {
        void fill(SplittableRandom r, int label, double[] values, int offset, int k);
    }

    /**
     * n x k values, row-major: for each row a label uniform in [0, k) (written to {@code labelsOut}),
     * then {@code row} fills the row from the same generator, in row order (the same draws as a loop
     * that does both).
     */
    public static double[] labelledRows(int n, int k, long seed, int[] labelsOut, Row row) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * k];
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(k);
            labelsOut[i] = y;
            row.fill(r, y, v, i * k, k);
        }
        return v;
    }
}
