package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.ReliabilityBins;

/**
 * Histogram binning (Zadrozny and Elkan 2001, "Obtaining calibrated probability estimates from
 * decision trees and naive Bayesian classifiers", ICML), one-vs-rest over classes: for each class
 * j the softmax probabilities p_ij are put in {@code numBins} equal-width bins (the convention of
 * {@link ReliabilityBins#binOf(double, int)}: right-closed, 0 in the first bin, 1 in the last)
 * and each bin is mapped to the fraction of its calibration rows whose label is j. A bin that no
 * calibration row falls in keeps its midpoint. Calibrated rows are renormalised to sum to 1; a
 * row whose values are all 0 becomes uniform (1/K). Default: 10 bins, as in the paper.
 */
public final class HistogramBinning extends CheckedCalibrator<HistogramMap> {
    static final String METHOD = "histogram";
    /** Default number of bins. */
    public static final int DEFAULT_BINS = 10;

    private final int numBins;

    /** With {@value #DEFAULT_BINS} bins. */
    public HistogramBinning() {
        this(DEFAULT_BINS);
    }

    /** @param numBins equal-width bins per class, &gt; 0 */
    public HistogramBinning(int numBins) {
        super(METHOD);
        Checks.positive("numBins", numBins);
        this.numBins = numBins;
    }

    public int numBins() { return numBins; }

    @Override
    HistogramMap fitChecked(Logits logits, int[] labels) {
        int n = logits.n();
        int k = logits.k();
        double[] p = logits.softmax().raw();
        long[][] count = new long[k][numBins];
        long[][] positives = new long[k][numBins];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                int b = ReliabilityBins.binOf(p[i * k + j], numBins);
                count[j][b]++;
                if (labels[i] == j) {
                    positives[j][b]++;
                }
            }
        }
        double[][] values = new double[k][numBins];
        for (int j = 0; j < k; j++) {
            for (int b = 0; b < numBins; b++) {
                values[j][b] = count[j][b] > 0 ? (double) positives[j][b] / count[j][b] : (b + 0.5) / numBins;
            }
        }
        return new HistogramMap(k, values, count);
    }
}
