package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * A logit map fitted by minimising the NLL (temperature, vector, matrix and Dirichlet scaling),
 * with the diagnostics every such fit reports: the NLL before and after, the iterations and
 * whether the optimiser converged.
 */
abstract class FittedLogitMap extends FittedMap implements LogitMap {
    private final double nllBefore;
    private final double nllAfter;
    private final int iterations;
    private final boolean converged;

    FittedLogitMap(String method, int numClasses, double nllBefore, double nllAfter, int iterations, boolean converged) {
        super(method, numClasses);
        this.nllBefore = nllBefore;
        this.nllAfter = nllAfter;
        this.iterations = iterations;
        this.converged = converged;
    }

    /** Mean NLL of the calibration labels before the fit (the identity map; NaN when not fitted). */
    public double nllBefore() { return nllBefore; }
    /** Mean NLL of the calibration labels under the fitted map (without any penalty; NaN when not fitted). */
    public double nllAfter() { return nllAfter; }
    /** Optimiser steps taken (0 when not fitted). */
    public int iterations() { return iterations; }
    /** True when the optimiser met its tolerance. */
    public boolean converged() { return converged; }

    /** The four diagnostics as parameters: nllBefore, nllAfter, iterations, converged. */
    final void putFitParameters(Map<String, Object> m) {
        m.put("nllBefore", nllBefore);
        m.put("nllAfter", nllAfter);
        m.put("iterations", iterations);
        m.put("converged", converged);
    }

    /** The two NLLs as JSON, NaN (no fit) as null. */
    final void putNllJson(ObjectNode o) {
        MapJson.putFiniteOrNull(o, "nllBefore", nllBefore);
        MapJson.putFiniteOrNull(o, "nllAfter", nllAfter);
    }

    /** Iterations and convergence as JSON. */
    final void putStepsJson(ObjectNode o) {
        o.put("iterations", iterations);
        o.put("converged", converged);
    }

    /** The NLLs, iterations and convergence for {@code toString}: {@code NLL a -> b, n iterations[, NOT CONVERGED]}. */
    final String fitSummary() {
        return String.format(Locale.ROOT, "NLL %.6g -> %.6g, %d iterations%s",
                nllBefore, nllAfter, iterations, converged ? "" : ", NOT CONVERGED");
    }
}
