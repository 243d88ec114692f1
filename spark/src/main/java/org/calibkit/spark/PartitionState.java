package org.calibkit.spark;

import java.io.Serializable;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.ClasswiseBins;
import org.calibkit.calibration.metrics.Predictions;

/**
 * Mergeable state of one partition for the metrics that reduce to sums: row count, sums of the
 * rows' NLL and Brier score, and calibration's own {@link ReliabilityBins.Accumulator} (top
 * label) and {@link ClasswiseBins.Accumulator}. Rows are buffered and added a chunk at a time
 * through {@link Predictions#of} (the single-machine code path), so every per-row number is
 * computed by calibration itself; the counts and the binned confidence sums are exact and
 * independent of partitioning (calibration's fixed-point sums), the NLL and Brier sums are
 * ordinary double sums (partitioning changes them by rounding only, ~1e-16 relative per row).
 * Not thread-safe: one per partition, then {@link #merge}.
 */
public final class PartitionState implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 4096;

    private final int k;
    private final int bins;
    private final OutputKind kind;
    private long n;
    private double nllSum;
    private double brierSum;
    private final ReliabilityBins.Accumulator top;
    private final ClasswiseBins.Accumulator classwise;
    private double[] pending;
    private int[] pendingLabels;
    private int pendingRows;

    /** Empty state for K classes, {@code bins} equal-width bins and outputs of this kind. */
    public PartitionState(int k, int bins, OutputKind kind) {
        if (k < 2) {
            throw new IllegalArgumentException("Expected at least 2 classes, but got " + k);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Expected bins >= 1, but got " + bins);
        }
        this.k = k;
        this.bins = bins;
        this.kind = kind;
        this.top = new ReliabilityBins.Accumulator(bins);
        this.classwise = new ClasswiseBins.Accumulator(k, bins);
        this.pending = new double[CHUNK * k];
        this.pendingLabels = new int[CHUNK];
    }

    /** Adds one validated row (K outputs, label in [0, K)); the array is copied. */
    public PartitionState add(double[] outputs, int label) {
        if (pendingLabels.length == 0) {
            pending = new double[CHUNK * k];
            pendingLabels = new int[CHUNK];
        }
        System.arraycopy(outputs, 0, pending, pendingRows * k, k);
        pendingLabels[pendingRows++] = label;
        if (pendingRows == CHUNK) {
            flush();
        }
        return this;
    }

    /** Adds the buffered rows to the sums and drops the buffer, so a shipped state is small; returns this. */
    PartitionState compact() {
        flush();
        pending = new double[0];
        pendingLabels = new int[0];
        return this;
    }

    /** Adds the buffered rows to the sums. */
    private void flush() {
        if (pendingRows == 0) {
            return;
        }
        int r = pendingRows;
        double[] v = pendingRows == CHUNK ? pending : java.util.Arrays.copyOf(pending, r * k);
        int[] lab = java.util.Arrays.copyOf(pendingLabels, r);
        Predictions p = kind == OutputKind.LOGITS
                ? Predictions.of(Logits.of(v, r, k), lab)
                : Predictions.of(Probabilities.of(v, r, k, true), lab);
        for (double x : p.rowNll()) {
            nllSum += x;
        }
        brierSum += CalibrationMetrics.brier(p.probabilities(), lab) * r;
        p.topLabel().addTo(top);
        classwise.add(p.probabilities(), lab);
        n += r;
        pendingRows = 0;
        if (v == pending) {
            pending = new double[CHUNK * k];   // Logits.of may keep the array
        }
    }

    /** Adds the other state into this one (same K, bins and kind); returns this. */
    public PartitionState merge(PartitionState other) {
        if (other.k != k || other.bins != bins || other.kind != kind) {
            throw new IllegalArgumentException("Cannot merge states of " + k + " classes x " + bins + " bins ("
                    + kind + ") and " + other.k + " x " + other.bins + " (" + other.kind + ")");
        }
        flush();
        other.flush();
        n += other.n;
        nllSum += other.nllSum;
        brierSum += other.brierSum;
        top.merge(other.top);
        classwise.merge(other.classwise);
        return this;
    }

    /** The metrics of all rows added or merged so far. */
    public SumMetrics result() {
        flush();
        if (n == 0) {
            throw new PredictionLogException("the prediction log holds no rows");
        }
        ReliabilityBins rb = top.toBins();
        ClasswiseBins cb = classwise.toBins();
        long correct = 0;
        double confidence = 0;
        for (int b = 0; b < rb.numBins(); b++) {
            correct += rb.correctCount(b);
            confidence += rb.confidenceSum(b);
        }
        return new SumMetrics(n, correct, (double) correct / n, nllSum / n, brierSum / n,
                CalibrationMetrics.ece(rb), CalibrationMetrics.mce(rb), (confidence - correct) / n,
                CalibrationMetrics.classwiseEce(cb), rb, cb);
    }
}
