package org.calibkit.examples.bench.calibration;

import java.util.LinkedHashMap;
import java.util.Map;

import org.calibkit.examples.bench.JmhTargets;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link CalibrationBenchmarks} through {@link JmhTargets} and prints one line per benchmark against
 * its target. Arguments: {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all).
 */
public final class CalibrationBenchRunner {
    /** Target per benchmark method, in milliseconds (issue 4, on 2 cores). */
    static final Map<String, Double> TARGETS_MS = new LinkedHashMap<>();

    static {
        TARGETS_MS.put("temperatureFit10k", 5.0);
        TARGETS_MS.put("ece15From1MLogits", 60.0);
        TARGETS_MS.put("eceEqualMass1M", 200.0);
        TARGETS_MS.put("bootstrapEce1000x10k", 1000.0);
        TARGETS_MS.put("auroc1M", 300.0);
    }

    private CalibrationBenchRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhTargets.run(CalibrationBenchmarks.class, TARGETS_MS, "bench-calibration.txt", args);
    }
}
