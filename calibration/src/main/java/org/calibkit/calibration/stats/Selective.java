package org.calibkit.calibration.stats;

import java.util.Arrays;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.TopLabel;

/**
 * Selective prediction (Geifman and El-Yaniv 2017, "Selective classification for deep neural
 * networks", NeurIPS): predict only where a confidence score is high enough, abstain elsewhere.
 * Any score works (max softmax, max logit, energy, a calibrated probability): higher means more
 * confident; only its order matters. Inputs are the scores and whether each prediction was
 * right. Scores may be infinite but not NaN.
 *
 * <p><b>Risk–coverage.</b> Sorting rows by decreasing score, coverage {@code k/n} keeps the k
 * most confident rows and its risk is their error rate. <b>Ties</b>: rows with equal scores are
 * accepted or rejected together by any threshold; inside a run of ties the cumulative number of
 * errors is interpolated linearly (the average over every order of the tied rows), so nothing
 * depends on row order.
 *
 * <p><b>AURC</b> follows torch-uncertainty's convention: the trapezoidal rule over the n points
 * {@code (k/n, risk_k)}, k = 1..n (there is no risk at coverage 0), divided by the width of that
 * support, {@code 1 - 1/n}: {@code AURC = (sum_k risk_k - (risk_1 + risk_n)/2) / (n - 1)}. Its
 * test vector (confidences 0.9, 0.8, 0.7, 0.6, 0.8 with the 0.7 and 0.6 rows wrong) gives 0.1125.
 * Other libraries take the plain mean of the risks, or integrate from coverage 0; the numbers
 * differ by O(1/n). <b>E-AURC</b> (Geifman, Uziel and El-Yaniv 2019) subtracts the AURC of the
 * oracle order (all correct rows first), under the same convention.
 */
public final class Selective {
    private Selective() {
    }

    // ---------------------------------------------------------------- area

    /** AURC of scores against correctness (see the class comment); needs at least 2 rows. */
    public static double aurc(double[] score, boolean[] correct) {
        Args.scores(score, correct, "score", "correct");
        atLeastTwo(score.length);
        Split s = Split.of(score, correct);
        double[] sum = {0};
        double[] first = {Double.NaN};
        double[] last = {0};
        s.walkRows((k, cumErrors) -> {
            double r = cumErrors / k;
            sum[0] += r;
            if (k == 1) {
                first[0] = r;
            }
            last[0] = r;
        });
        return (sum[0] - (first[0] + last[0]) / 2) / (score.length - 1);
    }

    /** AURC of the top-label confidence of probabilities (first arg-max on ties) against labels. */
    public static double aurc(Probabilities p, int[] labels) {
        TopLabel t = TopLabel.of(p, labels);
        return aurc(t.confidences(), t.correct());
    }

