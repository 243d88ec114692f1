package org.calibkit.calibration.stats;

import java.util.Objects;
import org.calibkit.calibration.Checks;

/**
 * How conformal prediction sets did on labelled test rows: marginal coverage with its binomial
 * interval, set sizes, and coverage per class and per set size (where the marginal guarantee
 * says nothing: low coverage of a class or of singletons shows the sets are not conditionally
 * valid there). Build it with {@link #of(PredictionSets, int[], double)}.
 *
 * @param n                 number of test rows
 * @param covered           rows whose set contains the label
 * @param coverage          covered / n
 * @param coverageInterval  Clopper–Pearson interval of the coverage
 * @param meanSize          mean set size
 * @param sizeHistogram     rows per set size 0..K
 * @param classCount        test rows per label
 * @param classCoverage     coverage among rows of each label (NaN where there are none)
 * @param sizeCoverage      coverage among rows with each set size 0..K (NaN where there are none)
 */
public record ConformalEvaluation(int n, long covered, double coverage, ProportionInterval coverageInterval,
                                  double meanSize, long[] sizeHistogram, long[] classCount,
                                  double[] classCoverage, double[] sizeCoverage) {

    /**
     * Evaluates sets against labels.
     *
     * @param level coverage of the binomial interval of the coverage, e.g. 0.95
     * @throws IllegalArgumentException for labels that do not match the sets (naming the row) or a bad level
     */
    public static ConformalEvaluation of(PredictionSets sets, int[] labels, double level) {
        Objects.requireNonNull(sets, "sets");
        Checks.labels("labels", labels, sets.n(), sets.k());
        Args.level("level", level);
        int n = sets.n();
        int k = sets.k();
        long covered = 0;
        long sizes = 0;
        long[] cls = new long[k];
        long[] clsHit = new long[k];
        long[] bySize = new long[k + 1];
        long[] bySizeHit = new long[k + 1];
        for (int i = 0; i < n; i++) {
            boolean hit = sets.contains(i, labels[i]);
            int s = sets.size(i);
            sizes += s;
            cls[labels[i]]++;
            bySize[s]++;
            if (hit) {
                covered++;
                clsHit[labels[i]]++;
                bySizeHit[s]++;
            }
        }
        return ofCounts(n, covered, sizes, cls, clsHit, bySize, bySizeHit, level);
    }

    /**
     * The evaluation from its counts, however they were gathered (one machine, a log's partitions):
     * rows, covered rows, the sum of set sizes, rows and covered rows per label and per set size 0..K.
     */
    public static ConformalEvaluation ofCounts(int n, long covered, long sizes, long[] classCount, long[] classCovered,
                                               long[] sizeCount, long[] sizeCovered, double level) {
        Args.level("level", level);
        double[] clsCov = new double[classCount.length];
        for (int j = 0; j < clsCov.length; j++) {
            clsCov[j] = classCount[j] == 0 ? Double.NaN : (double) classCovered[j] / classCount[j];
        }
        double[] sizeCov = new double[sizeCount.length];
        for (int s = 0; s < sizeCov.length; s++) {
            sizeCov[s] = sizeCount[s] == 0 ? Double.NaN : (double) sizeCovered[s] / sizeCount[s];
        }
        return new ConformalEvaluation(n, covered, (double) covered / n, Proportions.clopperPearson(covered, n, level),
                (double) sizes / n, sizeCount.clone(), classCount.clone(), clsCov, sizeCov);
    }
}
