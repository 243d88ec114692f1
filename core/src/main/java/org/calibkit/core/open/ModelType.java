package org.calibkit.core.open;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.calibkit.core.CalibkitException;

/** The kinds of model file calibkit reads, and how it tells them apart. */
public enum ModelType {
    /** A calibkit model bundle ({@code .ckb}, a zip with a manifest): carries its preprocessing and calibration. */
    BUNDLE("bundle"),
    /** An ONNX model file ({@code .onnx}). */
    ONNX("onnx"),
    /** A TensorFlow SavedModel directory ({@code saved_model.pb} inside). */
    SAVEDMODEL("savedmodel"),
    /** A Tribuo model written by {@code Model.serializeToFile} (protobuf). */
    TRIBUO("tribuo"),
    /** A Keras model: {@code .h5} from {@code model.save} (HDF5) or a Keras 3 {@code .keras} zip. */
    KERAS("keras");

    private final String id;

    ModelType(String id) {
        this.id = id;
    }

    /** As written on the command line and in reports. */
    public String id() {
        return id;
    }

    /**
     * Parses {@code bundle}, {@code onnx}, {@code savedmodel}, {@code tribuo}, {@code keras} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    public static ModelType parse(String s) {
        for (ModelType t : values()) {
            if (t.id.equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("model type must be one of bundle, onnx, savedmodel, tribuo, keras, but got '" + s + "'");
    }

    /**
     * What a model path holds, by its name and then its first bytes: a directory with
     * {@code saved_model.pb} (or {@code .pbtxt}) is a SavedModel; {@code .ckb} a bundle and
     * {@code .onnx} ONNX; {@code .h5}, {@code .hdf5} and {@code .keras} Keras; otherwise a file with
     * the HDF5 signature is Keras, a zip naming {@code config.json} in its first kilobyte a {@code .keras}
     * model and any other zip a bundle, a protobuf naming an {@code org.tribuo}
     * class in its first kilobyte a Tribuo model, and any other protobuf whose first field is
     * ONNX's {@code ir_version} an ONNX model.
     *
     * @throws CalibkitException when the path does not exist or its kind cannot be told (say it with the model type option)
     */
    public static ModelType detect(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("saved_model.pb")) || Files.isRegularFile(path.resolve("saved_model.pbtxt"))) {
                return SAVEDMODEL;
            }
            throw new CalibkitException("model " + path + " is a directory without saved_model.pb, so not a TensorFlow "
                    + "SavedModel; give a model file (.ckb, .onnx, a Tribuo model) or a SavedModel directory");
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ckb")) {
            return BUNDLE; // its loader names a missing or damaged file
        }
        if (name.endsWith(".onnx") || name.endsWith(".ort")) {
            return ONNX;
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            return KERAS; // its reader names a missing, damaged or non-Keras file
        }
        if (!Files.exists(path)) {
            throw new CalibkitException("model " + path + " does not exist");
        }
        byte[] head = new byte[1024];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + path + ": " + e.getMessage(), e);
        }
        head = Arrays.copyOf(head, n);
        if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KERAS; // the HDF5 signature
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return new String(head, StandardCharsets.ISO_8859_1).contains("config.json") ? KERAS : BUNDLE;
        }
        if (n >= 2 && (head[0] & 0xFF) == 0xAC && (head[1] & 0xFF) == 0xED) {
            throw new CalibkitException("model " + path + " is a Java-serialized object, which calibkit never reads "
                    + "(untrusted data); save Tribuo models with Model.serializeToFile (protobuf)");
        }
        if (new String(head, StandardCharsets.ISO_8859_1).contains("org.tribuo.")) {
            return TRIBUO;
        }
        if (n >= 2 && head[0] == 0x08) {
            return ONNX; // ModelProto field 1, ir_version, a varint
        }
        throw new CalibkitException("cannot tell what kind of model " + path + " is (not .ckb or .onnx, not a zip, "
                + "not a Tribuo or ONNX protobuf); say it with the model type (bundle, onnx, savedmodel, tribuo, keras)");
    }
}
