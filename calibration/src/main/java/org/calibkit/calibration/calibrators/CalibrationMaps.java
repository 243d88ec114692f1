package org.calibkit.calibration.calibrators;

import org.calibkit.calibration.io.AtomicWrite;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads calibration maps saved with {@link CalibrationMap#toJson()}. Refuses unknown formats,
 * versions and methods and malformed parameters (wrong lengths, NaN, wrong types) with a
 * message naming the field and the value.
 */
public final class CalibrationMaps {
    private CalibrationMaps() {
    }

    /**
     * Parses a map saved by {@link CalibrationMap#toJson()}.
     *
     * @throws IllegalArgumentException for malformed JSON, a format other than
     *                                  {@code calibkit-calibration-map}, a version other than 1, an unknown
     *                                  method or malformed parameters
     */
    public static CalibrationMap fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = MapJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("calibration map is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("calibration map must be a JSON object, but got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !MapJson.FORMAT.equals(format.textValue())) {
            throw new IllegalArgumentException("Expected format '" + MapJson.FORMAT + "', but got "
                    + (format == null ? "no format field" : format.toString()));
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || version.intValue() != MapJson.VERSION) {
            throw new IllegalArgumentException("Unsupported calibration map version "
                    + (version == null ? "(missing)" : version.toString()) + ": this calibkit reads version "
                    + MapJson.VERSION);
        }
        JsonNode methodNode = root.get("method");
        if (methodNode == null || !methodNode.isTextual()) {
            throw new IllegalArgumentException("calibration map is missing its 'method' (one of "
                    + CalibrationMethod.ids() + ")");
        }
        String method = methodNode.textValue();
        int k = MapJson.integer(root, "numClasses", method);
        if (k < 2) {
            throw new IllegalArgumentException("calibration map (" + method + "): expected numClasses >= 2, but got " + k);
        }
        CalibrationMethod known;
        try {
            known = CalibrationMethod.byId(method);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown calibration map method '" + method + "'; known: "
                    + CalibrationMethod.ids(), e);
        }
        if (!known.id().equals(method)) {
            throw new IllegalArgumentException("Unknown calibration map method '" + method + "'; known: "
                    + CalibrationMethod.ids());
        }
        return known.readMap(root, k);
    }

    /**
     * Writes {@code map.toJson()} to {@code file} through a temporary file in the same directory and
     * an atomic move, so a crash never leaves a half-written map.
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(CalibrationMap map, Path file) throws IOException {
        Objects.requireNonNull(map, "map");
        String json = map.toJson() + "\n";
        AtomicWrite.write(file, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    }

    /**
     * Reads a map written by {@link #write(CalibrationMap, Path)}.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException as {@link #fromJson(String)}, with the file name in the message
     */
    public static CalibrationMap read(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
