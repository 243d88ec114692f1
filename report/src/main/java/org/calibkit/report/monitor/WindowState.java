package org.calibkit.report.monitor;

import java.util.List;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.TopLabel;
import org.calibkit.calibration.shift.AccuracyEstimator;
import org.calibkit.calibration.shift.Estimate;

/**
 * The sums one monitor window's numbers are made of, mergeable: rows, the sum of the calibrated
 * top probabilities, rows below the reference's unfamiliarity threshold, predicted-class counts,
 * each fitted estimator's plain accumulator state ({@link AccuracyEstimator.Accumulator#state}),
 * and over the labelled rows calibration's exact {@link ReliabilityBins.Accumulator} (realised
 * accuracy and ECE). {@link #add} a chunk of rows, {@link #merge} another window's or partition's
 * state (associative; counts and bins exact, the double sums equal up to rounding), then
 * {@link Monitor#ofStates} turns states into windows. No order statistic is needed, so the
 * single-machine {@link Monitor} and Spark compute every window through this class.
 *
 * <p>Plain data only (arrays and counts, no reference or estimator inside), so it travels between
 * JVMs through Spark's Kryo encoder; {@link #add} and the finishing take the {@link Reference}.
 * Mutable, not thread-safe.
 */
public final class WindowState {
    private final int k;
    private final int bins;
    private long n;
    private double confidenceSum;
    private long unfamiliar;
    private final long[] predicted;
    private long labelled;
    private final ReliabilityBins.Accumulator labelledBins;
    private final double[][] estimators;

    /** An empty window for {@code ref}'s classes and estimators, with {@code bins} equal-width bins for the realised ECE. */
    public WindowState(Reference ref, int bins) {
        this.k = ref.classShares().length;
        this.bins = bins;
        this.predicted = new long[k];
        this.labelledBins = new ReliabilityBins.Accumulator(bins);
        List<AccuracyEstimator.Fitted> fitted = ref.estimators();
        this.estimators = new double[fitted.size()][];
        for (int e = 0; e < estimators.length; e++) {
            estimators[e] = new double[fitted.get(e).accumulator().state().length];
        }
    }

    /**
     * Adds a chunk of the window's rows: their outputs as logits and their labels (-1 where none
     * arrived; null for none at all); returns this.
     *
     * @param firstRow the chunk's first row in the log, for messages
     * @throws IllegalArgumentException when the chunk's classes differ from the reference's, or a label is outside [0, K)
     */
    public WindowState add(Reference ref, Logits z, int[] labels, long firstRow) {
        if (z.k() != k) {
            throw new IllegalArgumentException("the log has " + z.k() + " output columns, but the reference has " + k
                    + " classes");
        }
        int rows = z.n();
        Probabilities p = ref.map().apply(z);
        double[] top = p.maxProbability();
        double[] familiarity = ref.unfamiliarScore().equals("msp") ? top : ref.unfamiliarScores(z, p);
        for (int i = 0; i < rows; i++) {
            confidenceSum += top[i];
            unfamiliar += familiarity[i] < ref.unfamiliarBelow() ? 1 : 0;
        }
        List<AccuracyEstimator.Fitted> fitted = ref.estimators();
        for (int e = 0; e < estimators.length; e++) {
            // the estimators' mergeable sums (AC's interval from its normal approximation, not the
            // exact Poisson-binomial one, which is quadratic in the window's rows), from the
            // window's calibrated probabilities when the estimator is over the reference's map
            double[] s = fitted.get(e).accumulator().add(z, ref.map(), p).state();
            for (int i = 0; i < s.length; i++) {
                estimators[e][i] += s[i];
            }
        }
        for (int c : p.argmax()) {
            predicted[c]++;
        }
        if (labels != null) {
            int[] idx = new int[rows];
            int m = 0;
            for (int j = 0; j < rows; j++) {
                if (labels[j] >= 0) {
                    if (labels[j] >= k) {
                        throw new IllegalArgumentException("label " + labels[j] + " at row " + (firstRow + j)
                                + " is outside [0, " + k + ")");
                    }
                    idx[m++] = j;
                }
            }
            if (m > 0) {
                idx = java.util.Arrays.copyOf(idx, m);
                int[] y = new int[m];
                for (int j = 0; j < m; j++) {
                    y[j] = labels[idx[j]];
                }
                TopLabel.of(p.select(idx), y).addTo(labelledBins);
                labelled += m;
            }
        }
        n += rows;
        return this;
    }

    /**
     * Adds another state of the same reference and bins into this one; returns this.
     *
     * @throws IllegalArgumentException when the other state has other classes, bins or estimators
     */
    public WindowState merge(WindowState other) {
        if (other.k != k || other.bins != bins || other.estimators.length != estimators.length) {
            throw new IllegalArgumentException("cannot merge a window state of " + other.k + " classes, " + other.bins
                    + " bins and " + other.estimators.length + " estimators into one of " + k + ", " + bins + " and "
                    + estimators.length);
        }
        n += other.n;
        confidenceSum += other.confidenceSum;
        unfamiliar += other.unfamiliar;
        for (int c = 0; c < k; c++) {
            predicted[c] += other.predicted[c];
        }
        labelled += other.labelled;
        labelledBins.merge(other.labelledBins);
        for (int e = 0; e < estimators.length; e++) {
            for (int i = 0; i < estimators[e].length; i++) {
                estimators[e][i] += other.estimators[e][i];
            }
        }
        return this;
    }

    /** Rows added or merged so far. */
    public long rows() {
        return n;
    }

    /** Rows with a label. */
    long labelled() {
        return labelled;
    }

    /** Mean calibrated top probability. */
    double meanConfidence() {
        return confidenceSum / n;
    }

    /** Share of rows below the unfamiliarity threshold. */
    double unfamiliarShare() {
        return (double) unfamiliar / n;
    }

    /** A copy of the predicted-class counts. */
    long[] predicted() {
        return predicted.clone();
    }

    /** Every estimator's estimate, from its summed state, the primary one first. */
    List<Estimate> estimates(Reference ref) {
        List<AccuracyEstimator.Fitted> fitted = ref.estimators();
        if (fitted.size() != estimators.length) {
            throw new IllegalArgumentException("the state holds " + estimators.length + " estimators, the reference "
                    + fitted.size());
        }
        return java.util.stream.IntStream.range(0, estimators.length)
                .mapToObj(e -> fitted.get(e).accumulator().addState(estimators[e]).result()).toList();
    }

    /** Realised accuracy on the labelled rows (NaN without). */
    double accuracy() {
        if (labelled == 0) {
            return Double.NaN;
        }
        ReliabilityBins rb = labelledBins.toBins();
        long correct = 0;
        for (int b = 0; b < rb.numBins(); b++) {
            correct += rb.correctCount(b);
        }
        return (double) correct / labelled;
    }

    /** Realised ECE on the labelled rows (NaN without). */
    double ece() {
        return labelled == 0 ? Double.NaN : CalibrationMetrics.ece(labelledBins.toBins());
    }
}
