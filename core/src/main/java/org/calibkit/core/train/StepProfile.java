package org.calibkit.core.train;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * TensorFlow's own per-op timings of a few training steps (RunOptions FULL_TRACE), summed by op
 * type, for the "where the time goes" section of docs/training.md. Switched on for benchmarks
 * only, by the system property {@code calibkit.cnn.profileSteps} (the number of steps to trace,
 * after 20 warm-up steps); it never changes what is computed.
 */
final class StepProfile {
    /** The options of a traced step. */
    static final RunOptions TRACE = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    private static final int WARMUP = 20;

    private final Graph graph;
    private final int steps;
    private final Map<String, Long> microsByType = new HashMap<>();
    private long wallMicros;
    private int traced;

    private StepProfile(Graph graph, int steps) {
        this.graph = graph;
        this.steps = steps;
    }

    /** A profile of {@code Integer.getInteger("calibkit.cnn.profileSteps")} steps, or null when unset. */
    static StepProfile fromSystemProperty(Graph graph) {
        int n = Integer.getInteger("calibkit.cnn.profileSteps", 0);
        return n > 0 ? new StepProfile(graph, n) : null;
    }

    /** Whether step {@code step} (counted from 0 over the whole run) is one to trace. */
    boolean traces(int step) {
        return step >= WARMUP && step < WARMUP + steps;
    }

    /** Adds one traced step's metadata and its wall time. */
    void add(RunMetadata metadata, long wallNanos) {
        wallMicros += wallNanos / 1000;
        traced++;
        for (DeviceStepStats d : metadata.getStepStats().getDevStatsList()) {
            for (NodeExecStats s : d.getNodeStatsList()) {
                microsByType.merge(type(s), s.getAllEndRelMicros(), Long::sum);
            }
        }
    }

    /**
     * The op type as TensorFlow ran it: the timeline label reads {@code name = Type(inputs)}; a
     * fused op (e.g. _FusedConv2D) keeps the name of a node it replaced, so the graph's type of
     * that name would be wrong.
     */
    private String type(NodeExecStats s) {
        String label = s.getTimelineLabel();
        int eq = label.indexOf(" = ");
        int paren = label.indexOf('(', eq + 3);
        if (eq >= 0 && paren > eq) {
            return label.substring(eq + 3, paren);
        }
        GraphOperation op = graph.operation(s.getNodeName());
        return op == null ? s.getNodeName() : op.type();
    }

    /** Logs the op types by their share of the summed op time, once all steps were traced. */
    void report(Consumer<String> log) {
        if (traced == 0) {
            return;
        }
        long total = microsByType.values().stream().mapToLong(Long::longValue).sum();
        log.accept(String.format(Locale.ROOT, "cnn profile: %d steps, %.1f ms wall per step, %.1f ms op time per step (ops overlap on several threads)",
                traced, wallMicros / 1000.0 / traced, total / 1000.0 / traced));
        microsByType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(e -> log.accept(String.format(Locale.ROOT, "cnn profile: %-32s %7.2f ms/step %5.1f%%",
                        e.getKey(), e.getValue() / 1000.0 / traced, 100.0 * e.getValue() / total)));
    }
}
