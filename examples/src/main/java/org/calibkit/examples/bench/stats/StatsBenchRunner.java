package org.calibkit.examples.bench.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link StatsBenchmarks} with modest iterations and prints one line per benchmark:
 * measured mean (ms, with JMH's 99.9% error), target, pass or fail, and the machine's load.
 * Arguments: {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all).
 * Exit code 0 even when a target is missed: the numbers are the output, not a gate.
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

    public static void main(String[] args) throws RunnerException, IOException {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String include = args.length > 2 ? args[2] : StatsBenchmarks.class.getName() + ".*";
        double loadBefore = load();
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx3g", "-XX:+UseParallelGC")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        double loadAfter = load();

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-26s %22s %10s  %s", "benchmark", "measured (ms)", "target", "result"));
        for (RunResult rr : results) {
            String method = rr.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            Result<?> r = rr.getPrimaryResult();
            double ms = r.getScore();
            double err = r.getScoreError();
            Double target = TARGETS_MS.get(method);
            String verdict = target == null ? "-" : (ms <= target ? "PASS" : "FAIL");
            lines.add(String.format(Locale.ROOT, "%-26s %12.3f +- %7.3f %10s  %s", method, ms,
                    Double.isNaN(err) ? 0 : err, target == null ? "-" : fmt(target), verdict));
        }
        lines.add(String.format(Locale.ROOT, "cores %d, load average %.2f before / %.2f after (1 min)",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        System.out.println();
        lines.forEach(System.out::println);
        Path report = Path.of("target", "bench-stats.txt");
        try {
            Files.createDirectories(report.getParent());
            Files.write(report, lines);
            System.out.println("(also written to " + report.toAbsolutePath() + ")");
        } catch (IOException e) {
            System.err.println("could not write " + report + ": " + e.getMessage());
        }
    }

    private static String fmt(double ms) {
        return ms == Math.rint(ms) ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
