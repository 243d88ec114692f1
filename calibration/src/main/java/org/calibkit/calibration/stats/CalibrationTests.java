// Over 400 lines: the four tests and their from-sums forms (for data not in one array) share the tail functions and the sorted walk.
package org.calibkit.calibration.stats;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.TopLabel;

/**
 * Calibration tests with p-values, as pure functions of predicted probabilities {@code p_i} and
 * binary outcomes {@code y_i} (for the top label: the confidence and whether the prediction was
 * right; per class j: {@code p_ij} and whether the label is j). The null hypothesis is always
 * "each y_i is Bernoulli(p_i), independently". Definitions, sidedness and ties: docs/statistics.md.
 *
 * <ul>
 *   <li>{@link #spiegelhalter Spiegelhalter's Z} (Spiegelhalter 1986, Stat. Med. 5:421):
 *       {@code Z = sum (y - p)(1 - 2p) / sqrt(sum (1 - 2p)^2 p (1 - p))}, the standardised
 *       difference between the Brier score and its expectation under calibration; asymptotically
 *       N(0, 1). Two-sided by default; MAPIE's {@code spiegelhalter_p_value} is the one-sided
 *       {@code 1 - Phi(z)} ({@link SpiegelhalterTest.Alternative#GREATER}).</li>
 *   <li>{@link #hosmerLemeshow Hosmer–Lemeshow} (Hosmer and Lemeshow 1980): chi-squared over G
 *       groups of equal mass in sorted p; upper tail; df = G on held-out data, G - 2 on the data
 *       a logistic model was fitted to.</li>
 *   <li>{@link #kolmogorovSmirnov Kolmogorov–Smirnov} and {@link #kuiper Kuiper} on the
 *       cumulative calibration curve (Gupta, Rahimi, Ajanthan, Mensink, Sminchisescu and
 *       Hartley 2021, "Calibration of neural networks using splines", ICLR; Arrieta-Ibarra,
 *       Gujral, Tannen, Tygert and Xu 2022, JMLR 23:15886; as MAPIE implements them):
 *       {@code C(s) = (1/n) sum_{p_i <= s} (y_i - p_i)}, normalised by
 *       {@code sigma = sqrt(sum p_i (1 - p_i)) / n}. Under calibration C / sigma tends to a
 *       standard Brownian motion on [0, 1], so the p-values are the tails of the maximum of its
 *       absolute value (Darling and Siegert 1953) and of its range (Feller 1951) — not the
 *       Kolmogorov distribution of a Brownian bridge (Commons Math's
 *       {@code KolmogorovSmirnovDistribution}), because the curve is not tied down at its end.
 *       Both are two-sided by construction.</li>
 * </ul>
 *
 * <p><b>Ties.</b> Rows with equal p are one step of the cumulative curve: it is evaluated after
 * each distinct value of p, so the statistic does not depend on row order. (MAPIE instead breaks
 * ties with a seeded relative jitter of 1e-8, which can only give a larger statistic; without
 * ties the two agree.) The Kuiper range includes the curve's start C = 0, as in Tygert's
 * reference code; MAPIE's omits it, which gives a smaller range when all partial sums share a
 * sign. Hosmer–Lemeshow keeps tied p in one group.
 */
public final class CalibrationTests {
    private CalibrationTests() {
    }

    // ---------------------------------------------------------------- Spiegelhalter

    /** Two-sided Spiegelhalter Z test of probabilities p against outcomes. */
    public static SpiegelhalterTest spiegelhalter(double[] p, boolean[] outcome) {
        return spiegelhalter(p, outcome, SpiegelhalterTest.Alternative.TWO_SIDED);
    }

