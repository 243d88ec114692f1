package org.calibkit.report.render;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.calibkit.report.audit.Thresholds;

/** Field names as every rendering writes them: snake_case, read from the records themselves. */
public final class Fields {
    private Fields() {
    }

    /** {@code eceWarn} -> {@code ece_warn}. */
    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The verdict thresholds by snake_case name ({@code ece_warn}, ...), in declaration order; read
     * from the record's components, so a new threshold needs no change in any rendering.
     */
    public static Map<String, Double> thresholds(Thresholds t) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (RecordComponent c : Thresholds.class.getRecordComponents()) {
            try {
                out.put(snake(c.getName()), (Double) c.getAccessor().invoke(t));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read threshold " + c.getName(), e);
            }
        }
        return out;
    }
}