    /** AURC of the oracle order (every correct row ranked above every error), same convention. */
    public static double optimalAurc(boolean[] correct) {
        java.util.Objects.requireNonNull(correct, "correct");
        int n = correct.length;
        atLeastTwo(n);
        long good = 0;
        for (boolean b : correct) {
            if (b) {
                good++;
            }
        }
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += (double) Math.max(0, k - good) / k;
        }
        double first = good >= 1 ? 0 : 1;
        double last = (double) (n - good) / n;
        return (sum - (first + last) / 2) / (n - 1);
    }

    /** E-AURC: {@link #aurc} minus {@link #optimalAurc}. */
    public static double eaurc(double[] score, boolean[] correct) {
        return aurc(score, correct) - optimalAurc(correct);
    }

    /** E-AURC of the top-label confidence of probabilities against labels. */
    public static double eaurc(Probabilities p, int[] labels) {
        TopLabel t = TopLabel.of(p, labels);
        return eaurc(t.confidences(), t.correct());
    }

    // ---------------------------------------------------------------- curve and operating points

    /** The risk–coverage curve, one point per distinct score from the highest. */
    public static RiskCoverageCurve riskCoverage(double[] score, boolean[] correct) {
        Args.scores(score, correct, "score", "correct");
        Split s = Split.of(score, correct);
        int n = score.length;
        double[] th = new double[n];
        long[] acc = new long[n];
        long[] err = new long[n];
        int[] m = {0};
        s.walkGroups((value, accepted, errors) -> {
            th[m[0]] = value;
            acc[m[0]] = accepted;
            err[m[0]++] = errors;
        });
        return new RiskCoverageCurve(Arrays.copyOf(th, m[0]), Arrays.copyOf(acc, m[0]), Arrays.copyOf(err, m[0]), n);
    }

    /**
     * The most selective threshold that still covers at least {@code coverage} of the rows, and its
     * risk. With ties at the threshold the achieved coverage can exceed the one asked.
     *
     * @param coverage in (0, 1]
     */
    public static OperatingPoint riskAtCoverage(double[] score, boolean[] correct, double coverage) {
        if (!(coverage > 0 && coverage <= 1)) {
            throw new IllegalArgumentException("Expected coverage in (0, 1], but got " + coverage);
        }
        RiskCoverageCurve c = riskCoverage(score, correct);
        int n = c.n();
        long need = (long) Math.ceil(coverage * n - 1e-9);
        for (int m = 0; m < c.size(); m++) {
            if (c.accepted(m) >= need) {
                return point(c, m);
            }
        }
        return point(c, c.size() - 1);
    }

    /**
     * The largest coverage whose risk is at most {@code risk}, with the threshold that gives it:
     * "to keep the error below 1%, predict only when the score is at least this, which happens on
     * this fraction of the rows". The empirical risk of the evaluated rows, not a bound on future
     * risk. When no threshold reaches the risk, the point accepts nothing (threshold +infinity,
     * coverage 0, risk NaN).
     *
     * @param risk in [0, 1]
     */
    public static OperatingPoint coverageAtRisk(double[] score, boolean[] correct, double risk) {
        if (!(risk >= 0 && risk <= 1)) {
            throw new IllegalArgumentException("Expected risk in [0, 1], but got " + risk);
        }
        RiskCoverageCurve c = riskCoverage(score, correct);
        for (int m = c.size() - 1; m >= 0; m--) {
            // errors / accepted <= risk, compared without rounding the ratio
            if (c.errors(m) <= risk * c.accepted(m)) {
                return point(c, m);
            }
        }
        return new OperatingPoint(Double.POSITIVE_INFINITY, 0, Double.NaN, 0, 0, c.n());
    }

    private static OperatingPoint point(RiskCoverageCurve c, int m) {
        return new OperatingPoint(c.threshold(m), c.coverage(m), c.risk(m), c.accepted(m), c.errors(m), c.n());
    }

    private static void atLeastTwo(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("Expected at least 2 rows for an area under the risk-coverage curve, but got " + n);
        }
    }

    // ---------------------------------------------------------------- sorting

    /**
     * Scores of correct rows and of wrong rows, each sorted ascending (two primitive sorts, in
     * parallel for large inputs): walking both from the top gives the groups of equal scores and
     * their error counts without sorting an index array.
     */
    private record Split(double[] good, double[] bad) {
        static Split of(double[] score, boolean[] correct) {
            double[] good = Flagged.where(score, correct, true);
            double[] bad = Flagged.where(score, correct, false);
            if (score.length >= 1 << 16) {
                Arrays.parallelSort(good);
                Arrays.parallelSort(bad);
            } else {
                Arrays.sort(good);
                Arrays.sort(bad);
            }
            return new Split(good, bad);
        }

        interface Group {
            void at(double value, long accepted, long errors);
        }

        interface Row {
            void at(int k, double cumulativeErrors);
        }

        interface Run {
            void at(double value, int good, int bad);
        }

        /** Calls run for each run of equal scores, from the highest, with its numbers of good and bad predictions. */
        void walkRuns(Run run) {
            int gi = good.length - 1;
            int bi = bad.length - 1;
            while (gi >= 0 || bi >= 0) {
                double v = Math.max(gi >= 0 ? good[gi] : Double.NEGATIVE_INFINITY,
                        bi >= 0 ? bad[bi] : Double.NEGATIVE_INFINITY);
                int g = 0;
                int e = 0;
                while (gi >= 0 && good[gi] == v) {
                    gi--;
                    g++;
                }
                while (bi >= 0 && bad[bi] == v) {
                    bi--;
                    e++;
                }
                run.at(v, g, e);
            }
        }

        /** Calls group after each run of equal scores, from the highest, with cumulative counts. */
        void walkGroups(Group group) {
            long[] totals = new long[2]; // accepted, errors
            walkRuns((v, g, e) -> {
                totals[0] += g + e;
                totals[1] += e;
                group.at(v, totals[0], totals[1]);
            });
        }

        /** Calls row for k = 1..n with the cumulative errors, interpolated linearly inside runs of ties. */
        void walkRows(Row row) {
            long[] before = new long[2]; // rows, errors before this run
            walkRuns((v, g, e) -> {
                int k = (int) before[0];
                long errors = before[1];
                int size = g + e;
                if (e == 0 || g == 0) {
                    // no mixing: the cumulative count is exact for every order
                    for (int j = 1; j <= size; j++) {
                        row.at(k + j, errors + (e == 0 ? 0 : j));
                    }
                } else {
                    double rate = (double) e / size;
                    for (int j = 1; j <= size; j++) {
                        row.at(k + j, errors + j * rate);
                    }
                }
                before[0] += size;
                before[1] += e;
            });
        }
    }
}
