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
        long[] cls = new long[k];
        long[] clsHit = new long[k];
        long[] bySize = new long[k + 1];
        long[] bySizeHit = new long[k + 1];
        for (int i = 0; i < n; i++) {
            boolean hit = sets.contains(i, labels[i]);
            int s = sets.size(i);
            cls[labels[i]]++;
            bySize[s]++;
            if (hit) {
                covered++;
                clsHit[labels[i]]++;
                bySizeHit[s]++;
            }
        }
        double[] clsCov = new double[k];
        for (int j = 0; j < k; j++) {
            clsCov[j] = cls[j] == 0 ? Double.NaN : (double) clsHit[j] / cls[j];
        }
        double[] sizeCov = new double[k + 1];
        for (int s = 0; s <= k; s++) {
            sizeCov[s] = bySize[s] == 0 ? Double.NaN : (double) bySizeHit[s] / bySize[s];
        }
        return new ConformalEvaluation(n, covered, (double) covered / n,
                Proportions.clopperPearson(covered, n, level), sets.meanSize(), bySize, cls, clsCov, sizeCov);
    }
}
