package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
    /** f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, unique minimum 0 at (1, 1) (closed form), with its gradient. */
    private static final Lbfgs.Function ROSENBROCK = (p, g) -> {
        double x = p[0];
        double y = p[1];
        g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
        g[1] = 200 * (y - x * x);
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    };

    @Test
    void minimisesRosenbrock() {
        Lbfgs.Result r = new Lbfgs(5, 1000, 1e-10).minimize(ROSENBROCK, new double[] {-1.2, 1.0});
        assertTrue(r.converged);
        assertEquals(1.0, r.x[0], 1e-8);
        assertEquals(1.0, r.x[1], 1e-8);
        assertEquals(0.0, r.value, 1e-16);
    }

    @Test
    void minimisesIllConditionedQuadratic() {
        // f(x) = sum_i c_i (x_i - i)^2 with c_i from 1 to 1e4: minimum at x_i = i (closed form)
        int d = 20;
        Lbfgs.Function q = (p, g) -> {
            double f = 0;
            for (int i = 0; i < d; i++) {
                double c = Math.pow(1e4, i / (d - 1.0));
                f += c * (p[i] - i) * (p[i] - i);
                g[i] = 2 * c * (p[i] - i);
            }
            return f;
        };
        Lbfgs.Result r = new Lbfgs(10, 2000, 1e-9).minimize(q, new double[d]);
        assertTrue(r.converged);
        for (int i = 0; i < d; i++) {
            assertEquals(i, r.x[i], 1e-9);
        }
    }

    @Test
    void reportsNonConvergenceWhenBudgetRunsOut() {
        Lbfgs.Result r = new Lbfgs(5, 3, 1e-10).minimize(ROSENBROCK, new double[] {-1.2, 1.0});
        assertFalse(r.converged);
        assertEquals(3, r.iterations);
        assertTrue(r.gradientNorm > 1e-10);
    }
}
