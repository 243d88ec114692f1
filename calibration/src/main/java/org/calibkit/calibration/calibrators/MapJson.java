package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Predicate;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.io.VersionedJson;

/**
 * JSON writing and strict reading helpers shared by the maps, plus the K check of {@code apply}.
 * Doubles are written with {@link Double#toString(double)}, so a round trip is exact.
 */
final class MapJson {
    static final String FORMAT = "calibkit-calibration-map";
    static final int VERSION = 1;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private MapJson() {
    }

    /** The common header: format, version, method, numClasses. */
    static ObjectNode header(String method, int numClasses) {
        ObjectNode o = VersionedJson.header(MAPPER, FORMAT, VERSION);
        o.put("method", method);
        o.put("numClasses", numClasses);
        return o;
    }

    static ArrayNode array(double[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }

    static ArrayNode matrix(double[][] m) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double[] row : m) {
            a.add(array(row));
        }
        return a;
    }

    static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write calibration map as JSON: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code logits} has the K a map was fitted on. */
    static void checkClasses(Logits logits, int numClasses, String method) {
        Objects.requireNonNull(logits, "logits");
        if (logits.k() != numClasses) {
            throw new IllegalArgumentException("Expected logits with " + numClasses + " classes (the " + method
                    + " map was fitted on " + numClasses + "), but got " + logits.k());
        }
    }

    // ---- strict reading -------------------------------------------------------------------

    static JsonNode field(JsonNode root, String name, String method) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("calibration map (" + method + ") is missing field '" + name + "'");
        }
        return v;
    }

    static double finite(JsonNode root, String name, String method) {
        return finiteValue(field(root, name, method), name, method);
    }

    private static double finiteValue(JsonNode v, String where, String method) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + where
                    + " to be a number, but got " + v);
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + where
                    + " to be finite, but got " + d);
        }
        return d;
    }

    static int integer(JsonNode root, String name, String method) {
        return typed(root, name, method, v -> v.canConvertToInt() && v.isIntegralNumber(), "an integer").intValue();
    }

    static boolean bool(JsonNode root, String name, String method) {
        return typed(root, name, method, JsonNode::isBoolean, "true or false").booleanValue();
    }

    static String text(JsonNode root, String name, String method) {
        return typed(root, name, method, JsonNode::isTextual, "a string").textValue();
    }

    /** The field, when {@code ok} accepts it; otherwise "expected NAME to be KIND, but got ...". */
    private static JsonNode typed(JsonNode root, String name, String method, Predicate<JsonNode> ok, String kind) {
        JsonNode v = field(root, name, method);
        if (!ok.test(v)) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + name
                    + " to be " + kind + ", but got " + v);
        }
        return v;
    }

    /** A fit diagnostic that may be absent or null (NaN then), else a finite number. */
    static double optionalFinite(JsonNode root, String name, String method) {
        JsonNode v = root.get(name);
        return v == null || v.isNull() ? Double.NaN : finite(root, name, method);
    }

    /** The optional {@code iterations} diagnostic (0 when absent). */
    static int iterations(JsonNode root, String method) {
        return root.has("iterations") ? integer(root, "iterations", method) : 0;
    }

    /** The optional {@code converged} diagnostic (true when absent). */
    static boolean converged(JsonNode root, String method) {
        return !root.has("converged") || bool(root, "converged", method);
    }

    /** Writes a finite diagnostic as a number and NaN (no fit) as null. */
    static void putFiniteOrNull(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    /** A vector of finite numbers of length {@code length} (or any length &gt;= 1 when {@code length < 0}). */
    static double[] vector(JsonNode root, String name, int length, String method) {
        return vectorValue(field(root, name, method), name, length, method);
    }

    private static double[] vectorValue(JsonNode v, String name, int length, String method) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + name
                    + " to be an array of numbers, but got " + abbreviate(v));
        }
        if ((length >= 0 && v.size() != length) || v.size() == 0) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + name + " to have "
                    + (length >= 0 ? length : "at least 1") + " entries, but got " + v.size());
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = finiteValue(v.get(i), name + "[" + i + "]", method);
        }
        return out;
    }

    /** A rows x cols matrix of finite numbers. */
    static double[][] matrix(JsonNode root, String name, int rows, int cols, String method) {
        JsonNode v = field(root, name, method);
        if (!v.isArray() || v.size() != rows) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected " + name + " to be "
                    + rows + " rows of " + cols + " numbers, but got " + (v.isArray() ? v.size() + " rows" : abbreviate(v)));
        }
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = vectorValue(v.get(i), name + "[" + i + "]", cols, method);
        }
        return out;
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
