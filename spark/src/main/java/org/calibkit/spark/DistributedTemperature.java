package org.calibkit.spark;

import java.util.function.DoubleFunction;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;

/**
 * Temperature scaling (Guo, Pleiss, Sun and Weinberger 2017) fitted by passes over distributed
 * data: each iteration is one pass ({@code pass.apply(beta)}) summing {@link TemperatureMoments}
 * over partitions. The iteration is calibration's {@link TemperatureScaling#fit} step for step:
 * the same closed-form decisions for separable and all-wrong data, the same bracket on the sign
 * of the gradient, Halley in log(beta) falling back to Newton in beta and geometric bisection,
 * the same stopping rule |dNLL/d(log T)| &lt;= tolerance, so it reaches the same optimum: it is
 * that iteration ({@link TemperatureScaling#fit(DoubleFunction, int)}), fed by passes.
 *
 * <p>Each row's moments come from calibration's own {@link TemperatureScaling#rowMoments}.
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
        TemperatureMap m = fitMap(pass, settings);
        return new Fit(m.temperature(), m.nllBefore(), m.nllAfter(), m.iterations(), m.converged(),
                m.bound() != TemperatureMap.Bound.NONE);
    }

    /**
     * The fitted map itself, with the diagnostics calibration's own fit records (NLL before and
     * after, iterations, bound, gradient): what an audit reports and applies.
     */
    public static TemperatureMap fitMap(DoubleFunction<TemperatureMoments> pass, TemperatureScaling settings) {
        TemperatureMoments first = pass.apply(1.0);
        if (first.n() == 0) {
            throw new PredictionLogException("the prediction log holds no rows");
        }
        boolean[] firstUsed = {false};
        return settings.fit(beta -> {
            if (!firstUsed[0] && beta == 1.0) { // the fit starts at beta = 1: that pass is done
                firstUsed[0] = true;
                return first;
            }
            return pass.apply(beta);
        }, Math.max(2, first.k()));
    }
}
