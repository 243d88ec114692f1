package org.calibkit.examples.bench.stats;

import java.util.LinkedHashMap;
import java.util.Map;

import org.calibkit.examples.bench.JmhTargets;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link StatsBenchmarks} through {@link JmhTargets} and prints one line per benchmark against
 * its target. Arguments: {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all).
 */
public final class StatsBenchRunner {
    /** Target per benchmark method, in milliseconds (issue 10, on 2 cores). */
    static final Map<String, Double> TARGETS_MS = new LinkedHashMap<>();

    static {
        TARGETS_MS.put("conformalLac5kFit10kSets", 10.0);
        TARGETS_MS.put("conformalAps5kFit10kSets", 10.0);
        TARGETS_MS.put("conformalRaps5kFit10kSets", 10.0);
        TARGETS_MS.put("aurc1M", 150.0);
        TARGETS_MS.put("everyPValue10k", 20.0);
    }

    private StatsBenchRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhTargets.run(StatsBenchmarks.class, TARGETS_MS, "bench-stats.txt", args);
    }
}
