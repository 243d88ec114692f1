package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/**
 * Vector scaling, matrix scaling and Dirichlet calibration. Reference optima: make_fixture.py
 * (beside fixture.csv) minimises the same penalised NLL on the same data with scipy.optimize BFGS
 * (gtol 1e-11, analytic gradient, in the original parameterisation).
 */
class LinearCalibratorsTest {
    private static final double TIGHT = 1e-10;

    /**
     * Compares with the scipy optimum: NLL to 1e-10, the calibrated probabilities of all fixture rows
     * (softmax of the reference W x + b) to 1e-7, and the parameters to {@code tol}.
     */
    private static void assertMap(LinearMap m, Fixture f, double[][] w, double[] b, double nll, double tol) {
        double[][] got = m.weights();
        for (int r = 0; r < w.length; r++) {
            assertArrayEquals(w[r], got[r], tol, "W row " + r);
        }
        assertArrayEquals(b, m.bias(), tol, "b");
        assertEquals(nll, m.nllAfter(), 1e-10);
        assertTrue(m.converged());
        int k = b.length;
        double[] flat = new double[k * k];
        for (int r = 0; r < k; r++) {
            System.arraycopy(w[r], 0, flat, r * k, k);
        }
        LinearMap ref = new LinearMap(m.method(), m.input(), k, flat, b.clone(), 0, 0, Double.NaN, Double.NaN, 0, true, 0);
        assertArrayEquals(ref.apply(f.logits).raw(), m.apply(f.logits).raw(), 1e-7);
    }

    @Test
    void vectorScalingMatchesScipy() {
        Fixture f = Fixture.csv();
        LinearMap m = new VectorScaling(0, 0, TIGHT, 5000, true).fit(f.logits, f.labels);
        assertMap(m, f, new double[][] {
            {0.365210412298072, 0.0, 0.0, 0.0},
            {0.0, 0.3917173708785635, 0.0, 0.0},
            {0.0, 0.0, 0.34070901415674276, 0.0},
            {0.0, 0.0, 0.0, 0.38901639826277834}},
            new double[] {-0.053188072310328974, -0.10345422040009712, 0.2367238563999424, -0.0800815636895163},
            0.8382102709193162, 1e-6);
        assertEquals(1.2209557522239873, m.nllBefore(), 1e-12);  // identity = uncalibrated (scipy above)
    }

    @Test
    void matrixScalingMatchesScipy() {
        Fixture f = Fixture.csv();
        LinearMap m = new MatrixScaling(1e-3, 1e-3, TIGHT, 5000, true).fit(f.logits, f.labels);
        assertMap(m, f, new double[][] {
            {0.37647964166077186, -0.007694850273012261, -0.018724400814108373, -0.007852336162424159},
            {0.03552511658466874, 0.385335309170706, -0.019683828810779524, 0.006145699039545727},
            {0.009541310692300698, 0.015912166638920297, 0.3426125493709491, 0.0017066371226078143},
            {-0.04506642727678209, -0.0082173163662411, 0.03840822962457564, 0.39914501431752103}},
            new double[] {-0.06000552283736702, -0.09021661188640812, 0.2460786475379169, -0.09585651281412774},
            0.8313278495332439, 1e-6);
    }

    @Test
    void dirichletOdirMatchesScipy() {
        Fixture f = Fixture.csv();
        LinearMap m = new DirichletCalibration(1e-3, 1e-3, TIGHT, 5000, true).fit(f.logits, f.labels);
        assertEquals(LinearMap.Input.LOG_PROBABILITIES, m.input());
        assertMap(m, f, new double[][] {
            {0.32221407581273576, -0.015727182753939493, -0.01777408125882541, -0.019910469315427375},
            {0.03639884852395005, 0.4207573975148558, -0.012993040207411818, 0.008233197098627982},
            {0.02561342874595303, 0.035786089963263434, 0.41851135251559, 0.011677272216226931},
            {-0.06201227727059003, -0.02005890720956073, 0.030767121466211206, 0.35527545019033363}},
            new double[] {-0.4712240583471751, 0.19148438821759486, 0.6102073255063795, -0.3304676553767867},
            0.8258201143380097, 1e-6);
        LinearMap strong = new DirichletCalibration(1.0, 0.5, TIGHT, 5000, true).fit(f.logits, f.labels);
        assertMap(strong, f, new double[][] {
            {0.3597500473346742, 0.0014408002339399498, -0.006425165339806437, 0.004864898927079837},
            {0.03260333355176979, 0.4010264739927681, -0.02734414214612569, 0.0026356050990399976},
            {0.0038927194460382807, 0.006445923581455673, 0.35684032812358263, -0.007500504026120085},
            {-0.036496052997808545, -0.007886723815395407, 0.033769307485932584, 0.3771289396638382}},
            new double[] {-0.03864786589874366, 0.013357776667869092, 0.0536058448570016, -0.02831575562612712},
            0.8332052614870048, 1e-6);
    }

