package org.calibkit.report.monitor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.shift.Estimate;

/**
 * Cuts a prediction log into windows of {@link MonitorOptions#window()} rows and measures each
 * against a {@link Reference}:
 * <ul>
 *   <li>accuracy without labels: the primary estimator's estimate alerts when it falls more than
 *       {@code max(minBand, sigmas x sqrt(a (1 - a) / n))} below the reference accuracy a (the
 *       band is the binomial noise of an n-row window, never narrower than minBand);</li>
 *   <li>unfamiliar inputs: the share of rows whose calibrated top probability is below the
 *       threshold 95% of validation rows reach alerts above {@code max(0.10, 0.05 + sigmas x
 *       sqrt(0.05 x 0.95 / n))} (twice the reference's share at least);</li>
 *   <li>the predicted-class mix: Pearson's chi-square test (Commons Math) of the window's predicted
 *       classes against the reference's shares alerts below p = classMixP / W for a run of W
 *       windows (Bonferroni: a log drawn like the reference raises a class-mix alert in any window
 *       with probability at most classMixP);</li>
 *   <li>where labels arrived: the realised accuracy, the ECE of the calibrated probabilities and
 *       the estimate's error.</li>
 * </ul>
 * Each window is computed from its own rows only: {@link #stream} holds one window in memory at a time.
 */
public final class Monitor {
    private Monitor() {
    }

