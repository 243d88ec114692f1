package org.calibkit.examples.bench.stats;

import org.calibkit.examples.bench.JmhTargets;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link StatsBenchmarks} through {@link JmhTargets} and prints one line per benchmark against
 * its target (the {@link org.calibkit.examples.bench.TargetMs} on the method). Arguments:
 * {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all).
 */
public final class StatsBenchRunner {
    private StatsBenchRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhTargets.run(StatsBenchmarks.class, "bench-stats.txt", args);
    }
}
