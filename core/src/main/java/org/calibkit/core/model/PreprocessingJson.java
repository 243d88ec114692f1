package org.calibkit.core.model;

import org.calibkit.core.CalibkitException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading the fields of a preprocessing JSON object (a bundle's {@link Preprocessing}, a pixel
 * transform file), each refusal naming the field: "preprocessing field 'mean[1]' must be a number".
 */
public final class PreprocessingJson {
    private PreprocessingJson() {
    }

    /** The field {@code name}, present and not null. */
    static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new CalibkitException("preprocessing field '" + name + "' is missing");
        }
        return v;
    }

    static String text(JsonNode n, String name) {
        return field(n, name).asText();
    }

    static double number(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isNumber()) {
            throw new CalibkitException("preprocessing field '" + name + "' must be a number, but got " + v);
        }
        return v.doubleValue();
    }

    static int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new CalibkitException("preprocessing field '" + name + "' must be an integer, but got " + v);
        }
        return v.intValue();
    }

    /** The array field {@code name}, every element a number. */
    static double[] doubles(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new CalibkitException("preprocessing field '" + name + "' must be an array, but got " + v);
        }
        return numbers(v, name);
    }

    /**
     * The elements of {@code array}, the value of field {@code name}, as numbers.
     *
     * @throws CalibkitException naming the first element that is not a number
     */
    public static double[] numbers(JsonNode array, String name) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new CalibkitException("preprocessing field '" + name + "[" + i + "]' must be a number, but got "
                        + array.get(i));
            }
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }
}
