package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;

/**
 * A fitted temperature: {@code softmax(z / T)}. Keeps the argmax of every row; T = 1 is the
 * identity. Carries the fit diagnostics (NLL before and after, iterations, convergence, and
 * whether T stopped at a bound of the allowed range). Its iterations are Newton/bisection steps
 * (each one pass over the data); it converged when |dNLL/d(log T)| met the tolerance, or T stopped
 * at a bound with the gradient pointing outward. See {@link TemperatureScaling}.
 */
public final class TemperatureMap extends FittedLogitMap {
    static final String METHOD = "temperature";

    /** Whether the fitted T sits at a bound of the allowed range (the unconstrained optimum lies beyond). */
    public enum Bound {
        /** Interior optimum. */
        NONE,
        /** T stopped at the minimum (e.g. perfectly separable data: the optimum is T -&gt; 0). */
        MINIMUM_TEMPERATURE,
        /** T stopped at the maximum (e.g. all-wrong data: the optimum is T -&gt; infinity). */
        MAXIMUM_TEMPERATURE
    }

    private final double temperature;
    private final Bound bound;
    private final double gradient;

    TemperatureMap(int numClasses, double temperature, double nllBefore, double nllAfter, int iterations,
                   boolean converged, Bound bound, double gradient) {
        super(METHOD, numClasses, nllBefore, nllAfter, iterations, converged);
        this.temperature = temperature;
        this.bound = bound;
        this.gradient = gradient;
    }

    /**
     * A map with a given temperature (no fit diagnostics: NLLs are NaN, iterations 0).
     *
     * @throws IllegalArgumentException unless T is finite and &gt; 0 and numClasses &gt;= 2
     */
    public static TemperatureMap of(int numClasses, double temperature) {
        checkNumClasses(numClasses);
        Checks.positive("temperature", temperature);
        return new TemperatureMap(numClasses, temperature, Double.NaN, Double.NaN, 0, true, Bound.NONE, Double.NaN);
    }

    static void checkNumClasses(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("Expected numClasses >= 2, but got " + numClasses);
        }
    }

    /** {@code logits / T}. */
    @Override
    public Logits calibratedLogits(Logits logits) {
        checkClasses(logits);
        return logits.divide(temperature);
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "temperature T=%.3f", temperature);
    }

    /** The fitted temperature T. */
    public double temperature() { return temperature; }
    /** Whether T stopped at a bound of the allowed range. */
    public Bound bound() { return bound; }
    /** dNLL/d(log T) at the fitted T. */
    public double gradient() { return gradient; }

    @Override
    void putParameters(Map<String, Object> m) {
        m.put("temperature", temperature);
        putFitParameters(m);
        m.put("bound", bound.name().toLowerCase(Locale.ROOT));
        m.put("gradient", gradient);
    }

    @Override
    void putJson(ObjectNode o) {
        o.put("temperature", temperature);
        // Diagnostics are informative only; NaN (no fit) is written as null.
        putNllJson(o);
        MapJson.putFiniteOrNull(o, "gradient", gradient);
        putStepsJson(o);
        o.put("bound", bound.name().toLowerCase(Locale.ROOT));
    }

    static TemperatureMap fromJson(JsonNode root, int numClasses) {
        double t = MapJson.finite(root, "temperature", METHOD);
        if (!(t > 0)) {
            throw new IllegalArgumentException("calibration map (temperature): expected temperature > 0, but got " + t);
        }
        int iterations = MapJson.iterations(root, METHOD);
        boolean converged = MapJson.converged(root, METHOD);
        Bound bound = Bound.NONE;
        if (root.has("bound")) {
            String b = MapJson.text(root, "bound", METHOD);
            try {
                bound = Bound.valueOf(b.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("calibration map (temperature): expected bound to be one of "
                        + "none, minimum_temperature, maximum_temperature, but got '" + b + "'", e);
            }
        }
        return new TemperatureMap(numClasses, t, MapJson.optionalFinite(root, "nllBefore", METHOD), MapJson.optionalFinite(root, "nllAfter", METHOD),
                iterations, converged, bound, MapJson.optionalFinite(root, "gradient", METHOD));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TemperatureMap[K=%d, T=%.6g, ", numClasses(), temperature)
                + fitSummary() + (bound == Bound.NONE ? "" : ", at " + bound) + "]";
    }
}
