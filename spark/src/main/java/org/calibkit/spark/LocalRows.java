package org.calibkit.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A prediction log's validated rows held in memory on one machine (8 x K + 12 bytes a row: 10
 * million rows of 10 classes take 920 MB), folded in a few contiguous partitions on the machine's
 * cores: what {@link DuckDbPredictionLog#fold} runs on after reading the log once (in parts, side by
 * side: {@link #region}).
 */
final class LocalRows {
    /** Fewest rows a partition gets (a fold's empty state can be large: a partition per core, not per block). */
    private static final int MIN_PARTITION = 1 << 15;

    private final int k;
    private final long[] ids;
    private final int[] labels;
    private final double[] outputs;

    /**
     * Room for {@code rows} rows (the log's count: the arrays are allocated once, never grown).
     *
     * @throws PredictionLogException when that many rows do not fit Java arrays
     */
    LocalRows(int k, long rows) {
        if (rows * k > Integer.MAX_VALUE - 8) {
            throw new PredictionLogException(rows + " rows of " + k + " classes do not fit one array; "
                    + "audit a log this large on Spark (--engine spark)");
        }
        this.k = k;
        this.ids = new long[(int) rows];
        this.labels = new int[(int) rows];
        this.outputs = new double[(int) rows * k];
    }

    /** The memory {@code rows} rows of {@code k} classes take here. */
    static long bytes(long rows, int k) {
        return rows * (8L * k + 12);
    }

    /**
     * A sink that writes rows {@code from, from + 1, ...} up to {@code to} (exclusive): one part of
     * a read, filled by its own thread. Rows are copied.
     *
     * @throws PredictionLogException when more than {@code to - from} rows arrive
     */
    DuckDbScan.Sink region(int from, int to) {
        int[] at = {from};
        return (id, v, label) -> {
            int i = at[0];
            if (i == to) {
                throw new PredictionLogException("the log holds more than the " + labels.length + " rows counted "
                        + "before reading it: was it written to while being read?");
            }
            ids[i] = id;
            labels[i] = label;
            System.arraycopy(v, 0, outputs, i * k, k);
            at[0] = i + 1;
        };
    }

    /** The number of rows. */
    int n() {
        return labels.length;
    }

    /**
     * Runs {@code fold} over the rows in {@code min(cores, rows / 32768)} (at least one) contiguous
     * partitions, one thread each, and returns their states in partition order.
     */
    <S> List<S> fold(PredictionLog.Fold<S> fold) {
        int n = n();
        int parts = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / MIN_PARTITION));
        List<Supplier<S>> tasks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks.add(() -> range(fold, from, to));
        }
        return inParallel(tasks);
    }

    /**
     * Runs the tasks, one thread each (the caller's for a single task), and returns their results
     * in order; the first task's failure (in the tasks' order) is thrown as it is.
     */
    static <T> List<T> inParallel(List<Supplier<T>> tasks) {
        if (tasks.size() == 1) {
            return List.of(tasks.get(0).get());
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> {
            Thread t = new Thread(r, "calibkit-fold");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Supplier<T> task : tasks) {
                futures.add(pool.submit(task::get));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while folding the log", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private <S> S range(PredictionLog.Fold<S> fold, int from, int to) {
        S st = fold.empty();
        double[] v = new double[k];
        for (int i = from; i < to; i++) {
            System.arraycopy(outputs, i * k, v, 0, k);
            fold.add(st, ids[i], v, labels[i]);
        }
        return fold.finish(st);
    }
}
