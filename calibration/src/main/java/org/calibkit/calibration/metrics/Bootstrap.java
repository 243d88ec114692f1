// Over 400 lines: percentile and BCa intervals, single and paired, on one resampling loop shared by every metric.
package org.calibkit.calibration.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.Quantiles;
import org.calibkit.calibration.RowMajor;
import org.calibkit.calibration.stats.BcaInterval;

/**
 * Nonparametric bootstrap confidence intervals (Efron and Tibshirani 1993) for calibration
 * metrics: rows are resampled with replacement, the metric is recomputed on each resample, and the
 * interval is taken from the resampled values by one of two {@link Method}s:
 * <ul>
 * <li>{@link Method#PERCENTILE} (the default): {@code [q((1-level)/2), q((1+level)/2)]} of the
 *     resampled values (quantiles with linear interpolation, numpy's default);</li>
 * <li>{@link Method#BCA}: bias-corrected and accelerated ({@link BcaInterval}, Efron 1987). Its
 *     acceleration needs jackknife values of the metric; leaving out one row at a time would
 *     recompute the metric n times, so for n &gt; {@value #JACKKNIFE_GROUPS} this uses the
 *     <b>grouped (delete-d) jackknife</b>: row i belongs to group {@code i mod G},
 *     {@code G = }{@value #JACKKNIFE_GROUPS}, and each jackknife value is the metric with one group
 *     (about n/G rows) left out (Efron and Tibshirani 1993, sect. 11.7; Shao and Wu 1989). For
 *     n &le; {@value #JACKKNIFE_GROUPS} it is the ordinary leave-one-out jackknife.</li>
 * </ul>
 * Immutable.
 *
 * <p><b>Determinism.</b> Resample r draws its rows from its own {@link SplittableRandom} seeded
 * by a hash of (seed, r), and its value is stored at index r, so the interval depends only on
 * the seed and the data, never on the number of threads or their scheduling.
 *
 * <p><b>One definition of each metric.</b> A resample's values are those of the very metric
 * functions used for the estimate ({@link Metrics#ALL}) on the selected rows. The metric
 * collection ({@link #summary}, {@link #paired}) gets them in one fused pass per resample
 * ({@code FusedResample}: the rows read through the index array, the equal-mass metrics sorted
 * once), equal bit for bit to calling the functions on a copy of the rows, and several times
 * faster. Top-label intervals resample the confidence/correctness arrays only.
 */
public final class Bootstrap {
    /** Default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 1000;
    /** Default confidence level. */
    public static final double DEFAULT_LEVEL = 0.95;
    /** Groups of the jackknife behind the BCa acceleration (leave-one-out when n is at most this). */
    public static final int JACKKNIFE_GROUPS = 100;

    /**
     * How an interval is read off the resampled values. Percentile stays the default: measured on
     * a real MNIST CNN (docs/statistics.md, "Which interval"), BCa pulls the intervals of the
     * upward-biased ECE family below their estimates instead of around them.
     */
    public enum Method {
        /** The (1-level)/2 and (1+level)/2 quantiles of the resampled values. */
        PERCENTILE,
        /** Bias-corrected and accelerated (Efron 1987), acceleration from a (grouped) jackknife. */
        BCA;

