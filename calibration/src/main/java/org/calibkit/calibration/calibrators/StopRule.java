package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.Checks;

/**
 * When an iterative fit stops: once its gradient is within {@code tolerance}, or when its budget of
 * {@code maxIterations} runs out, which throws {@link IllegalStateException} when {@code strict}.
 * The stopping settings temperature scaling and the L-BFGS linear fits share.
 *
 * @param tolerance     the gradient tolerance, &gt; 0
 * @param maxIterations the iteration budget, &gt; 0
 * @param strict        throw when the budget runs out before the tolerance is met
 */
record StopRule(double tolerance, int maxIterations, boolean strict) {
    StopRule {
        Checks.positive("tolerance", tolerance);
        Checks.positive("maxIterations", maxIterations);
    }

    /** Whether a fit that stopped with {@code converged} must throw. */
    boolean mustThrow(boolean converged) {
        return !converged && strict;
    }
}
