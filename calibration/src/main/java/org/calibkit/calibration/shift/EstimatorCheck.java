package org.calibkit.calibration.shift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.calibration.metrics.CalibrationMetrics;

/**
 * Every label-free estimate checked against the truth: for each labelled shifted set and each
 * fitted estimator, the estimated and the true accuracy and the absolute error; per estimator the
 * mean absolute error (MAE) and the worst error over the sets; and a sentence naming the
 * estimator with the lowest MAE. This is what no monitoring tool does for itself: calibkit can make
 * labelled shifted inputs, so every estimate it offers is checked on the same model.
 */
public final class EstimatorCheck {
    private EstimatorCheck() {
    }

    /**
     * One estimate on one set.
     *
     * @param set       the set's name
     * @param estimator the estimator's name
     * @param estimate  the estimated accuracy (with its interval, if any)
     * @param truth     the true accuracy from the labels
     */
    public record Row(String set, String estimator, Estimate estimate, double truth) {
        /** {@code |estimated - true|}. */
        public double absoluteError() {
            return Math.abs(estimate.accuracy() - truth);
        }

        /** Whether the estimate's interval holds the truth (false when it has none). */
        public boolean covered() {
            return estimate.hasInterval() && estimate.lower() <= truth && truth <= estimate.upper();
        }
    }

    /**
     * One estimator over all sets.
     *
     * @param estimator the estimator's name
     * @param sets      sets checked
     * @param mae       mean absolute error (accuracy as a share, not points)
     * @param worst     the largest absolute error
     * @param worstSet  the set where it happened
     */
    public record Summary(String estimator, int sets, double mae, double worst, String worstSet) {
    }

    /**
     * The check's result.
     *
     * @param rows      set by set, estimator by estimator, in the order given
     * @param summaries one per estimator, lowest MAE first
     */
    public record Result(List<Row> rows, List<Summary> summaries) {
        public Result {
            rows = List.copyOf(rows);
            summaries = List.copyOf(summaries);
        }

        /** The estimator with the lowest MAE. */
        public Summary best() {
            return summaries.get(0);
        }

        /**
         * In words, in percentage points, e.g. "On 90 shifted sets, ATC-NE estimates accuracy within
         * 3.1 points on average (worst 9.8, on mnist-c/fog/5); next: AC (temperature) within 6.4
         * (worst 21.0), DoC within 7.0 (worst 25.3)."
         */
        public String sentence() {
            Summary b = best();
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "On %d shifted sets, %s estimates accuracy within %.1f points on average (worst %.1f, on %s)",
                    b.sets(), b.estimator(), 100 * b.mae(), 100 * b.worst(), b.worstSet()));
            for (int i = 1; i < summaries.size(); i++) {
                Summary o = summaries.get(i);
                s.append(i == 1 ? "; next: " : ", ").append(String.format(Locale.ROOT, "%s within %.1f (worst %.1f)",
                        o.estimator(), 100 * o.mae(), 100 * o.worst()));
            }
            return s.append('.').toString();
        }
    }

    /**
     * Checks every estimator on every set.
     *
     * @throws IllegalArgumentException when there is no estimator or no set
     */
    public static Result run(List<? extends AccuracyEstimator.Fitted> estimators, List<LabelledLogits> sets) {
        Objects.requireNonNull(estimators, "estimators");
        Objects.requireNonNull(sets, "sets");
        if (estimators.isEmpty() || sets.isEmpty()) {
            throw new IllegalArgumentException("EstimatorCheck needs at least one estimator and one set, but got "
                    + estimators.size() + " and " + sets.size());
        }
        List<Row> rows = new ArrayList<>();
        for (LabelledLogits set : sets) {
            double truth = CalibrationMetrics.accuracy(set.logits(), set.labels());
            for (AccuracyEstimator.Fitted e : estimators) {
                rows.add(new Row(set.name(), e.name(), e.estimate(set.logits()), truth));
            }
        }
        List<Summary> summaries = new ArrayList<>();
        for (AccuracyEstimator.Fitted e : estimators) {
            double sum = 0;
            double worst = -1;
            String worstSet = null;
            int m = 0;
            for (Row r : rows) {
                if (!r.estimator().equals(e.name())) {
                    continue;
                }
                double err = r.absoluteError();
                sum += err;
                m++;
                if (err > worst) {
                    worst = err;
                    worstSet = r.set();
                }
            }
            summaries.add(new Summary(e.name(), m, sum / m, worst, worstSet));
        }
        summaries.sort(Comparator.comparingDouble(Summary::mae));
        return new Result(rows, summaries);
    }
}