    /**
     * Spiegelhalter's Z test. When every p is 0, 1/2 or 1 the variance is 0: Z is 0 (p-value 1) if
     * the numerator is 0 too, otherwise plus or minus infinity (p-value 0 or 1).
     *
     * @throws IllegalArgumentException for empty or mismatched arrays, or p outside [0, 1] (naming the row)
     */
    public static SpiegelhalterTest spiegelhalter(double[] p, boolean[] outcome,
                                                  SpiegelhalterTest.Alternative alternative) {
        Args.probabilities(p, outcome, "p", "outcome");
        Objects.requireNonNull(alternative, "alternative");
        double num = 0;
        double var = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i];
            double w = 1 - 2 * pi;
            num += ((outcome[i] ? 1.0 : 0.0) - pi) * w;
            var += w * w * pi * (1 - pi);
        }
        return spiegelhalter(num, var, p.length, alternative);
    }

    /**
     * Spiegelhalter's Z from its two sums over the rows, {@code sum (y - p)(1 - 2p)} and
     * {@code sum (1 - 2p)^2 p (1 - p)}: for predictions that are not in one array (summed per
     * partition and merged).
     */
    public static SpiegelhalterTest spiegelhalter(double num, double var, int n,
                                                  SpiegelhalterTest.Alternative alternative) {
        Objects.requireNonNull(alternative, "alternative");
        double z;
        if (var > 0) {
            z = num / Math.sqrt(var);
        } else {
            z = num == 0 ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, num);
        }
        double pv = alternative == SpiegelhalterTest.Alternative.TWO_SIDED
                ? normalUpperTail(Math.abs(z)) * 2 : normalUpperTail(z);
        return new SpiegelhalterTest(z, Math.min(1.0, pv), alternative, n);
    }

    /** Two-sided Spiegelhalter test of the top-label confidence against whether the prediction was right. */
    public static SpiegelhalterTest spiegelhalter(Probabilities p, int[] labels) {
        TopLabel t = TopLabel.of(p, labels);
        return spiegelhalter(t.confidences(), t.correct());
    }

    /**
     * Two-sided Spiegelhalter test per class: class j tests {@code p_ij} against {@code [y_i = j]}.
     * These are K tests: to read them together, correct for multiplicity (e.g. Bonferroni:
     * compare each p-value with alpha / K).
     */
    public static SpiegelhalterTest[] spiegelhalterPerClass(Probabilities p, int[] labels) {
        Checks.labelled("probabilities", p, labels);
        SpiegelhalterTest[] out = new SpiegelhalterTest[p.k()];
        double[] col = new double[p.n()];
        boolean[] y = new boolean[p.n()];
        for (int j = 0; j < p.k(); j++) {
            p.oneVsRest(j, labels, col, y);
            out[j] = spiegelhalter(col, y);
        }
        return out;
    }

    // ---------------------------------------------------------------- Hosmer-Lemeshow

    /**
     * Hosmer–Lemeshow test over {@code groups} groups of (nearly) equal mass. Rows are sorted by
     * p and cut where {@code numpy.array_split} would cut n rows into G parts (the first n mod G
     * one larger); a cut inside a run of equal p moves to the end of the run, so ties share a
     * group and fewer than G groups may result (the degrees of freedom follow the groups formed).
     * Group g contributes {@code (O_g - E_g)^2 / (E_g (1 - E_g / n_g))}, O the number of
     * positive outcomes, E the sum of p; a group whose p are all 0 or all 1 contributes 0 when
     * O = E and makes the statistic infinite otherwise. The p-value is the upper tail of
     * chi-squared(df).
     *
     * @param groups number of groups, &gt;= 1 (10 is customary); with {@link HosmerLemeshowTest.Df#FITTED} at least 3 must form
     * @param df     held-out data (df = G) or data the model was fitted to (df = G - 2)
     * @throws IllegalArgumentException for bad input, or when the degrees of freedom would be below 1
     */
    public static HosmerLemeshowTest hosmerLemeshow(double[] p, boolean[] outcome, int groups,
                                                    HosmerLemeshowTest.Df df) {
        Args.probabilities(p, outcome, "p", "outcome");
        Checks.positive("groups", groups);
        Objects.requireNonNull(df, "df");
        int n = p.length;
        SortedPair s = SortedPair.of(p, outcome);
        double[] sorted = s.all();
        double[] size = new double[groups];
        double[] expected = new double[groups];
        double[] observed = new double[groups];
        int formed = 0;
        int start = 0;
        int posIdx = 0;
        int base = n / groups;
        int extra = n % groups;
        int cut = 0;
        for (int g = 0; g < groups; g++) {
            cut += base + (g < extra ? 1 : 0);
            if (cut <= start) {
                continue;   // this part was swallowed by a run of ties in the previous group
            }
            int end = cut;
            while (end < n && sorted[end] == sorted[end - 1]) {
                end++;
            }
            double e = 0;
            for (int i = start; i < end; i++) {
                e += sorted[i];
            }
            // positives with p <= sorted[end - 1]
            int o = 0;
            double top = sorted[end - 1];
            while (posIdx < s.positives().length && s.positives()[posIdx] <= top) {
                posIdx++;
                o++;
            }
            size[formed] = end - start;
            expected[formed] = e;
            observed[formed] = o;
            formed++;
            start = end;
        }
        int dof = df == HosmerLemeshowTest.Df.HELD_OUT ? formed : formed - 2;
        if (dof < 1) {
            throw new IllegalArgumentException("Hosmer-Lemeshow needs at least 1 degree of freedom, but "
                    + formed + " group(s) formed (groups = " + groups + ", df " + df + ")");
        }
        return hosmerLemeshow(Arrays.copyOf(size, formed), Arrays.copyOf(expected, formed),
                Arrays.copyOf(observed, formed), df, n);
    }

    /**
     * Hosmer–Lemeshow from its groups as formed (sorted p cut into equal-mass groups, ties kept
     * together, see above): per group its size, the sum of its p and its positive outcomes. For
     * predictions that are not in one array (the groups found by a distributed sort).
     */
    public static HosmerLemeshowTest hosmerLemeshow(double[] size, double[] expected, double[] observed,
                                                    HosmerLemeshowTest.Df df, int n) {
        Objects.requireNonNull(df, "df");
        if (size.length != expected.length || size.length != observed.length) {
            throw new IllegalArgumentException("Expected as many group sizes, expected and observed counts, but got "
                    + size.length + ", " + expected.length + " and " + observed.length);
        }
        double stat = 0;
        int formed = size.length;
        for (int g = 0; g < formed; g++) {
            double e = expected[g];
            double o = observed[g];
            double v = e * (1 - e / size[g]);
            if (v > 0) {
                stat += (o - e) * (o - e) / v;
            } else if (o != e) {
                stat = Double.POSITIVE_INFINITY;
            }
        }
        int dof = df == HosmerLemeshowTest.Df.HELD_OUT ? formed : formed - 2;
        if (dof < 1) {
            throw new IllegalArgumentException("Hosmer-Lemeshow needs at least 1 degree of freedom, but "
                    + formed + " group(s) formed (df " + df + ")");
        }
        double pv = Double.isInfinite(stat) ? 0.0 : chiSquaredUpperTail(dof, stat);
        return new HosmerLemeshowTest(stat, dof, formed, pv, n);
    }

    /** Hosmer–Lemeshow of the top-label confidence on held-out data (df = groups formed). */
    public static HosmerLemeshowTest hosmerLemeshow(Probabilities p, int[] labels, int groups) {
        TopLabel t = TopLabel.of(p, labels);
        return hosmerLemeshow(t.confidences(), t.correct(), groups, HosmerLemeshowTest.Df.HELD_OUT);
    }

    // ---------------------------------------------------------------- cumulative curve

    /** Kolmogorov–Smirnov test on the cumulative calibration curve (see the class comment). */
    public static CumulativeCalibrationTest kolmogorovSmirnov(double[] p, boolean[] outcome) {
        return cumulative(p, outcome, CumulativeCalibrationTest.Kind.KOLMOGOROV_SMIRNOV);
    }

    /** Kuiper test on the cumulative calibration curve (see the class comment). */
    public static CumulativeCalibrationTest kuiper(double[] p, boolean[] outcome) {
        return cumulative(p, outcome, CumulativeCalibrationTest.Kind.KUIPER);
    }

    /** Kolmogorov–Smirnov test of the top-label confidence against correctness. */
    public static CumulativeCalibrationTest kolmogorovSmirnov(Probabilities p, int[] labels) {
        TopLabel t = TopLabel.of(p, labels);
        return kolmogorovSmirnov(t.confidences(), t.correct());
    }

    /** Kuiper test of the top-label confidence against correctness. */
    public static CumulativeCalibrationTest kuiper(Probabilities p, int[] labels) {
        TopLabel t = TopLabel.of(p, labels);
        return kuiper(t.confidences(), t.correct());
    }

    /**
     * The cumulative calibration curve, one point per distinct p in increasing order:
     * {@code [k][0]} the value of p, {@code [k][1]} = C after all rows with that p.
     */
    public static double[][] cumulativeCurve(double[] p, boolean[] outcome) {
        Args.probabilities(p, outcome, "p", "outcome");
        SortedPair s = SortedPair.of(p, outcome);
        int n = p.length;
        double[] xs = new double[n];
        double[] cs = new double[n];
        int[] m = {0};
        s.walk((value, c) -> {
            xs[m[0]] = value;
            cs[m[0]++] = c / n;
        });
        double[][] out = new double[m[0]][];
        for (int k = 0; k < m[0]; k++) {
            out[k] = new double[] {xs[k], cs[k]};
        }
        return out;
    }

    private static CumulativeCalibrationTest cumulative(double[] p, boolean[] outcome,
                                                        CumulativeCalibrationTest.Kind kind) {
        Args.probabilities(p, outcome, "p", "outcome");
        SortedPair s = SortedPair.of(p, outcome);
        double var = 0;
        for (double v : p) {
            var += v * (1 - v);
        }
        double[] ext = {0, 0, 0};   // max, min (both start at C_0 = 0), max |C|
        s.walk((value, c) -> {
            ext[0] = Math.max(ext[0], c);
            ext[1] = Math.min(ext[1], c);
            ext[2] = Math.max(ext[2], Math.abs(c));
        });
        return cumulative(kind, ext[0], ext[1], ext[2], var, p.length);
    }

    /**
     * Kolmogorov–Smirnov or Kuiper from the extremes of the cumulative sum
     * {@code sum_{p_i <= s} (y_i - p_i)} over the distinct values s (each starting at the curve's
     * start, 0) and {@code sum p_i (1 - p_i)}: for predictions that are not in one array.
     */
    public static CumulativeCalibrationTest cumulative(CumulativeCalibrationTest.Kind kind, double max, double min,
                                                       double maxAbs, double var, int n) {
        Objects.requireNonNull(kind, "kind");
        double raw = kind == CumulativeCalibrationTest.Kind.KUIPER ? max - min : maxAbs;
        double stat;
        if (var > 0) {
            stat = raw / Math.sqrt(var);
        } else {
            stat = raw == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        double pv = kind == CumulativeCalibrationTest.Kind.KUIPER ? brownianRangeUpperTail(stat)
                : brownianMaxAbsUpperTail(stat);
        return new CumulativeCalibrationTest(kind, stat, pv, n);
    }

    // ---------------------------------------------------------------- distributions

    /**
     * {@code P(max_{t in [0,1]} |B_t| > x)} for a standard Brownian motion B. For x &lt; 1, one minus
     * the Darling–Siegert series {@code (4/pi) sum_k (-1)^k / (2k+1) exp(-(2k+1)^2 pi^2 / (8 x^2))}
     * (the series MAPIE and Tygert sum); for x &gt;= 1, the equivalent reflection series
     * {@code 4 sum_{k>=1} (-1)^(k+1) (1 - Phi((2k-1) x))}, which keeps full relative accuracy for
     * tiny p-values instead of losing them to {@code 1 - (1 - p)}. Both converge to machine
     * precision in a handful of terms on their side of 1.
     */
    public static double brownianMaxAbsUpperTail(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("Expected x to be a number, but got NaN");
        }
        if (x <= 0.05) {
            return 1.0;     // the cdf is below exp(-pi^2 / (8 * 0.0025)) = 1e-214
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        if (x < 1) {
            double c = 0;
            for (int k = 0; k < 50; k++) {
                double kp = k + 0.5;
                double term = Math.exp(-kp * kp * Math.PI * Math.PI / (2 * x * x)) / kp;
                c += (k % 2 == 0) ? term : -term;
                if (term < 1e-18) {
                    break;
                }
            }
            return 1 - c * 2 / Math.PI;
        }
        double q = 0;
        for (int k = 1; k < 50; k++) {
            double term = normalUpperTail((2 * k - 1) * x);
            q += (k % 2 == 1) ? term : -term;
            if (term < 1e-18 * q) {
                break;
            }
        }
        return Math.min(1.0, 4 * q);
    }

    /**
     * {@code P(max B - min B > x)} over t in [0, 1] for a standard Brownian motion B (its range,
     * Feller 1951). For x &lt; 1.5, one minus the series
     * {@code sum_{k>=0} (8/x^2 + 2/((k+1/2)^2 pi^2)) exp(-2 (k+1/2)^2 pi^2 / x^2)} (MAPIE's and
     * Tygert's); for x &gt;= 1.5, the integral of Feller's density
     * {@code 8 sum_{k>=1} (-1)^(k-1) k^2 phi(k r)}, i.e. {@code 8 sum_{k>=1} (-1)^(k-1) k (1 - Phi(k x))},
     * accurate for tiny p-values.
     */
    public static double brownianRangeUpperTail(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("Expected x to be a number, but got NaN");
        }
        if (x <= 0.05) {
            return 1.0;     // the cdf is below 3200 exp(-pi^2 / (2 * 0.0025)) = 1e-854
        }
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        if (x < 1.5) {
            double c = 0;
            double x2 = x * x;
            for (int k = 0; k < 50; k++) {
                double kp = k + 0.5;
                double term = (8 / x2 + 2 / (kp * kp * Math.PI * Math.PI))
                        * Math.exp(-2 * kp * kp * Math.PI * Math.PI / x2);
                c += term;
                if (term < 1e-18) {
                    break;
                }
            }
            return 1 - c;
        }
        double q = 0;
        for (int k = 1; k < 50; k++) {
            double term = k * normalUpperTail(k * x);
            q += (k % 2 == 1) ? term : -term;
            if (term < 1e-18 * q) {
                break;
            }
        }
        return Math.min(1.0, 8 * q);
    }

    /** {@code 1 - Phi(z)} without cancellation: {@code erfc(z / sqrt 2) / 2}. */
    static double normalUpperTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        if (z == Double.NEGATIVE_INFINITY) {
            return 1.0;
        }
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** Upper tail of chi-squared(df) at x: the regularised upper incomplete gamma Q(df/2, x/2). */
    static double chiSquaredUpperTail(int df, double x) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }

    // ---------------------------------------------------------------- sorting

    /**
     * p sorted ascending, and the p of the positive outcomes sorted ascending: enough to walk the
     * cumulative curve by distinct value without sorting an index array.
     */
    private record SortedPair(double[] all, double[] positives) {
        static SortedPair of(double[] p, boolean[] outcome) {
            double[] positives = Flagged.where(p, outcome, true);
            double[] all = p.clone();
            Arrays.sort(all);
            Arrays.sort(positives);
            return new SortedPair(all, positives);
        }

        interface Step {
            void at(double value, double cumulative);
        }

        /** Calls step after each distinct value with {@code sum_{p_i <= value} (y_i - p_i)}. */
        void walk(Step step) {
            double c = 0;
            int j = 0;
            int i = 0;
            int n = all.length;
            while (i < n) {
                double v = all[i];
                double sumP = 0;
                while (i < n && all[i] == v) {
                    sumP += all[i++];
                }
                int hits = 0;
                while (j < positives.length && positives[j] <= v) {
                    j++;
                    hits++;
                }
                c += hits - sumP;
                step.at(v, c);
            }
        }
    }
}
