package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/**
 * Platt scaling. Reference: make_sklearn_reference.py (beside fixture.csv, /usr/bin/python3 with
 * scikit-learn 1.2.1): sklearn.calibration._sigmoid_calibration (BFGS, about 6 digits) and the same
 * smoothed-target objective solved by scipy BFGS with gtol 1e-13 ("tight").
 */
class PlattScalingTest {

    @Test
    void binaryMatchesScikitLearn() {
        Fixture f = Fixture.csv();
        int m = 0;
        for (int y : f.labels) {
            m += y < 2 ? 1 : 0;
        }
        double[][] z = new double[m][];
        int[] y = new int[m];
        int r = 0;
        for (int i = 0; i < f.labels.length; i++) {
            if (f.labels[i] < 2) {
                z[r] = new double[] {f.logits.get(i, 0), f.logits.get(i, 1)};
                y[r++] = f.labels[i];
            }
        }
        assertEquals(143, m);
        PlattMap map = new PlattScaling().fit(Logits.of(z), y);
        assertEquals(PlattMap.Kind.BINARY, map.kind());
        assertEquals(-0.30496580117572564, map.a()[0], 1e-9);   // tight
        assertEquals(-0.06357954932987536, map.b()[0], 1e-9);
        assertEquals(-0.3049658099201453, map.a()[0], 1e-6);    // sklearn
        assertEquals(-0.0635795732790137, map.b()[0], 1e-6);
        Probabilities p = map.apply(Logits.of(z));
        assertTrue(p.isNormalized());
        double x = -0.30496580117572564 * (z[0][1] - z[0][0]) - 0.06357954932987536;
        assertEquals(1 / (1 + Math.exp(x)), p.get(0, 1), 1e-9);
        assertEquals(1.0, p.get(0, 0) + p.get(0, 1), 1e-15);
    }

    @Test
    void oneVsRestMatchesScikitLearnAndIsIndependent() {
        Fixture f = Fixture.csv();
        PlattMap map = new PlattScaling().fit(f.logits, f.labels);
        assertEquals(PlattMap.Kind.ONE_VS_REST, map.kind());
        double[] a = {-0.32430410157188155, -0.35531846888656166, -0.3092969262652579, -0.3436187144569387};
        double[] b = {2.00397888853796, 2.0211232995284374, 1.6364292305368469, 1.985638745893129};
        assertArrayEquals(a, map.a(), 1e-9);
        assertArrayEquals(b, map.b(), 1e-9);
        Probabilities p = map.apply(f.logits);
        assertFalse(p.isNormalized());
        boolean someRowOffOne = false;
        for (int i = 0; i < p.n(); i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                s += p.get(i, j);
                assertEquals(1 / (1 + Math.exp(a[j] * f.logits.get(i, j) + b[j])), p.get(i, j), 1e-9);
            }
            someRowOffOne |= Math.abs(s - 1) > 1e-3;
        }
        assertTrue(someRowOffOne, "one-vs-rest rows are independent, not renormalised");
    }

    @Test
    void separableAndSaturatedStayFinite() {
        double[][] z = {{1e4, -1e4}, {-1e4, 1e4}, {3, -3}, {-2, 2}};
        int[] y = {0, 1, 0, 1};
        PlattMap m = new PlattScaling().fit(Logits.of(z), y);
        assertTrue(Double.isFinite(m.a()[0]) && Double.isFinite(m.b()[0]));
        for (double v : m.apply(Logits.of(z)).raw()) {
            assertFalse(Double.isNaN(v));
        }
        // smoothed targets keep the fit away from 0/1 on the training rows: row 2 is < 1 - 1/(2+2)... but > 0.5
        assertTrue(m.apply(Logits.of(z)).get(2, 0) > 0.5);
    }

    @Test
    void binaryModeNeedsTwoClasses() {
        Fixture f = Fixture.csv();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlattScaling(PlattScaling.Mode.BINARY, 1e-10).fit(f.logits, f.labels));
        assertTrue(e.getMessage().contains("2 classes") && e.getMessage().contains("got 4"), e.getMessage());
    }
}
