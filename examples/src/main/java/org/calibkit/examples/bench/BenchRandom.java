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
}
