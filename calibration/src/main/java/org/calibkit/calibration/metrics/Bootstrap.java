package org.calibkit.calibration.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;

/**
 * Nonparametric bootstrap confidence intervals (Efron and Tibshirani 1993) for calibration
 * metrics: rows are resampled with replacement, the metric is recomputed on each resample and the
 * interval is the percentile interval {@code [q((1-level)/2), q((1+level)/2)]} of the resampled
 * values (quantiles with linear interpolation, numpy's default). Immutable.
 *
 * <p><b>Determinism.</b> Resample r draws its rows from its own {@link SplittableRandom} seeded
 * by a hash of (seed, r), and its value is stored at index r, so the interval depends only on
 * the seed and the data, never on the number of threads or their scheduling.
 *
 * <p><b>Speed.</b> Top-label metrics resample the precomputed confidence and correctness arrays
 * (as row multiplicities), never probability matrices; ECE uses each row's precomputed bin;
 * equal-mass metrics reuse one sort of the data (a resample keeps the sorted order).
 */
public final class Bootstrap {
    /** Default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 1000;
    /** Default confidence level. */
    public static final double DEFAULT_LEVEL = 0.95;

    private final long seed;
    private final int resamples;
    private final double level;
    private final int threads;

    /** 1,000 resamples, level 0.95, up to 2 threads. */
    public Bootstrap(long seed) {
        this(seed, DEFAULT_RESAMPLES, DEFAULT_LEVEL, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param resamples number of bootstrap resamples, at least 2
     * @param level     confidence level in (0, 1)
     * @param threads   worker threads, at least 1 (results do not depend on it)
     */
    public Bootstrap(long seed, int resamples, double level, int threads) {
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
    }

    public long seed() { return seed; }
    public int resamples() { return resamples; }
    public double level() { return level; }
    public int threads() { return threads; }

    /** A copy with another seed. */
    public Bootstrap withSeed(long newSeed) {
        return new Bootstrap(newSeed, resamples, level, threads);
    }

    /** A copy with another number of resamples. */
    public Bootstrap withResamples(int newResamples) {
        return new Bootstrap(seed, newResamples, level, threads);
    }

    /** A copy with another confidence level. */
    public Bootstrap withLevel(double newLevel) {
        return new Bootstrap(seed, resamples, newLevel, threads);
    }

    /** A copy with another number of threads. */
    public Bootstrap withThreads(int newThreads) {
        return new Bootstrap(seed, resamples, level, newThreads);
    }

    /**
     * A percentile interval.
     *
     * @param estimate  the metric on the full data
     * @param lower     lower percentile of the resampled values
     * @param upper     upper percentile
     * @param level     confidence level
     * @param resamples number of resamples
     */
    public record Interval(double estimate, double lower, double upper, double level, int resamples) {
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
        Objects.requireNonNull(metric, "metric");
        Checks.labels("labels", labels, p.n(), p.k());
        int n = p.n();
        double estimate = metric.applyAsDouble(p, labels);
        double[] values = replicate(r -> {
            int[] idx = indices(r, n);
            int[] lab = new int[n];
            for (int i = 0; i < n; i++) {
                lab[i] = labels[idx[i]];
            }
            return metric.applyAsDouble(p.select(idx), lab);
        });
        return interval(estimate, values);
    }

    /** Interval for any metric of (logits, labels); each resample copies the selected rows. */
    public Interval interval(Logits z, int[] labels, ToDoubleBiFunction<Logits, int[]> metric) {
        Objects.requireNonNull(z, "logits");
        Objects.requireNonNull(metric, "metric");
        Checks.labels("labels", labels, z.n(), z.k());
        int n = z.n();
        double estimate = metric.applyAsDouble(z, labels);
        double[] values = replicate(r -> {
            int[] idx = indices(r, n);
            int[] lab = new int[n];
            for (int i = 0; i < n; i++) {
                lab[i] = labels[idx[i]];
            }
            return metric.applyAsDouble(z.select(idx), lab);
        });
        return interval(estimate, values);
    }

    /** Interval for any top-label metric; each resample selects from the confidence/correctness arrays. */
    public Interval interval(TopLabel t, ToDoubleFunction<TopLabel> metric) {
        Objects.requireNonNull(t, "topLabel");
        Objects.requireNonNull(metric, "metric");
        double estimate = metric.applyAsDouble(t);
        double[] values = replicate(r -> metric.applyAsDouble(t.select(indices(r, t.n()))));
        return interval(estimate, values);
    }

    // ---------------------------------------------------------------- fast paths

    /** Interval for equal-width ECE of probabilities. */
    public Interval ece(Probabilities p, int[] labels, int bins) {
        return ece(TopLabel.of(p, labels), bins);
    }

    /** Interval for equal-width ECE of logits. */
    public Interval ece(Logits z, int[] labels, int bins) {
        return ece(TopLabel.of(z, labels), bins);
    }

    /**
     * Interval for equal-width ECE of top-label confidences: every row's bin is computed once;
     * a resample only counts rows.
     */
    public Interval ece(TopLabel t, int bins) {
        Checks.positive("bins", bins);
        int n = t.n();
        double[] conf = t.rawConfidences();
        boolean[] ok = t.rawCorrect();
        int[] bin = new int[n];
        int[] okInt = new int[n];
        for (int i = 0; i < n; i++) {
            bin[i] = ReliabilityBins.binOf(conf[i], bins);
            okInt[i] = ok[i] ? 1 : 0;
        }
        double[] values = replicate(r -> {
            // one pass over the draws; no index or weight array
            SplittableRandom rng = new SplittableRandom(mix(seed, r));
            double[] sum = new double[bins];
            long[] cor = new long[bins];
            for (int i = 0; i < n; i++) {
                int j = draw(rng, n);
                int b = bin[j];
                sum[b] += conf[j];
                cor[b] += okInt[j];
            }
            double e = 0;
            for (int b = 0; b < bins; b++) {
                e += Math.abs(cor[b] - sum[b]);
            }
            return e / n;
        });
        return interval(CalibrationMetrics.ece(t, bins), values);
    }

    /** Intervals for every metric of the summary of probabilities, keyed as {@link MetricSummary#toMap()} (without n). */
    public Map<String, Interval> summary(Probabilities p, int[] labels, int bins) {
        Objects.requireNonNull(p, "probabilities");
        Checks.positive("bins", bins);
        MetricSummary s = CalibrationMetrics.summary(p, labels, bins);
        return summary(s, p, labels, bins, rowNll(p, labels));
    }

    /** Intervals for every metric of the summary of logits (exact NLL), keyed as {@link MetricSummary#toMap()} (without n). */
    public Map<String, Interval> summary(Logits z, int[] labels, int bins) {
        Objects.requireNonNull(z, "logits");
        Checks.positive("bins", bins);
        MetricSummary s = CalibrationMetrics.summary(z, labels, bins);
        double[] nll = new double[z.n()];
        double[] v = z.raw();
        int k = z.k();
        for (int i = 0; i < z.n(); i++) {
            nll[i] = CalibrationMetrics.rowNll(v, i * k, k, labels[i]);
        }
        return summary(s, z.softmax(), labels, bins, nll);
    }

    private static double[] rowNll(Probabilities p, int[] labels) {
        double[] out = new double[p.n()];
        double[] v = p.raw();
        for (int i = 0; i < out.length; i++) {
            out[i] = -Math.log(Math.max(v[i * p.k() + labels[i]], CalibrationMetrics.NLL_EPSILON));
        }
        return out;
    }

    private Map<String, Interval> summary(MetricSummary s, Probabilities p, int[] labels, int bins, double[] rowNll) {
        int n = p.n();
        int k = p.k();
        double[] v = p.raw();
        TopLabel t = TopLabel.of(p, labels);
        TopLabelTables tab = new TopLabelTables(t, bins);
        double[] rowBrier = new double[n];
        for (int i = 0; i < n; i++) {
            double b = 0;
            for (int j = 0; j < k; j++) {
                double d = v[i * k + j] - (labels[i] == j ? 1.0 : 0.0);
                b += d * d;
            }
            rowBrier[i] = b;
        }
        int[] cwBin = new int[n * k];
        for (int i = 0; i < n * k; i++) {
            cwBin[i] = ReliabilityBins.binOf(v[i], bins);
        }
        EqualMass.SortedColumn[] cols = new EqualMass.SortedColumn[k];
        double[] col = new double[n];
        boolean[] tgt = new boolean[n];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                col[i] = v[i * k + j];
                tgt[i] = labels[i] == j;
            }
            cols[j] = new EqualMass.SortedColumn(col, tgt);
        }
        final int metrics = 10;
        double[][] reps = new double[resamples][];
        replicate(r -> {
            int[] w = weights(r, n);
            double[] out = new double[metrics];
            double acc = 0;
            double nll = 0;
            double brier = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] != 0) {
                    acc += t.rawCorrect()[i] ? w[i] : 0;
                    nll += w[i] * rowNll[i];
                    brier += w[i] * rowBrier[i];
                }
            }
            out[0] = acc / n;
            out[1] = nll / n;
            out[2] = brier / n;
            double[] em = tab.eceMceBoth(w);
            out[3] = em[0];
            out[4] = em[1];
            EqualMass.Stats st = tab.sorted.stats(w, n, bins);
            out[5] = CalibrationMetrics.eceFromStats(st);
            // classwise ECE
            double[] pos = new double[k * bins];
            double[] sum = new double[k * bins];
            for (int i = 0; i < n; i++) {
                int wi = w[i];
                if (wi == 0) {
                    continue;
                }
                int off = i * k;
                for (int j = 0; j < k; j++) {
                    int c = j * bins + cwBin[off + j];
                    sum[c] += wi * v[off + j];
                    if (labels[i] == j) {
                        pos[c] += wi;
                    }
                }
            }
            double cw = 0;
            for (int c = 0; c < pos.length; c++) {
                cw += Math.abs(pos[c] - sum[c]);
            }
            out[6] = cw / n / k;
            // ACE
            double aceSum = 0;
            long pairs = 0;
            for (int j = 0; j < k; j++) {
                EqualMass.Stats cs = cols[j].stats(w, n, bins);
                for (int b = 0; b < cs.bins(); b++) {
                    double c = cs.count()[b];
                    if (c > 0) {
                        aceSum += Math.abs(cs.targetSum()[b] - cs.valueSum()[b]) / c;
                        pairs++;
                    }
                }
            }
            out[7] = aceSum / pairs;
            out[8] = CalibrationMetrics.debiasedFromStats(st);
            out[9] = SmoothEce.compute(t.rawConfidences(), t.rawCorrect(), w).value();
            reps[r] = out;
            return 0;
        });
        double[] estimates = {s.accuracy(), s.nll(), s.brier(), s.ece(), s.mce(), s.eceEqualMass(),
            s.classwiseEce(), s.ace(), s.debiasedEce(), s.smoothEce()};
        Map<String, Interval> result = new LinkedHashMap<>();
        for (int m = 0; m < metrics; m++) {
            double[] vals = new double[resamples];
            for (int r = 0; r < resamples; r++) {
                vals[r] = reps[r][m];
            }
            result.put(MetricSummary.KEYS[m + 1], interval(estimates[m], vals));
        }
        return result;
    }

    /** Precomputed per-row tables of top-label data. */
    private static final class TopLabelTables {
        final double[] conf;
        final boolean[] ok;
        final int[] bin;
        final int bins;
        final EqualMass.SortedColumn sorted;

        TopLabelTables(TopLabel t, int bins) {
            this.conf = t.rawConfidences();
            this.ok = t.rawCorrect();
            this.bins = bins;
            this.bin = new int[conf.length];
            for (int i = 0; i < conf.length; i++) {
                bin[i] = ReliabilityBins.binOf(conf[i], bins);
            }
            this.sorted = new EqualMass.SortedColumn(conf, ok);
        }

        double[] eceMceBoth(int[] w) {
            long[] cnt = new long[bins];
            long[] cor = new long[bins];
            double[] sum = new double[bins];
            long total = 0;
            for (int i = 0; i < conf.length; i++) {
                int wi = w[i];
                if (wi == 0) {
                    continue;
                }
                int b = bin[i];
                cnt[b] += wi;
                sum[b] += wi * conf[i];
                if (ok[i]) {
                    cor[b] += wi;
                }
                total += wi;
            }
            double e = 0;
            double m = 0;
            for (int b = 0; b < bins; b++) {
                if (cnt[b] > 0) {
                    double gap = Math.abs(cor[b] - sum[b]);
                    e += gap;
                    m = Math.max(m, gap / cnt[b]);
                }
            }
            return new double[] {e / total, m};
        }
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

    /** Row multiplicities of resample r: the same draws as {@link #indices}, counted. */
    int[] weights(int r, int n) {
        SplittableRandom rng = new SplittableRandom(mix(seed, r));
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[draw(rng, n)]++;
        }
        return w;
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
        double[] out = new double[resamples];
        if (threads == 1) {
            for (int r = 0; r < resamples; r++) {
                out[r] = resample.applyAsDouble(r);
            }
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, resamples).parallel()
                    .forEach(r -> out[r] = resample.applyAsDouble(r))).get();
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

    private Interval interval(double estimate, double[] values) {
        for (int r = 0; r < values.length; r++) {
            if (Double.isNaN(values[r])) {
                throw new IllegalArgumentException("The metric returned NaN on bootstrap resample " + r
                        + " (seed " + seed + "); a percentile interval needs a value for every resample");
            }
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new Interval(estimate, quantile(sorted, alpha), quantile(sorted, 1 - alpha), level, resamples);
    }

    /** Quantile of sorted values with linear interpolation (numpy's default "linear" method). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}
