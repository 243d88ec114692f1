package org.calibkit.report.json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;

/**
 * The data binding of the audit JSON: record components become snake_case keys in declaration
 * order, a number that is NaN or infinite is written as {@code null} and a {@code null} number
 * reads back as NaN, statuses are lower case. Reading is strict: every key of a record must be
 * present (the few that are written only sometimes are filled in as null by the reader first),
 * no string is taken for a number, no fraction for an integer; keys this version does not know
 * are ignored, so a newer calibkit may add keys within the same schema version. Default typing is
 * off: the JSON never names a Java class.
 */
final class JsonBinding {
    /** The mapper of the audit JSON (thread-safe once built). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(module())
            .build();

    private static final java.util.regex.Pattern MISSING =
            java.util.regex.Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private JsonBinding() {
    }

    private static SimpleModule module() {
        SimpleModule m = new SimpleModule("calibkit-audit-json");
        Json.finiteNumbers(m);
        m.addDeserializer(Double.class, new NullAsNaN());
        m.addDeserializer(Double.TYPE, new NullAsNaN());
        m.addDeserializer(double[].class, new NullsAsNaN());
        m.addSerializer(Status.class, new StdDelegatingSerializer(new StatusText()));
        m.addDeserializer(Status.class, new StatusReader());
        return m;
    }

    /**
     * Where a binding error is and what it is, as {@code test.per_class[2].ece: missing} or
     * {@code test.n: expected an integer}.
     */
    static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        // "Missing creator property 'x'" (2.17) or "Missing required creator property 'x'"; the path may end at x or before it
        java.util.regex.Matcher missing = MISSING.matcher(message);
        if (missing.lookingAt()) {
            String key = missing.group(1);
            String p = path.toString();
            boolean atKey = p.equals(key) || p.endsWith("." + key);
            return (atKey || p.isEmpty() ? p : p + ".") + (atKey ? "" : key) + ": missing";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException && e.getCause() != null
                && e.getCause().getMessage() != null) {
            // a record refused its values: its own message, under the record's key
            return path.length() == 0 ? e.getCause().getMessage() : under(path.toString(), e.getCause().getMessage());
        }
        String where = path.length() == 0 ? "(top level)" : path.toString();
        return where + ": " + firstSentence(message);
    }

    /**
     * {@code message} under {@code key}: {@code key.sub: what} when the message starts with a key
     * path of its own ({@code sub: what}), else {@code key: message}.
     */
    static String under(String key, String message) {
        String m = String.valueOf(message);
        return key + (m.matches("[a-z0-9_.\\[\\]]+: .*") ? "." : ": ") + m;
    }

    private static String firstSentence(String message) {
        String m = message.replace('\n', ' ');
        int cut = m.indexOf(" at [Source");
        m = cut > 0 ? m.substring(0, cut) : m;
        // Jackson's hint at its own coercion settings says nothing to the reader of a report
        return m.replaceFirst(" \\(but (?:might|could) if coercion[^)]*\\)", "");
    }

    /** A JSON number, or null as NaN; anything else is an error naming the key. */
    private static final class NullAsNaN extends StdDeserializer<Double> {
        NullAsNaN() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return number(p, ctxt);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }

    private static double number(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        return ctxt.reportInputMismatch(Double.class, "expected a number or null, but got %s", what(t));
    }

    private static String what(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.toString().toLowerCase(Locale.ROOT);
        };
    }

    private static final class NullsAsNaN extends StdDeserializer<double[]> {
        NullsAsNaN() {
            super(double[].class);
        }

        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return (double[]) ctxt.reportInputMismatch(double[].class, "expected an array of numbers, but got %s",
                        what(p.currentToken()));
            }
            List<Double> values = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                values.add(number(p, ctxt));
            }
            double[] out = new double[values.size()];
            Arrays.setAll(out, values::get);
            return out;
        }
    }

    /** A status as its lower-case name. */
    private static final class StatusText extends StdConverter<Status, String> {
        @Override
        public String convert(Status s) {
            return s.name().toLowerCase(Locale.ROOT);
        }
    }

    private static final class StatusReader extends StdDeserializer<Status> {
        StatusReader() {
            super(Status.class);
        }

        @Override
        public Status deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
            for (Status v : Status.values()) {
                if (v.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return v;
                }
            }
            return (Status) ctxt.reportInputMismatch(Status.class, "expected one of pass, info, warn, fail, but got %s",
                    s == null ? what(p.currentToken()) : "'" + s + "'");
        }
    }
}
