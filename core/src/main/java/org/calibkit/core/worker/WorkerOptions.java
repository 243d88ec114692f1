package org.calibkit.core.worker;

import org.calibkit.core.Messages;
import java.time.Duration;
import java.util.Objects;

import org.calibkit.core.CalibkitException;

/**
 * Where a model file runs and with what limits. {@link Isolation#WORKER} (the default) runs it
 * in a child JVM with a heap of {@code heapMegabytes}, a resident memory of at most
 * {@code memoryMegabytes} (Java heap and whatever the native engine allocates, read from
 * {@code /proc}) and at most {@code timeout} per request (opening the model, or one batch of
 * logits); {@link Isolation#IN_PROCESS} runs it in this JVM, for models you trust (a native crash
 * then ends calibkit too).
 *
 * @param isolation       worker or in process
 * @param heapMegabytes   the worker's maximum Java heap, 64 .. 1048576 MB
 * @param memoryMegabytes the worker's largest resident set (heap, native allocations, code), 256 .. 16777216 MB
 * @param timeout         the longest one request may take, 1 s .. 24 h
 */
public record WorkerOptions(Isolation isolation, int heapMegabytes, int memoryMegabytes, Duration timeout) {
    /** System property set by {@code --in-process}: run models in this JVM. */
    public static final String IN_PROCESS_PROPERTY = "calibkit.in-process";

    /** Where native inference runs. */
    public enum Isolation {
        /** In a child JVM: a native crash is reported, not shared. */
        WORKER,
        /** In this JVM: no start-up cost, no protection. */
        IN_PROCESS
    }

    public WorkerOptions {
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(timeout, "timeout");
        if (heapMegabytes < 64 || heapMegabytes > (1 << 20)) {
            throw new CalibkitException("worker heap must be 64 .. 1048576 MB, but got " + heapMegabytes);
        }
        if (memoryMegabytes < 256 || memoryMegabytes > (1 << 24)) {
            throw new CalibkitException("worker memory limit must be 256 .. 16777216 MB, but got " + memoryMegabytes);
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new CalibkitException("worker time limit must be 1 s .. 24 h, but got " + timeout.toSeconds() + " s");
        }
    }

    /**
     * A worker with a 2048 MB heap, resident memory up to half of this machine's physical memory
     * but no more than 8192 MB (and at least 3072 MB), and 30 minutes per request.
     */
    public static WorkerOptions defaults() {
        return new WorkerOptions(Isolation.WORKER, 2048, defaultMemoryMegabytes(), Duration.ofMinutes(30));
    }

    /**
     * Half the physical memory in MB, capped at 8192 (an image classifier's inference needs a few GB
     * at most; a model that wants more is more likely hostile or broken than large) and at least 3072
     * (the default heap and an engine).
     */
    static int defaultMemoryMegabytes() {
        long bytes = 0;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            bytes = os.getTotalMemorySize();
        }
        long mb = bytes / 2 >> 20;
        return (int) Math.max(3072, Math.min(mb, 8192));
    }

    /**
     * {@link #defaults()} changed by the environment: {@code CALIBKIT_WORKER_HEAP_MB},
     * {@code CALIBKIT_WORKER_MEMORY_MB}, {@code CALIBKIT_WORKER_TIMEOUT_S}, and in process when {@code CALIBKIT_IN_PROCESS=1} or the
     * system property {@value #IN_PROCESS_PROPERTY} is {@code true} (what {@code --in-process} sets).
     *
     * @throws CalibkitException naming the variable when a value is not a number in range
     */
    public static WorkerOptions fromEnvironment() {
        WorkerOptions o = defaults();
        String heap = System.getenv("CALIBKIT_WORKER_HEAP_MB");
        if (heap != null && !heap.isBlank()) {
            o = o.withHeapMegabytes(number("CALIBKIT_WORKER_HEAP_MB", heap, 64, 1 << 20));
        }
        String mem = System.getenv("CALIBKIT_WORKER_MEMORY_MB");
        if (mem != null && !mem.isBlank()) {
            o = o.withMemoryMegabytes(number("CALIBKIT_WORKER_MEMORY_MB", mem, 256, 1 << 24));
        }
        String t = System.getenv("CALIBKIT_WORKER_TIMEOUT_S");
        if (t != null && !t.isBlank()) {
            o = o.withTimeout(Duration.ofSeconds(number("CALIBKIT_WORKER_TIMEOUT_S", t, 1, 24 * 3600)));
        }
        if ("1".equals(System.getenv("CALIBKIT_IN_PROCESS")) || Boolean.getBoolean(IN_PROCESS_PROPERTY)) {
            o = o.withIsolation(Isolation.IN_PROCESS);
        }
        return o;
    }

    private static int number(String name, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CalibkitException(name + " must be a whole number, but got '" + Messages.printable(value) + "'");
        }
        if (v < min || v > max) {
            throw new CalibkitException(name + " must be " + min + " .. " + max + ", but got " + v);
        }
        return v;
    }

    /** These options run in another place. */
    public WorkerOptions withIsolation(Isolation i) {
        return new WorkerOptions(i, heapMegabytes, memoryMegabytes, timeout);
    }

    /** These options with another worker heap. */
    public WorkerOptions withHeapMegabytes(int mb) {
        return new WorkerOptions(isolation, mb, memoryMegabytes, timeout);
    }

    /** These options with another limit on the worker's resident memory. */
    public WorkerOptions withMemoryMegabytes(int mb) {
        return new WorkerOptions(isolation, heapMegabytes, mb, timeout);
    }

    /** These options with another time limit per request. */
    public WorkerOptions withTimeout(Duration t) {
        return new WorkerOptions(isolation, heapMegabytes, memoryMegabytes, t);
    }
}
