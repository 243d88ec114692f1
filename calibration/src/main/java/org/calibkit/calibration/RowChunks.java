package org.calibkit.calibration;

import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Splits rows {@code [0, n)} into fixed chunks of {@code chunk} rows and runs a kernel on each,
 * on the common fork/join pool when there is more than one chunk. The chunks depend only on n
 * and the chunk size, never on the number of threads, and {@link #map} returns the per-chunk
 * results in chunk order; a kernel that writes only its own rows, or whose per-chunk results
 * are merged in that order (or exactly, see {@link ExactSums}), gives the same numbers on any
 * number of cores.
 */
public final class RowChunks {
    private RowChunks() {
    }

    /** A kernel over rows {@code [from, to)}. */
    public interface Rows {
        void run(int from, int to);
    }

    /** A kernel over rows {@code [from, to)} with a result. */
    public interface RowsTo<T> {
        T run(int from, int to);
    }

    /** Rows per chunk for a kernel costing about {@code k} exps per row: about 2<sup>13</sup> values a chunk. */
    public static int rowsPerChunk(int k) {
        return Math.max(1, (1 << 13) / Math.max(1, k));
    }

    /** Runs {@code body} on every chunk (in parallel when there are several). */
    public static void forEach(int n, int chunk, Rows body) {
        int chunks = count(n, chunk);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
    }

    /** The results of {@code body} on every chunk, in chunk order (computed in parallel when there are several). */
    public static <T> T[] map(int n, int chunk, RowsTo<T> body, IntFunction<T[]> array) {
        int chunks = count(n, chunk);
        IntStream range = IntStream.range(0, chunks);
        if (chunks > 1) {
            range = range.parallel();
        }
        return range.mapToObj(c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk))).toArray(array);
    }

    private static int count(int n, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("Expected a chunk of at least one row, but got " + chunk);
        }
        return (int) ((n + (long) chunk - 1) / chunk);
    }
}
