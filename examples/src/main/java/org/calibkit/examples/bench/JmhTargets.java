package org.calibkit.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 * Runs a class of JMH benchmarks with modest iterations and prints one line per benchmark:
 * measured mean (ms, with JMH's 99.9% error), target, pass or fail, and the machine's load; the
 * same lines go to {@code target/<report>}. Arguments of the mains that call it:
 * {@code [warmupIterations] [measurementIterations] [regex]} (defaults 3, 5, all). Exit code 0
 * even when a target is missed: the numbers are the output, not a gate.
 */
public final class JmhTargets {
    private JmhTargets() {
    }

    /**
     * @param benchmarks the class holding the {@code @Benchmark} methods, each target given by {@link TargetMs}
     * @param report     file name under {@code target/} for the lines
     * @param args       the main's arguments
     */
    public static void run(Class<?> benchmarks, String report, String[] args) throws RunnerException {
        Map<String, Double> targetsMs = new HashMap<>();
        for (Method m : benchmarks.getMethods()) {
            TargetMs t = m.getAnnotation(TargetMs.class);
            if (t != null) {
                targetsMs.put(m.getName(), t.value());
            }
        }
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String include = args.length > 2 ? args[2] : benchmarks.getName() + ".*";
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

        int width = Math.max(22, targetsMs.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-" + width + "s %22s %10s  %s", "benchmark", "measured (ms)", "target", "result"));
        for (RunResult rr : results) {
            String method = rr.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            Result<?> r = rr.getPrimaryResult();
            double ms = r.getScore();
            double err = r.getScoreError();
            Double target = targetsMs.get(method);
            String verdict = target == null ? "-" : (ms <= target ? "PASS" : "FAIL");
            lines.add(String.format(Locale.ROOT, "%-" + width + "s %12.3f +- %7.3f %10s  %s", method, ms,
                    Double.isNaN(err) ? 0 : err, target == null ? "-" : fmt(target), verdict));
        }
        lines.add(String.format(Locale.ROOT, "cores %d, load average %.2f before / %.2f after (1 min)",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        System.out.println();
        lines.forEach(System.out::println);
        Path file = Path.of("target", report);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
            System.out.println("(also written to " + file.toAbsolutePath() + ")");
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e.getMessage());
        }
    }

    private static String fmt(double ms) {
        return ms == Math.rint(ms) ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
