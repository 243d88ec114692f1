package org.calibkit.report.render;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.MetricSummary;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The JSON conventions of every calibkit rendering: numbers that are not finite become
 * {@code null} (JSON has no NaN), metric summaries are written under the calibration module's
 * metric keys, intervals as {@code {"lower":..,"upper":..}}.
 */
public final class Json {
    /** The mapper every rendering uses. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts {@code v}, or null when it is NaN or infinite. */
    public static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) {
            node.put(key, v);
        } else {
            node.putNull(key);
        }
    }

    /**
     * The same convention for data binding: registers serializers that write a {@code double},
     * {@code Double} or {@code double[]} element that is NaN or infinite as null.
     */
    public static SimpleModule finiteNumbers(SimpleModule m) {
        m.addSerializer(Double.class, new FiniteDouble());
        m.addSerializer(Double.TYPE, new FiniteDouble());
        m.addSerializer(double[].class, new FiniteDoubles());
        return m;
    }

    /** NaN and infinities as null (JSON has neither). */
    private static final class FiniteDouble extends StdSerializer<Double> {
        FiniteDouble() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeNull();
            }
        }
    }

    private static final class FiniteDoubles extends StdSerializer<double[]> {
        FiniteDoubles() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray(v, v.length);
            for (double x : v) {
                if (Double.isFinite(x)) {
                    g.writeNumber(x);
                } else {
                    g.writeNull();
                }
            }
            g.writeEndArray();
        }
    }

    /** JSON has no NaN or infinity: non-finite numbers anywhere in the tree become null (in place). */
    public static JsonNode finite(JsonNode node) {
        if (node == null) {
            return NullNode.getInstance();
        }
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return NullNode.getInstance();
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, finite(a.get(i)));
            }
        } else if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, finite(o.get(name)));
            }
        }
        return node;
    }

    /** Any value (map, list, number, string) as a tree, non-finite numbers as null. */
    public static JsonNode tree(Object value) {
        return finite(MAPPER.valueToTree(value));
    }

    /** Writes {@code n} and every metric of the summary into {@code node}. */
    public static void putMetrics(ObjectNode node, MetricSummary s) {
        node.put("n", s.n());
        s.values().forEach((k, v) -> putNumber(node, k, v));
    }

    /** {@code {"lower":..,"upper":..}}. */
    public static ObjectNode interval(Bootstrap.Interval iv) {
        ObjectNode o = object();
        putNumber(o, "lower", iv.lower());
        putNumber(o, "upper", iv.upper());
        return o;
    }

    /** Intervals keyed by metric. */
    public static ObjectNode intervals(Map<String, Bootstrap.Interval> ivs) {
        ObjectNode o = object();
        ivs.forEach((k, iv) -> o.set(k, interval(iv)));
        return o;
    }

    /** Compact text. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
        }
    }

    /** Indented text. */
    public static String writePretty(JsonNode node) {
        try {
            return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
        }
    }
}
