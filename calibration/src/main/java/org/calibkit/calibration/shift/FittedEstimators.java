package org.calibkit.calibration.shift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMaps;
import org.calibkit.calibration.io.VersionedJson;

/**
 * Reading fitted estimators back from their JSON ({@link AccuracyEstimator.Fitted#toJson}), so a
 * monitor can apply the estimators an audit fitted: a versioned format, strict reading, no Java
 * serialization. Doubles are written with {@link Double#toString(double)}: a round trip is exact.
 */
public final class FittedEstimators {
    /** The {@code format} field of every fitted estimator's JSON. */
    public static final String FORMAT = "calibkit-accuracy-estimator";
    /** The only version this release writes and reads. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FittedEstimators() {
    }

    /** The common header, with the map's JSON (or null for the softmax). */
    static ObjectNode json(String estimator, CalibrationMap map) {
        ObjectNode o = VersionedJson.header(MAPPER, FORMAT, VERSION);
        o.put("estimator", estimator);
        if (map == null) {
            o.putNull("map");
        } else {
            try {
                o.set("map", MAPPER.readTree(map.toJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the calibration map wrote JSON it cannot read: " + e.getMessage(), e);
            }
        }
        return o;
    }

    /**
     * The fitted estimator {@code json} describes.
     *
     * @throws IllegalArgumentException for JSON that does not parse, another format, a version this
     *                                  release does not know, an unknown estimator or a missing field, naming it
     */
    public static AccuracyEstimator.Fitted fromJson(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fitted estimator JSON does not parse: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("fitted estimator JSON must be an object");
        }
        if (!FORMAT.equals(o.path("format").asText(null))) {
            throw new IllegalArgumentException("expected format '" + FORMAT + "', but got " + o.get("format"));
        }
        if (o.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("fitted estimator version " + o.get("version") + " is not known to this "
                    + "release (it reads version " + VERSION + ")");
        }
        JsonNode m = o.get("map");
        if (m == null) {
            throw new IllegalArgumentException("fitted estimator JSON lacks 'map' (null for the softmax)");
        }
        CalibrationMap map = m.isNull() ? null : CalibrationMaps.fromJson(m.toString());
        String kind = o.path("estimator").asText("");
        return switch (kind) {
            case "ac" -> AverageConfidence.fitted(map, number(o, "alpha"));
            case "atc" -> ThresholdedConfidence.fitted(score(o), map, number(o, "threshold"));
            case "doc" -> DifferenceOfConfidences.fitted(map, number(o, "validationAccuracy"),
                    number(o, "validationConfidence"));
            case "cbpe" -> {
                double k = number(o, "numClasses");
                if (k < 1 || k != Math.rint(k) || (map != null && map.numClasses() != k)) {
                    throw new IllegalArgumentException("numClasses must be a whole number >= 1 (and the map's), but got " + k);
                }
                yield ConfusionEstimator.fitted(map, (int) k);
            }
            default -> throw new IllegalArgumentException("unknown estimator '" + kind + "'; known: ac, atc, doc, cbpe");
        };
    }

    private static double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("fitted estimator JSON needs a number '" + field + "', but got " + v);
        }
        return v.asDouble();
    }

    private static ThresholdedConfidence.Score score(JsonNode o) {
        String s = o.path("score").asText("");
        try {
            return ThresholdedConfidence.Score.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ATC score '" + s + "'; known: MAX_CONFIDENCE, NEGATIVE_ENTROPY", e);
        }
    }
}
