package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.calibkit.calibration.Logits;

/**
 * What every fitted map shares: its method name and K, the K check of {@code apply}, and the frame
 * of {@link #parameters()} (an unmodifiable ordered map) and of {@link #toJson()} (the
 * {@link MapJson#header} followed by the map's own fields). A map only says which fields it has.
 */
abstract class FittedMap implements CalibrationMap {
    private final String method;
    private final int numClasses;

    FittedMap(String method, int numClasses) {
        this.method = method;
        this.numClasses = numClasses;
    }

    @Override
    public final String method() { return method; }

    @Override
    public final int numClasses() { return numClasses; }

    /** Checks that {@code logits} has the K this map was fitted on. */
    final void checkClasses(Logits logits) {
        MapJson.checkClasses(logits, numClasses, method);
    }

    @Override
    public final Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        putParameters(m);
        return Collections.unmodifiableMap(m);
    }

    /** Adds the fitted parameters and diagnostics to {@code m}, in report order (arrays as copies). */
    abstract void putParameters(Map<String, Object> m);

    @Override
    public final String toJson() {
        ObjectNode o = MapJson.header(method, numClasses);
        putJson(o);
        return MapJson.write(o);
    }

    /** Adds the map's own fields to its JSON after the common header. */
    abstract void putJson(ObjectNode o);
}
