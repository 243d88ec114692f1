package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/**
 * Histogram binning and isotonic regression. Reference outputs: make_sklearn_reference.py (beside
 * fixture.csv, run with /usr/bin/python3 and Debian's scikit-learn 1.2.1) writes
 * isotonic_expected.csv (sklearn IsotonicRegression(out_of_bounds="clip") per class on softmax(z),
 * renormalised as CalibratedClassifierCV does) and histogram_expected.csv (numpy, same binning
 * convention), each for the fixture's logits z and for 0.7 z (unseen inputs).
 */
class OneVsRestCalibratorsTest {

    private static void assertMatches(CalibrationMap m, String resource) {
        Fixture f = Fixture.csv();
        double[][] expected = Fixture.csvResource(resource);
        Probabilities fit = m.apply(f.logits);
        Probabilities unseen = m.apply(f.scaled(0.7));
        for (int i = 0; i < f.logits.n(); i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[i][j], fit.get(i, j), 1e-12, resource + " fit row " + i + " class " + j);
                assertEquals(expected[i][4 + j], unseen.get(i, j), 1e-12, resource + " 0.7z row " + i + " class " + j);
            }
        }
    }

    @Test
    void isotonicMatchesScikitLearn() {
        Fixture f = Fixture.csv();
        assertMatches(new IsotonicCalibration().fit(f.logits, f.labels), "isotonic_expected.csv");
    }

    @Test
    void histogramBinningMatchesNumpy() {
        Fixture f = Fixture.csv();
        assertMatches(new HistogramBinning(10).fit(f.logits, f.labels), "histogram_expected.csv");
    }

    @Test
    void pavGivesNonDecreasingFitWithMeanPreserved() {
        // property: the isotonic fit is monotone and (without clipping) preserves the mean target
        Fixture f = Fixture.withTemperature(5, 2000, 3, 2.0, 1.0);
        IsotonicMap m = new IsotonicCalibration().fit(f.logits, f.labels);
        for (int j = 0; j < 3; j++) {
            double[] x = m.thresholds(j);
            double[] v = m.values(j);
            for (int r = 1; r < x.length; r++) {
                assertTrue(x[r] > x[r - 1] && v[r] >= v[r - 1], "class " + j + " point " + r);
            }
        }
        double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        double[] t = {0, 1, 0, 0, 1, 1};
        Integer[] order = {0, 1, 2, 3, 4, 5};
        double[][] fit = IsotonicCalibration.fit(x, t, order);
        // hand PAV: 0 | (1,0,0 -> 1/3 each) | 1 1 ; interior of constant runs dropped
        assertArrayEquals(new double[] {0.1, 0.2, 0.4, 0.5, 0.6}, fit[0], 0.0);
        assertArrayEquals(new double[] {0, 1.0 / 3, 1.0 / 3, 1, 1}, fit[1], 1e-15);
    }

    @Test
    void rowsSumToOneAndAllZeroRowsBecomeUniform() {
        // classes 0 and 1 are labels only where they are confident, class 2 never is
        double[][] z = {{5, 0, 0}, {0, 5, 0}, {4, 0, 1}, {0, 4, 1}, {3, 1, 0}, {1, 3, 0}};
        int[] y = {0, 1, 0, 1, 0, 1};
        Logits logits = Logits.of(z);
        Logits unseen = Logits.of(new double[][] {{0, 0, 5}, {2, 2, 2}, {1, 0, 0}});
        for (Calibrator c : new Calibrator[] {new IsotonicCalibration(), new HistogramBinning(5)}) {
            CalibrationMap m = c.fit(logits, y);
            for (Probabilities p : new Probabilities[] {m.apply(logits), m.apply(unseen)}) {
                for (int i = 0; i < p.n(); i++) {
                    double s = 0;
                    for (double v : p.row(i)) {
                        s += v;
                    }
                    assertEquals(1.0, s, 1e-12, c.method() + " row " + i);
                }
            }
        }
        // isotonic at (0, 0, 5): p0 = p1 = 0.0066 lie below every positive of classes 0 and 1 (fit 0),
        // class 2 is never a label (fit 0): all calibrated values are 0 -> uniform
        Probabilities iso = new IsotonicCalibration().fit(logits, y).apply(unseen);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, iso.row(0), 1e-15);
    }

    @Test
    void histogramEmptyBinsKeepTheirMidpoint() {
        double[][] z = {{2, 0}, {0, 2}, {2, 0}, {0, 2}};
        int[] y = {0, 1, 1, 1};
        HistogramMap m = new HistogramBinning(4).fit(Logits.of(z), y);
        // p(class 0) = 0.8808 (rows 0, 2) -> bin 3, 0.1192 (rows 1, 3) -> bin 0; bins 1, 2 empty
        assertArrayEquals(new double[] {0.0, 0.375, 0.625, 0.5}, m.binValues(0), 0.0);
        assertArrayEquals(new long[] {2, 0, 0, 2}, m.binCounts(0));
    }
}