    /**
     * Monitors {@code log}; {@code labels} may be null (no labels) and holds -1 for rows without one.
     *
     * @throws IllegalArgumentException when the log's classes differ from the reference's, or labels do not fit
     */
    public static MonitorResult run(Reference ref, Logits log, int[] labels, String source, MonitorOptions o,
                                    Consumer<String> progress) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(log, "log");
        int k = ref.classShares().length;
        if (log.k() != k) {
            throw new IllegalArgumentException("the log has " + log.k() + " output columns, but the reference has " + k
                    + " classes");
        }
        if (labels != null && labels.length != log.n()) {
            throw new IllegalArgumentException("the log has " + log.n() + " rows but " + labels.length + " labels");
        }
        List<Slice> slices = new ArrayList<>();
        for (int start = 0; start < log.n(); start += o.window()) {
            int end = Math.min(log.n(), start + o.window());
            slices.add(new Slice("rows " + start + "-" + (end - 1), java.util.stream.IntStream.range(start, end).toArray()));
        }
        return run(ref, log, labels, slices, source, o.window() + " rows", o, progress);
    }

    /**
     * A window of the log: its name as shown ({@code rows 0-499}, {@code 2026-12-01}) and its rows.
     *
     * @param name what the window is
     * @param rows its rows of the log, in log order (not empty)
     */
    public record Slice(String name, int[] rows) {
        public Slice {
            java.util.Objects.requireNonNull(name, "name");
            if (rows.length == 0) {
                throw new IllegalArgumentException("window " + name + " has no rows");
            }
            rows = rows.clone();
        }

        /** A copy of the rows. */
        @Override
        public int[] rows() {
            return rows.clone();
        }
    }

    /** Monitors {@code log} in the given windows (by time, by segment, ...), in the order given. */
    public static MonitorResult run(Reference ref, Logits log, int[] labels, List<Slice> slices, String source,
                                    String windowing, MonitorOptions o, Consumer<String> progress) {
        Iterator<WindowRows> it = slices.stream().map(slice -> {
            int[] rowsOf = slice.rows();
            int[] y = null;
            if (labels != null) {
                y = new int[rowsOf.length];
                for (int j = 0; j < rowsOf.length; j++) {
                    y[j] = labels[rowsOf[j]];
                }
            }
            return new WindowRows(slice.name(), rowsOf[0], log.select(rowsOf), y);
        }).iterator();
        return stream(ref, it, source, windowing, o, progress);
    }

    /**
     * A window of a log as it is read: what it is called, its first row in the log, its outputs as
     * logits and its labels (-1 where none arrived; null for none at all).
     */
    public record WindowRows(String name, long start, Logits logits, int[] labels) {
        public WindowRows {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(logits, "logits");
            if (logits.n() == 0) {
                throw new IllegalArgumentException("window " + name + " has no rows");
            }
            if (labels != null && labels.length != logits.n()) {
                throw new IllegalArgumentException("window " + name + " has " + logits.n() + " rows but " + labels.length
                        + " labels");
            }
        }
    }

    /**
     * Monitors windows as they come, holding a few at a time: a log of any length streams through
     * in the memory of its largest windows. The windows are read on the calling thread (in order,
     * as the iterator gives them) and measured on up to {@code availableProcessors()} threads, at
     * most twice as many in flight; results, alerts and progress lines come in window order, and
     * each window depends on its own rows only, so the result is the same on one core or many.
     */
    public static MonitorResult stream(Reference ref, Iterator<WindowRows> rows, String source, String windowing,
                                       MonitorOptions o, Consumer<String> progress) {
        return stream(ref, rows, source, windowing, o, progress, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #stream} measuring on {@code threads} threads (for the test that the count changes nothing). */
    static MonitorResult stream(Reference ref, Iterator<WindowRows> rows, String source, String windowing,
                                MonitorOptions o, Consumer<String> progress, int threads) {
        List<MonitorResult.Window> windows = new ArrayList<>();
        List<MonitorResult.Alert> alerts = new ArrayList<>();
        threads = Math.max(1, threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "calibkit-monitor");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<Measured>> inFlight = new java.util.ArrayDeque<>();
        try {
            for (int w = 0; rows.hasNext(); w++) {
                WindowRows slice = rows.next();
                int index = w;
                inFlight.add(pool.submit(() -> measure(ref, index, slice, o)));
                if (inFlight.size() >= 2 * threads) {
                    take(inFlight.poll(), windows, alerts, progress);
                }
            }
            while (!inFlight.isEmpty()) {
                take(inFlight.poll(), windows, alerts, progress);
            }
        } finally {
            pool.shutdownNow();
        }
        return assemble(ref, windows, alerts, source, windowing, o);
    }

    /**
     * A window whose rows were summed elsewhere (Spark partitions, merged): what it is called, its
     * first row in the log (or in the rows monitored: see the caller) and its merged state.
     */
    public record NamedState(String name, long firstRow, WindowState state) {
        public NamedState {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            if (state.rows() == 0) {
                throw new IllegalArgumentException("window " + name + " has no rows");
            }
        }
    }

    /**
     * Monitors windows already summed into {@link WindowState}s, in the order given: the same
     * windows, alerts and progress lines as {@link #stream} of those windows' rows.
     */
    public static MonitorResult ofStates(Reference ref, List<NamedState> states, String source, String windowing,
                                         MonitorOptions o, Consumer<String> progress) {
        List<MonitorResult.Window> windows = new ArrayList<>();
        List<MonitorResult.Alert> alerts = new ArrayList<>();
        for (int w = 0; w < states.size(); w++) {
            NamedState s = states.get(w);
            Measured m = finish(ref, w, s.name(), s.firstRow(), s.state(), o);
            windows.add(m.window());
            alerts.addAll(m.alerts());
            progress.accept(m.line());
        }
        return assemble(ref, windows, alerts, source, windowing, o);
    }

    /** The result of measured windows: their alerts with the run's class-mix alerts among them, in window order. */
    private static MonitorResult assemble(Reference ref, List<MonitorResult.Window> windows,
                                          List<MonitorResult.Alert> alerts, String source, String windowing,
                                          MonitorOptions o) {
        // Bonferroni over the run's windows: with W windows each tested at classMixP / W, the chance
        // that a log drawn like the reference raises any class-mix alert is at most classMixP
        double level = o.classMixP() / Math.max(1, windows.size());
        List<MonitorResult.Alert> all = new ArrayList<>();
        int next = 0;
        for (MonitorResult.Window win : windows) {
            while (next < alerts.size() && alerts.get(next).window() == win.index()) {
                all.add(alerts.get(next++));
            }
            if (win.classMixP() < level) {
                all.add(new MonitorResult.Alert(win.index(), "class_mix", String.format(Locale.ROOT, "window %d (%s): the "
                        + "predicted classes differ from the reference's mix (chi-square p = %.2g, below %.2g = %.2g / %d "
                        + "windows)", win.index(), win.name(), win.classMixP(), level, o.classMixP(), windows.size())));
            }
        }
        double a = ref.accuracy();
        return new MonitorResult(a, ref.n(), ref.map().describe(), ref.estimators().get(0).name(), ref.unfamiliarScore(),
                ref.unfamiliarBelow(), o, windows, all, source, windowing);
    }

    /** One window measured: the window, its alerts, its progress line. */
    private record Measured(MonitorResult.Window window, List<MonitorResult.Alert> alerts, String line) {
    }

    private static void take(java.util.concurrent.Future<Measured> f, List<MonitorResult.Window> windows,
                             List<MonitorResult.Alert> alerts, Consumer<String> progress) {
        Measured m;
        try {
            m = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while monitoring", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        windows.add(m.window());
        alerts.addAll(m.alerts());
        progress.accept(m.line());
    }

    /** Window {@code w} against the reference, from its own rows only. */
    private static Measured measure(Reference ref, int w, WindowRows slice, MonitorOptions o) {
        WindowState state = new WindowState(ref, o.bins()).add(ref, slice.logits(), slice.labels(), slice.start());
        return finish(ref, w, slice.name(), slice.start(), state, o);
    }

    /** Window {@code w} from its summed state: its numbers, its alerts against the reference's bands, its progress line. */
    private static Measured finish(Reference ref, int w, String name, long firstRow, WindowState state,
                                   MonitorOptions o) {
        double a = ref.accuracy();
        List<MonitorResult.Alert> alerts = new ArrayList<>();
        int n = Math.toIntExact(state.rows());
        int labelled = Math.toIntExact(state.labelled());
        double acc = state.accuracy();
        double pMix = classMixP(ref.classShares(), state.predicted());
        double band = Math.max(o.minBand(), o.sigmas() * Math.sqrt(a * (1 - a) / n));
        double q = 1 - o.unfamiliarTpr();
        // twice the reference's share at least: a test split is often a little less familiar than validation
        double limit = Math.max(2 * q, q + o.sigmas() * Math.sqrt(q * (1 - q) / n));
        MonitorResult.Window win = new MonitorResult.Window(w, name, firstRow, n, state.meanConfidence(),
                state.estimates(ref), a - band, state.unfamiliarShare(), limit, pMix, labelled, acc, state.ece());
        Estimate e = win.primary();
        if (e.accuracy() < a - band) {
            alerts.add(new MonitorResult.Alert(w, "accuracy", String.format(Locale.ROOT, "window %d (%s): %s "
                            + "estimates accuracy %.1f%%, more than %.1f points below the reference's %.1f%%", w,
                    name, e.estimator(), 100 * e.accuracy(), 100 * band, 100 * a)));
        }
        if (win.unfamiliarShare() > limit) {
            alerts.add(new MonitorResult.Alert(w, "unfamiliar", String.format(Locale.ROOT, "window %d (%s): "
                            + "%.1f%% of inputs are unfamiliar (%s below %.3f), above the %.1f%% "
                            + "the reference allows", w, name, 100 * win.unfamiliarShare(), ref.describeScore(),
                    ref.unfamiliarBelow(), 100 * limit)));
        }
        // the class mix alerts once the number of windows is known (its level is per run: see stream)
        String line = String.format(Locale.ROOT, "monitor: window %d (%s): %d rows, estimated accuracy %.3f%s", w,
                name, n, e.accuracy(), labelled > 0 ? String.format(Locale.ROOT, " (realised %.3f)", acc) : "");
        return new Measured(win, alerts, line);
    }

    /** Pearson's chi-square test of observed counts against expected shares; classes the reference never predicts are pooled. */
    static double classMixP(double[] expectedShares, long[] observed) {
        long n = 0;
        for (long c : observed) {
            n += c;
        }
        List<double[]> cells = new ArrayList<>();
        long unexpected = 0;
        for (int c = 0; c < observed.length; c++) {
            if (expectedShares[c] > 0) {
                cells.add(new double[] {expectedShares[c] * n, observed[c]});
            } else {
                unexpected += observed[c];
            }
        }
        if (unexpected > 0) {
            return 0; // a class the reference never predicts: as far from its mix as it gets
        }
        if (cells.size() < 2) {
            return 1;
        }
        double[] e = new double[cells.size()];
        long[] obs = new long[cells.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = cells.get(i)[0];
            obs[i] = (long) cells.get(i)[1];
        }
        return new ChiSquareTest().chiSquareTest(e, obs);
    }
}
