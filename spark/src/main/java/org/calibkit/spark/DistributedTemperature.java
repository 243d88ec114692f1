package org.calibkit.spark;

import java.util.function.DoubleFunction;
import org.calibkit.calibration.calibrators.TemperatureScaling;

/**
 * Temperature scaling (Guo, Pleiss, Sun and Weinberger 2017) fitted by passes over distributed
 * data: each iteration is one pass ({@code pass.apply(beta)}) summing {@link TemperatureMoments}
 * over partitions. The iteration is calibration's {@link TemperatureScaling#fit} step for step:
 * the same closed-form decisions for separable and all-wrong data, the same bracket on the sign
 * of the gradient, Halley in log(beta) falling back to Newton in beta and geometric bisection,
 * the same stopping rule |dNLL/d(log T)| &lt;= tolerance, so it reaches the same optimum.
 *
 * <p>Known duplication: this loop and {@link TemperatureMoments#add}'s per-row moments copy
 * calibration's {@code TemperatureScaling.fit} and {@code Objective.chunk}, which are not reachable
 * from outside calibration; once calibration exposes a fit over a pass function, this class
 * should call it instead.
 */
public final class DistributedTemperature {
    private DistributedTemperature() {
    }

    /**
     * The fitted temperature.
     *
     * @param temperature the fitted T
     * @param nllBefore   mean NLL at T = 1
     * @param nllAfter    mean NLL at T
     * @param passes      passes over the data after the first (the one at T = 1)
     * @param converged   the tolerance was met (or the optimum is at a bound)
     * @param atBound     the optimum is at the smallest or largest allowed T
     */
    public record Fit(double temperature, double nllBefore, double nllAfter, int passes, boolean converged,
                      boolean atBound) {
    }

    /** Fits with calibration's default range [0.01, 100], tolerance 1e-9 and 100 iterations. */
    public static Fit fit(DoubleFunction<TemperatureMoments> pass) {
        return fit(pass, new TemperatureScaling());
    }

    /** Fits with the range, tolerance and budget of {@code settings}; strict settings throw on non-convergence. */
    public static Fit fit(DoubleFunction<TemperatureMoments> pass, TemperatureScaling settings) {
        final double betaMin = 1.0 / settings.maxTemperature();
        final double betaMax = 1.0 / settings.minTemperature();
        double lo = betaMin;
        double hi = betaMax;
        boolean loKnown = false;
        boolean hiKnown = false;
        double beta = 1.0;
        TemperatureMoments f = pass.apply(beta);
        if (f.n() == 0) {
            throw new PredictionLogException("the prediction log holds no rows");
        }
        double nllBefore = f.nll();
        int iterations = 0;
        if (f.separable()) {
            beta = betaMax;
        } else if (f.gradientAtZero() >= 0) {
            beta = betaMin;
        } else if (beta < betaMin || beta > betaMax) {
            beta = Math.min(betaMax, Math.max(betaMin, beta));
        }
        if (beta != 1.0) {
            f = pass.apply(beta);
            iterations++;
        }
        boolean atBound = false;
        boolean converged = false;
        while (true) {
            double grad = f.grad();
            double hess = f.hess();
            if ((beta == betaMax && grad <= 0) || (beta == betaMin && grad >= 0)) {
                atBound = true;
                converged = true;
                break;
            }
            if (Math.abs(-beta * grad) <= settings.tolerance()) {
                converged = true;
                break;
            }
            if (iterations >= settings.maxIterations()) {
                break;
            }
            if (grad < 0) {
                lo = beta;
                loKnown = true;
            } else {
                hi = beta;
                hiKnown = true;
            }
            if (!(hi > lo) || (hi - lo) <= 4 * Math.ulp(hi)) {
                break;
            }
            double curvU = beta * beta * hess + beta * grad;
            double next = Double.NaN;
            if (curvU > 0) {
                double h = beta * grad;
                double h2 = beta * grad + 3 * beta * beta * hess + beta * beta * beta * f.third();
                double newton = -h / curvU;
                double l = h * h2 / (curvU * curvU);
                double du = Math.abs(l) < 1 ? newton / (1 - l / 2) : newton;
                next = beta * Math.exp(Math.max(-20, Math.min(20, du)));
            }
            if (!(next > lo && next < hi)) {
                next = hess > 0 ? beta - grad / hess : Double.NaN;
            }
            if (!(next > lo && next < hi)) {
                if (grad < 0 && !hiKnown) {
                    next = hi;
                } else if (grad > 0 && !loKnown) {
                    next = lo;
                } else {
                    next = Math.sqrt(lo * hi);
                    if (!(next > lo && next < hi)) {
                        next = 0.5 * (lo + hi);
                    }
                }
            }
            beta = next;
            f = pass.apply(beta);
            iterations++;
        }
        if (!converged && settings.strict()) {
            throw new IllegalStateException("temperature scaling did not converge: after " + iterations
                    + " passes T = " + (1.0 / beta) + ", |dNLL/dlog T| = " + Math.abs(beta * f.grad())
                    + " > tolerance " + settings.tolerance());
        }
        return new Fit(1.0 / beta, nllBefore, f.nll(), iterations, converged, atBound);
    }
}
