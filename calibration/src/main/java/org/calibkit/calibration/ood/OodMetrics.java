package org.calibkit.calibration.ood;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Detection metrics for separating in-distribution from out-of-distribution inputs by a score.
 *
 * <p><b>Convention.</b> In-distribution is the <b>positive</b> class and a <b>higher score means
 * "more in-distribution"</b> (as every score of {@link OodScores}). Thresholds are the distinct
 * score values; a row is called in-distribution when its score is {@code >=} the threshold.
 * Everything is computed from two sorted primitive arrays in linear time after the sort.
 * <ul>
 *   <li>AUROC: probability that a random in-distribution score exceeds a random OOD score, ties
 *       counting one half (Mann-Whitney U / (n_in n_out)); equals scikit-learn's roc_auc_score.</li>
 *   <li>AUPR-In / AUPR-Out: average precision, step-wise as scikit-learn's
 *       average_precision_score ({@code AP = sum_n (R_n - R_{n-1}) P_n} over thresholds from the
 *       highest down, no interpolation); AUPR-In with in-distribution positive and the score as
 *       given, AUPR-Out with OOD positive and the score negated.</li>
 *   <li>FPR at 95% TPR: the smallest false-positive rate (fraction of OOD rows called
 *       in-distribution) over thresholds whose true-positive rate is at least 0.95.</li>
 * </ul>
 */
public final class OodMetrics {
    private OodMetrics() {
    }

    /**
     * All four metrics at once.
     *
     * @param auroc   area under the ROC curve
     * @param auprIn  average precision, in-distribution positive
     * @param auprOut average precision, OOD positive
     * @param fpr95   FPR at 95% TPR
     */
    public record Result(double auroc, double auprIn, double auprOut, double fpr95) {
        /** Ordered map with snake_case keys auroc, aupr_in, aupr_out, fpr_at_95_tpr. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auroc", auroc);
            m.put("aupr_in", auprIn);
            m.put("aupr_out", auprOut);
            m.put("fpr_at_95_tpr", fpr95);
            return m;
        }
    }

    /** AUROC, AUPR-In, AUPR-Out and FPR at 95% TPR, sorting each array once. */
    public static Result evaluate(double[] inScores, double[] outScores) {
        double[] in = sorted("inScores", inScores);
        double[] out = sorted("outScores", outScores);
        return new Result(aurocSorted(in, out), apSorted(in, out), apOutSorted(in, out), fprSorted(in, out, 0.95));
    }

    /** AUROC with ties counting one half. */
    public static double auroc(double[] inScores, double[] outScores) {
        return aurocSorted(sorted("inScores", inScores), sorted("outScores", outScores));
    }

    /** Average precision with in-distribution as positive class. */
    public static double auprIn(double[] inScores, double[] outScores) {
        return apSorted(sorted("inScores", inScores), sorted("outScores", outScores));
    }

    /** Average precision with OOD as positive class (scores negated). */
    public static double auprOut(double[] inScores, double[] outScores) {
        return apOutSorted(sorted("inScores", inScores), sorted("outScores", outScores));
    }

    /** FPR at 95% TPR. */
    public static double fprAt95Tpr(double[] inScores, double[] outScores) {
        return fprAtTpr(inScores, outScores, 0.95);
    }

    /** Smallest FPR over thresholds with TPR &gt;= {@code tpr}, tpr in (0, 1]. */
    public static double fprAtTpr(double[] inScores, double[] outScores, double tpr) {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("Expected tpr in (0, 1], but got " + tpr);
        }
        return fprSorted(sorted("inScores", inScores), sorted("outScores", outScores), tpr);
    }

    private static double[] sorted(String name, double[] scores) {
        Objects.requireNonNull(scores, name);
        if (scores.length == 0) {
            throw new IllegalArgumentException("Expected " + name + " to have at least one score, but got 0");
        }
        double[] s = scores.clone();
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) {
                throw new IllegalArgumentException("Expected " + name + " to be numbers, but got NaN at row " + i);
            }
            if (s[i] == 0.0) {
                s[i] = 0.0; // -0.0 and 0.0 are one score
            }
        }
        if (s.length > (1 << 17)) {
            Arrays.parallelSort(s);
        } else {
            Arrays.sort(s);
        }
        return s;
    }

    static double aurocSorted(double[] in, double[] out) {
        // for each in-score: #out strictly below + 0.5 #out equal
        int j = 0;
        int nOut = out.length;
        double u = 0;
        int i = 0;
        while (i < in.length) {
            double v = in[i];
            int iEnd = i;
            while (iEnd < in.length && in[iEnd] == v) {
                iEnd++;
            }
            while (j < nOut && out[j] < v) {
                j++;
            }
            int jEnd = j;
            while (jEnd < nOut && out[jEnd] == v) {
                jEnd++;
            }
            long cnt = iEnd - i;
            u += cnt * (j + 0.5 * (jEnd - j));
            i = iEnd;
        }
        return u / ((double) in.length * nOut);
    }

    /**
     * The distinct thresholds of positives and negatives (both ascending) from the top: each
     * {@link #next} moves below one, counting the positives and negatives at it.
     */
    private static final class Walk {
        private final double[] pos;
        private final double[] neg;
        private int ip;
        private int in;
        long tp;
        long fp;

        Walk(double[] pos, double[] neg) {
            this.pos = pos;
            this.neg = neg;
            this.ip = pos.length - 1;
            this.in = neg.length - 1;
        }

        /** Moves below the next threshold; false (and nothing moved) once no positive is left. */
        boolean next() {
            if (ip < 0) {
                return false;
            }
            double t = Math.max(pos[ip], in >= 0 ? neg[in] : Double.NEGATIVE_INFINITY);
            while (ip >= 0 && pos[ip] == t) {
                tp++;
                ip--;
            }
            while (in >= 0 && neg[in] == t) {
                fp++;
                in--;
            }
            return true;
        }
    }

    /** AP with positives {@code pos} and negatives {@code neg}, both ascending, walking thresholds from the top. */
    private static double apDescending(double[] pos, double[] neg) {
        Walk w = new Walk(pos, neg);
        double prevRecall = 0;
        double ap = 0;
        while (w.next()) {
            double recall = (double) w.tp / pos.length;
            double precision = (double) w.tp / (w.tp + w.fp);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
        }
        return ap;
    }

    static double apSorted(double[] in, double[] out) {
        return apDescending(in, out);
    }

    static double apOutSorted(double[] in, double[] out) {
        return apDescending(negatedAscending(out), negatedAscending(in));
    }

    private static double[] negatedAscending(double[] ascending) {
        double[] r = new double[ascending.length];
        for (int i = 0; i < r.length; i++) {
            double v = -ascending[ascending.length - 1 - i];
            r[i] = v == 0.0 ? 0.0 : v;
        }
        return r;
    }

    static double fprSorted(double[] in, double[] out, double target) {
        // walk thresholds from the top; TPR and FPR only grow; the first threshold reaching the
        // target TPR has the smallest FPR
        Walk w = new Walk(in, out);
        while (w.next()) {
            if ((double) w.tp / in.length >= target) {
                return (double) w.fp / out.length;
            }
        }
        return (double) w.fp / out.length;
    }
}
