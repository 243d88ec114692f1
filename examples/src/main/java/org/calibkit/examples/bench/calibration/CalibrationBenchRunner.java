package org.calibkit.examples.bench.calibration;

import org.calibkit.examples.bench.JmhTargets;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link CalibrationBenchmarks} through {@link JmhTargets} and prints one line per benchmark against
 * its target (the {@link org.calibkit.examples.bench.TargetMs} on the method). Arguments:
 * {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all).
 */
public final class CalibrationBenchRunner {
    private CalibrationBenchRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhTargets.run(CalibrationBenchmarks.class, "bench-calibration.txt", args);
    }
}