    @Test
    void defaultsConvergeAndReduceNll() {
        Fixture f = Fixture.csv();
        for (String name : new String[] {"vector", "matrix", "dirichlet"}) {
            LinearMap m = (LinearMap) CalibrationMethod.byId(name).create().fit(f.logits, f.labels);
            assertTrue(m.converged(), name);
            assertTrue(m.nllAfter() < m.nllBefore(), name);
            Probabilities p = m.apply(f.logits);
            for (int i = 0; i < p.n(); i++) {
                double s = 0;
                for (double v : p.row(i)) {
                    s += v;
                }
                assertEquals(1.0, s, 1e-12, name + " row " + i);
            }
        }
    }

    @Test
    void analyticGradientMatchesFiniteDifferences() {
        // central differences with step 1e-6 on a random point of each parameterisation
        Fixture f = Fixture.csv();
        Random rnd = new Random(3);
        for (boolean diagonal : new boolean[] {true, false}) {
            for (LinearMap.Input input : LinearMap.Input.values()) {
                int k = f.logits.k();
                int n = f.logits.n();
                double[] x = LinearMap.inputOf(input, f.logits);
                double[] m = new double[k];
                double[] s = new double[k];
                for (int c = 0; c < k; c++) {
                    m[c] = rnd.nextGaussian();
                    s[c] = 0.5 + rnd.nextDouble();
                }
                LinearObjective nll = new LinearObjective(x, f.labels, n, k, diagonal);
                StandardisedObjective fn = new StandardisedObjective(nll, k, diagonal, m, s, 0.7, 0.3);
                double[] theta = new double[nll.dimension()];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = rnd.nextGaussian() * 0.3;
                }
                double[] g = new double[theta.length];
                fn.valueAndGradient(theta, g);
                double[] tmp = new double[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    double h = 1e-6;
                    double[] tp = theta.clone();
                    double[] tm = theta.clone();
                    tp[i] += h;
                    tm[i] -= h;
                    double fd = (fn.valueAndGradient(tp, tmp) - fn.valueAndGradient(tm, tmp)) / (2 * h);
                    assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)),
                            "d/dtheta_" + i + " diagonal=" + diagonal + " input=" + input);
                }
            }
        }
    }

    @Test
    void identityParametersReproduceSoftmax() {
        // W = I, b = 0: matrix scaling is softmax(z); Dirichlet is softmax(log softmax(z)) = softmax(z)
        Fixture f = Fixture.csv();
        int k = 4;
        double[] w = new double[k * k];
        for (int j = 0; j < k; j++) {
            w[j * k + j] = 1;
        }
        for (LinearMap.Input in : LinearMap.Input.values()) {
            LinearMap id = new LinearMap("matrix", in, k, w, new double[k], 0, 0, Double.NaN, Double.NaN, 0, true, 0);
            assertArrayEquals(f.logits.softmax().raw(), id.apply(f.logits).raw(), 1e-15);
        }
    }

    @Test
    void saturatedLogitsNeverGiveNaN() {
        double[][] z = {{1e4, 0, -1e4}, {0, 1e4, 0}, {-1e4, 1e4, 0}, {1e4, 1e4, 0}, {0, 0, 1e4}, {3, 1, 2}};
        int[] y = {0, 1, 2, 0, 2, 1};
        for (String name : new String[] {"vector", "matrix", "dirichlet"}) {
            Calibrator c = name.equals("vector") ? new VectorScaling(0, 1e-2, 1e-6, 2000, false)
                    : CalibrationMethod.byId(name).create();
            LinearMap m = (LinearMap) c.fit(Logits.of(z), y);
            assertTrue(Double.isFinite(m.nllAfter()), name);
            for (double v : m.apply(Logits.of(z)).raw()) {
                assertFalse(Double.isNaN(v), name);
            }
        }
    }

    @Test
    void jsonRoundTripGivesIdenticalOutputs() {
        Fixture f = Fixture.csv();
        for (String name : new String[] {"vector", "matrix", "dirichlet"}) {
            CalibrationMap m = CalibrationMethod.byId(name).create().fit(f.logits, f.labels);
            CalibrationMap back = CalibrationMaps.fromJson(m.toJson());
            assertEquals(name, back.method());
            assertArrayEquals(m.apply(f.logits).raw(), back.apply(f.logits).raw(), 0.0, name);
            assertEquals(m.toJson(), back.toJson());
        }
    }

    @Test
    void badHyperParametersAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirichletCalibration(-1, 0, 1e-6, 10, true));
        assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MatrixScaling(0, Double.NaN, 1e-6, 10, true));
        assertTrue(e.getMessage().contains("mu") && e.getMessage().contains("NaN"), e.getMessage());
        Fixture f = Fixture.csv();
        CalibrationMap m = new VectorScaling().fit(f.logits, f.labels);
        e = assertThrows(IllegalArgumentException.class, () -> m.apply(Logits.of(new double[][] {{1, 2}})));
        assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains("got 2"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> new DirichletCalibration(1e-3, 1e-3, 1e-12, 2, true).fit(f.logits, f.labels));
        assertTrue(s.getMessage().contains("did not converge"), s.getMessage());
    }
}
