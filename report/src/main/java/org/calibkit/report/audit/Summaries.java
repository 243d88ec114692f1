package org.calibkit.report.audit;

import java.util.Arrays;
import java.util.Locale;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.Quantiles;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.report.probes.ProbeKind;

/** Small summaries of confidences and sigmoid outputs shared by the test section and the probes. */
final class Summaries {
    /** Equal-width bins of the confidence histograms in the result. */
    static final int HISTOGRAM_BINS = 20;

    private Summaries() {
    }

    /** The kind as written in results ({@code out_of_distribution}). */
    static String kindId(ProbeKind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    /** Row sums of independent probabilities: mean, 5/25/50/75/95% quantiles, share of rows with no probability above 0.5. */
    static AuditResult.SigmoidStats sigmoid(Probabilities p) {
        int n = p.n();
        int k = p.k();
        double[] sums = new double[n];
        int none = 0;
        double total = 0;
        double[] v = p.raw();
        for (int i = 0; i < n; i++) {
            double s = 0;
            double m = 0;
            for (int j = 0; j < k; j++) {
                s += v[i * k + j];
                m = Math.max(m, v[i * k + j]);
            }
            sums[i] = s;
            total += s;
            if (m <= 0.5) {
                none++;
            }
        }
        Arrays.sort(sums);
        double[] q = {0.05, 0.25, 0.5, 0.75, 0.95};
        double[] qs = new double[q.length];
        for (int j = 0; j < q.length; j++) {
            qs[j] = Quantiles.linear(sums, q[j]);
        }
        return new AuditResult.SigmoidStats(total / n, qs, (double) none / n);
    }

    /** Shares of {@code conf} in {@link #HISTOGRAM_BINS} equal-width bins of [0, 1]. */
    static double[] histogram(double[] conf) {
        double[] h = new double[HISTOGRAM_BINS];
        for (double c : conf) {
            h[ReliabilityBins.binOf(c, HISTOGRAM_BINS)]++;
        }
        for (int b = 0; b < h.length; b++) {
            h[b] /= conf.length;
        }
        return h;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The share of values at or above {@code threshold}. */
    static double share(double[] v, double threshold) {
        int c = 0;
        for (double x : v) {
            if (x >= threshold) {
                c++;
            }
        }
        return (double) c / v.length;
    }

    /** The first column of row i with the largest probability. */
    static int argmax(Probabilities p, int i) {
        int best = 0;
        for (int j = 1; j < p.k(); j++) {
            if (p.get(i, j) > p.get(i, best)) {
                best = j;
            }
        }
        return best;
    }
}