        /** Lower-case id as used on the command line and in JSON: {@code percentile}, {@code bca}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The method of an id, case-insensitive.
         *
         * @throws IllegalArgumentException naming the value and the known ids
         */
        public static Method of(String id) {
            Objects.requireNonNull(id, "method");
            for (Method m : values()) {
                if (m.id().equalsIgnoreCase(id.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Expected an interval method, one of percentile, bca, but got '"
                    + id + "'");
        }
    }

    private final long seed;
    private final int resamples;
    private final double level;
    private final int threads;
    private final Method method;

    /** 1,000 resamples, level 0.95, up to 2 threads, percentile intervals. */
    public Bootstrap(long seed) {
        this(seed, DEFAULT_RESAMPLES, DEFAULT_LEVEL, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param resamples number of bootstrap resamples, at least 2
     * @param level     confidence level in (0, 1)
     * @param threads   worker threads, at least 1 (results do not depend on it)
     */
    public Bootstrap(long seed, int resamples, double level, int threads) {
        this(seed, resamples, level, threads, Method.PERCENTILE);
    }

    /**
     * @param resamples number of bootstrap resamples, at least 2
     * @param level     confidence level in (0, 1)
     * @param threads   worker threads, at least 1 (results do not depend on it)
     * @param method    how intervals are read off the resampled values
     */
    public Bootstrap(long seed, int resamples, double level, int threads, Method method) {
        if (resamples < 2) {
            throw new IllegalArgumentException("Expected resamples to be at least 2, but got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Expected level in (0, 1), but got " + level);
        }
        Checks.positive("threads", threads);
        this.seed = seed;
        this.resamples = resamples;
        this.level = level;
        this.threads = threads;
        this.method = Objects.requireNonNull(method, "method");
    }

    public long seed() { return seed; }
    public int resamples() { return resamples; }
    public double level() { return level; }
    public int threads() { return threads; }
    public Method method() { return method; }

    /** A copy with another seed. */
    public Bootstrap withSeed(long newSeed) {
        return new Bootstrap(newSeed, resamples, level, threads, method);
    }

    /** A copy with another number of resamples. */
    public Bootstrap withResamples(int newResamples) {
        return new Bootstrap(seed, newResamples, level, threads, method);
    }

    /** A copy with another confidence level. */
    public Bootstrap withLevel(double newLevel) {
        return new Bootstrap(seed, resamples, newLevel, threads, method);
    }

    /** A copy that reads its intervals with another method. */
    public Bootstrap withMethod(Method newMethod) {
        return new Bootstrap(seed, resamples, level, threads, newMethod);
    }

    /** A copy with another number of threads. */
    public Bootstrap withThreads(int newThreads) {
        return new Bootstrap(seed, resamples, level, newThreads, method);
    }

    /**
     * A bootstrap interval.
     *
     * @param estimate  the metric on the full data
     * @param lower     lower end (NaN when BCa is undefined: every resampled value on one side of the estimate)
     * @param upper     upper end (NaN likewise)
     * @param level     confidence level
     * @param resamples number of resamples
     * @param method    how it was read off the resampled values
     */
    public record Interval(double estimate, double lower, double upper, double level, int resamples, Method method) {
        public Interval {
            Objects.requireNonNull(method, "method");
        }

        /** A percentile interval. */
        public Interval(double estimate, double lower, double upper, double level, int resamples) {
            this(estimate, lower, upper, level, resamples, Method.PERCENTILE);
        }

        /** True when lower &lt;= x &lt;= upper. */
        public boolean contains(double x) {
            return lower <= x && x <= upper;
        }

        /** upper - lower. */
        public double width() {
            return upper - lower;
        }
    }

    // ---------------------------------------------------------------- generic

    /** Interval for any metric of (probabilities, labels); each resample copies the selected rows. */
    public Interval interval(Probabilities p, int[] labels, ToDoubleBiFunction<Probabilities, int[]> metric) {
        Objects.requireNonNull(p, "probabilities");
        return copyInterval(p, labels, metric, Probabilities::select);
    }

    /** Interval for any metric of (logits, labels); each resample copies the selected rows. */
    public Interval interval(Logits z, int[] labels, ToDoubleBiFunction<Logits, int[]> metric) {
        Objects.requireNonNull(z, "logits");
        return copyInterval(z, labels, metric, Logits::select);
    }

    /** Interval for {@code metric} of (values, labels), each resample a copy of the selected rows through {@code select}. */
    private <T extends RowMajor> Interval copyInterval(T values, int[] labels, ToDoubleBiFunction<T, int[]> metric,
            BiFunction<T, int[], T> select) {
        Objects.requireNonNull(metric, "metric");
        Checks.labels("labels", labels, values.n(), values.k());
        return rowInterval(metric.applyAsDouble(values, labels), values.n(), labels,
                (idx, lab) -> metric.applyAsDouble(select.apply(values, idx), lab));
    }

    /**
     * The interval around {@code estimate} of a metric of n labelled rows: {@code onRows} gets
     * each resample's (or, for BCa, each jackknife group's) row indices and their labels.
     */
    private Interval rowInterval(double estimate, int n, int[] labels, ToDoubleBiFunction<int[], int[]> onRows) {
        double[] values = replicate(r -> {
            int[] idx = indices(r, n);
            return onRows.applyAsDouble(idx, labelsAt(labels, idx));
        });
        double[] jack = method == Method.BCA ? jackknife(n, g -> {
            int[] idx = keep(g, n);
            return onRows.applyAsDouble(idx, labelsAt(labels, idx));
        }) : null;
        return interval(estimate, values, jack);
    }

    private static int[] labelsAt(int[] labels, int[] idx) {
        int[] lab = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            lab[i] = labels[idx[i]];
        }
        return lab;
    }

    /** Interval for any top-label metric; each resample selects from the confidence/correctness arrays. */
    public Interval interval(TopLabel t, ToDoubleFunction<TopLabel> metric) {
        Objects.requireNonNull(t, "topLabel");
        Objects.requireNonNull(metric, "metric");
        double estimate = metric.applyAsDouble(t);
        double[] values = replicate(r -> metric.applyAsDouble(t.select(indices(r, t.n()))));
        double[] jack = method == Method.BCA ? jackknife(t.n(), g -> metric.applyAsDouble(t.select(keep(g, t.n()))))
                : null;
        return interval(estimate, values, jack);
    }

    // ---------------------------------------------------------------- ECE and the metric collection

    /** Interval for equal-width ECE of probabilities. */
    public Interval ece(Probabilities p, int[] labels, int bins) {
        return ece(TopLabel.of(p, labels), bins);
    }

    /** Interval for equal-width ECE of logits. */
    public Interval ece(Logits z, int[] labels, int bins) {
        return ece(TopLabel.of(z, labels), bins);
    }

    /** Interval for equal-width ECE of top-label confidences (resamples the confidence/correctness pairs). */
    public Interval ece(TopLabel t, int bins) {
        Checks.positive("bins", bins);
        return interval(t, tl -> CalibrationMetrics.ece(tl, bins));
    }

    /** Intervals for every metric of {@link Metrics#ALL} of probabilities, keyed by metric key. */
    public Map<String, Interval> summary(Probabilities p, int[] labels, int bins) {
        return summary(Predictions.of(p, labels), bins);
    }

    /** Intervals for every metric of {@link Metrics#ALL} of the softmax of logits (exact NLL), keyed by metric key. */
    public Map<String, Interval> summary(Logits z, int[] labels, int bins) {
        return summary(Predictions.of(z, labels), bins);
    }

    /**
     * Intervals for every metric of {@link Metrics#ALL}: each resample selects rows of the
     * predictions and calls the same metric functions as {@link Metrics#summary}.
     */
    public Map<String, Interval> summary(Predictions p, int bins) {
        Objects.requireNonNull(p, "predictions");
        Checks.positive("bins", bins);
        double[] estimates = Metrics.values(p, bins);
        double[][] reps = new double[resamples][];
        FusedResample fused = new FusedResample(p);
        replicate(r -> {
            reps[r] = fused.values(indices(r, p.n()), bins);
            return 0;
        });
        double[][] jack = method == Method.BCA ? jackknifeRows(p.n(), g -> Metrics.values(p.select(keep(g, p.n())), bins))
                : null;
        Map<String, Interval> result = new LinkedHashMap<>();
        for (int m = 0; m < estimates.length; m++) {
            result.put(Metrics.ALL.get(m).key(), interval(estimates[m], column(reps, m),
                    jack == null ? null : column(jack, m)));
        }
        return result;
    }

    /**
     * One metric before and after a change (say, calibration) of the same rows, with the
     * paired-bootstrap interval of the difference {@code after - before}: each resample draws one
     * set of rows and evaluates both on it, so the noise the two share cancels.
     *
     * @param before     the metric of the first predictions, with its interval
     * @param after      the metric of the second predictions, with its interval
     * @param difference {@code after - before}, with its paired interval
     */
    public record Paired(Interval before, Interval after, Interval difference) {
        /** True when the interval of the difference excludes 0: the change is larger than resampling noise. */
        public boolean significant() {
            return difference.lower() > 0 || difference.upper() < 0;
        }
    }

    /**
     * Paired intervals for every metric of {@link Metrics#ALL}, keyed by metric key.
     *
     * @throws IllegalArgumentException when the two sets do not have the same labels (not the same rows)
     */
    public Map<String, Paired> paired(Predictions before, Predictions after, int bins) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Checks.positive("bins", bins);
        if (!Arrays.equals(before.labels(), after.labels())) {
            throw new IllegalArgumentException("a paired bootstrap needs the same rows before and after, but the labels differ ("
                    + before.n() + " and " + after.n() + " rows)");
        }
        double[] eb = Metrics.values(before, bins);
        double[] ea = Metrics.values(after, bins);
        int m = eb.length;
        double[][] reps = new double[resamples][];
        // the two sets sort their columns on the worker threads; the same set twice (an audit
        // without calibration) is resampled once, its values serving both sides
        boolean same = before == after;
        FusedResample[] fused = new FusedResample[2];
        run(same ? 1 : 2, s -> {
            fused[s] = new FusedResample(s == 0 ? before : after);
            return 0;
        });
        FusedResample fb = fused[0];
        FusedResample fa = same ? fb : fused[1];
        replicate(r -> {
            int[] idx = indices(r, before.n());
            double[] vb = fb.values(idx, bins);
            double[] va = same ? vb : fa.values(idx, bins);
            double[] both = new double[2 * m];
            System.arraycopy(vb, 0, both, 0, m);
            System.arraycopy(va, 0, both, m, m);
            reps[r] = both;
            return 0;
        });
        double[][] jack = method != Method.BCA ? null : jackknifeRows(before.n(), g -> {
            int[] idx = keep(g, before.n());
            double[] vb = Metrics.values(before.select(idx), bins);
            double[] va = Metrics.values(after.select(idx), bins);
            double[] both = new double[2 * m];
            System.arraycopy(vb, 0, both, 0, m);
            System.arraycopy(va, 0, both, m, m);
            return both;
        });
        Map<String, Paired> result = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            double[] b = column(reps, j);
            double[] a = column(reps, m + j);
            double[] d = difference(a, b);
            double[] jb = jack == null ? null : column(jack, j);
            double[] ja = jack == null ? null : column(jack, m + j);
            result.put(Metrics.ALL.get(j).key(), new Paired(interval(eb[j], b, jb), interval(ea[j], a, ja),
                    interval(ea[j] - eb[j], d, jack == null ? null : difference(ja, jb))));
        }
        return result;
    }

