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
        Counts c = new Counts(sets.k());
        c.add(sets, labels);
        return c.evaluation(level);
    }

    /**
     * What an evaluation counts, added set by set and mergeable (the partitions of a log add their
     * own and merge them in any order: integer counts). Public and with a no-argument
     * constructor for the serializers that ship it.
     */
    public static final class Counts implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private long n;
        private long covered;
        private long sizes;
        private long[] classCount;
        private long[] classCovered;
        private long[] sizeCount;
        private long[] sizeCovered;

        /** For serializers only. */
        public Counts() {
        }

        /** Empty counts for K classes. */
        public Counts(int k) {
            classCount = new long[k];
            classCovered = new long[k];
            sizeCount = new long[k + 1];
            sizeCovered = new long[k + 1];
        }

        /** Adds each row's set against its label (labels checked by the caller). */
        public void add(PredictionSets sets, int[] labels) {
            for (int i = 0; i < sets.n(); i++) {
                boolean hit = sets.contains(i, labels[i]);
                int s = sets.size(i);
                n++;
                sizes += s;
                classCount[labels[i]]++;
                sizeCount[s]++;
                if (hit) {
                    covered++;
                    classCovered[labels[i]]++;
                    sizeCovered[s]++;
                }
            }
        }

        /** Adds the other counts (same K) into these. */
        public void merge(Counts o) {
            n += o.n;
            covered += o.covered;
            sizes += o.sizes;
            for (int j = 0; j < classCount.length; j++) {
                classCount[j] += o.classCount[j];
                classCovered[j] += o.classCovered[j];
            }
            for (int s = 0; s < sizeCount.length; s++) {
                sizeCount[s] += o.sizeCount[s];
                sizeCovered[s] += o.sizeCovered[s];
            }
        }

        /** The evaluation of every row added ({@link #ofCounts}). */
        public ConformalEvaluation evaluation(double level) {
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Expected at most " + Integer.MAX_VALUE + " rows, but got " + n);
            }
            return ofCounts((int) n, covered, sizes, classCount, classCovered, sizeCount, sizeCovered, level);
        }
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