    private static double[] column(double[][] rows, int j) {
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][j];
        }
        return out;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            d[r] = a[r] - b[r];
        }
        return d;
    }

    // ---------------------------------------------------------------- jackknife (BCa acceleration)

    /** Number of jackknife groups for n rows: n (leave-one-out) up to {@value #JACKKNIFE_GROUPS}, then that. */
    public static int jackknifeGroups(int n) {
        return Math.min(n, JACKKNIFE_GROUPS);
    }

    /** The rows kept when jackknife group g is left out: every row i with {@code i mod G != g}. */
    static int[] keep(int g, int n) {
        int groups = jackknifeGroups(n);
        int left = (n - g + groups - 1) / groups; // rows i < n with i mod groups == g
        int[] idx = new int[n - left];
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (i % groups != g) {
                idx[w++] = i;
            }
        }
        return idx;
    }

    /** The metric with each jackknife group of n rows left out in turn. */
    private double[] jackknife(int n, IntToDoubleFunction leaveOut) {
        return run(jackknifeGroups(n), leaveOut);
    }

    /** Several metrics with each jackknife group left out: one row of values per group. */
    private double[][] jackknifeRows(int n, java.util.function.IntFunction<double[]> leaveOut) {
        double[][] rows = new double[jackknifeGroups(n)][];
        run(rows.length, g -> {
            rows[g] = leaveOut.apply(g);
            return 0;
        });
        return rows;
    }

    // ---------------------------------------------------------------- machinery

    /** Row indices of resample r (n draws with replacement). */
    int[] indices(int r, int n) {
        SplittableRandom rng = new SplittableRandom(mix(seed, r));
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = draw(rng, n);
        }
        return idx;
    }

    /**
     * Uniform integer in [0, n): Lemire's multiply-shift with rejection (unbiased, almost never
     * divides), the one draw used by every resampling path so they all see the same rows.
     */
    static int draw(SplittableRandom rng, int n) {
        long m = (rng.nextInt() & 0xFFFFFFFFL) * n;
        long low = m & 0xFFFFFFFFL;
        if (low < n) {
            long threshold = (0x100000000L - n) % n;
            while (low < threshold) {
                m = (rng.nextInt() & 0xFFFFFFFFL) * n;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    private static long mix(long seed, int r) {
        long z = seed + (r + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private double[] replicate(IntToDoubleFunction resample) {
        return run(resamples, resample);
    }

    /** {@code task(0..count-1)} on the worker threads; value r stored at index r. */
    private double[] run(int count, IntToDoubleFunction task) {
        double[] out = new double[count];
        if (threads == 1) {
            for (int r = 0; r < count; r++) {
                out[r] = task.applyAsDouble(r);
            }
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, count).parallel()
                    .forEach(r -> out[r] = task.applyAsDouble(r))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bootstrap interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdown();
        }
        return out;
    }

    /** The interval of the method in force; {@code jack} (null for percentile) are the jackknife values. */
    private Interval interval(double estimate, double[] values, double[] jack) {
        for (int r = 0; r < values.length; r++) {
            if (Double.isNaN(values[r])) {
                throw new IllegalArgumentException("The metric returned NaN on bootstrap resample " + r
                        + " (seed " + seed + "); a bootstrap interval needs a value for every resample");
            }
        }
        if (method == Method.BCA) {
            boolean defined = Double.isFinite(estimate);
            for (double v : jack) {
                defined &= Double.isFinite(v);
            }
            if (!defined) {
                return new Interval(estimate, Double.NaN, Double.NaN, level, resamples, Method.BCA);
            }
            BcaInterval b = BcaInterval.of(estimate, values, jack, level);
            return new Interval(estimate, b.lower(), b.upper(), level, resamples, Method.BCA);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new Interval(estimate, Quantiles.linear(sorted, alpha), Quantiles.linear(sorted, 1 - alpha), level, resamples);
    }

}
