package org.calibkit.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMaps;
import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.core.CalibkitException;
import org.tribuo.protos.core.ModelProto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The bundle file format (see {@link ModelBundle}): a zip of {@value #MANIFEST}, {@value #MODEL} and
 * an optional {@value #CALIBRATION}, every entry's SHA-256 in the manifest. Writes atomically;
 * reads refuse unknown formats and versions, damaged zips, duplicate or oversized entries and
 * checksum mismatches, naming the file.
 */
final class BundleCodec {
    static final String MANIFEST = "manifest.json";
    static final String MODEL = "model.tribuo";
    static final String CALIBRATION = "calibration.json";
    private static final long MAX_ENTRY = 1L << 30;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = ModelBundle.FORMAT;
    private static final int VERSION = ModelBundle.VERSION;

    private BundleCodec() {
    }

    /** Writes the bundle atomically: a temporary file next to {@code file}, then a move. */
    static void save(ModelBundle b, Path file) {
        AtomicWrite.writeUnchecked(file.toAbsolutePath(), tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                byte[] calib = b.calibration().map(c -> c.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
                put(zip, MANIFEST, JSON.writeValueAsBytes(manifest(b, calib)));
                put(zip, MODEL, b.modelBytes());
                if (calib != null) {
                    put(zip, CALIBRATION, calib);
                }
            }
        });
    }

    /**
     * Writes {@code in} with {@code map} as its calibration to {@code out}, without deserialising
     * the model (no TensorFlow, no Tribuo: a hostile bundle's graph is run only in the worker).
     * The manifest is kept field for field; only the calibration entry and its hash change. The
     * model entry's hash is checked again (the file may have changed since it was opened).
     */
    static void recalibrate(Path in, CalibrationMap map, Path out) {
        Map<String, byte[]> entries = readEntries(in);
        byte[] manifestBytes = entries.get(MANIFEST);
        byte[] model = entries.get(MODEL);
        if (manifestBytes == null || model == null) {
            throw new CalibkitException("model bundle " + in + " is not a calibkit model bundle (no " + MANIFEST + " or " + MODEL + ")");
        }
        ObjectNode m;
        try {
            JsonNode n = JSON.readTree(manifestBytes);
            if (!(n instanceof ObjectNode o)) {
                throw new CalibkitException("model bundle " + in + ": " + MANIFEST + " is not a JSON object");
            }
            m = o;
        } catch (IOException e) {
            throw new CalibkitException("model bundle " + in + ": " + MANIFEST + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode ents = m.get("entries");
        String modelSha = ents == null ? null : ents.path(MODEL).path("sha256").asText(null);
        if (!sha256(model).equals(modelSha)) {
            throw new CalibkitException("model bundle " + in + ": " + MODEL + " does not match its SHA-256 in " + MANIFEST
                    + " (did the file change while calibkit ran?)");
        }
        int classes = m.path("class_names").size();
        if (map.numClasses() != classes) {
            throw new CalibkitException("model bundle " + in + ": the calibration map is for " + map.numClasses()
                    + " classes but the model has " + classes);
        }
        byte[] calib = map.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ((ObjectNode) ents).putObject(CALIBRATION).put("sha256", sha256(calib));
        AtomicWrite.writeUnchecked(out.toAbsolutePath(), tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, MANIFEST, JSON.writeValueAsBytes(m));
                put(zip, MODEL, model);
                put(zip, CALIBRATION, calib);
            }
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ObjectNode manifest(ModelBundle b, byte[] calib) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("kind", b.kind().id());
        m.put("head", b.head().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode names = m.putArray("class_names");
        b.classNames().forEach(names::add);
        m.set("preprocessing", b.preprocessing().toJson(JSON));
        ObjectNode td = m.putObject("training_data");
        td.put("dataset", b.trainingData().dataset());
        td.put("split", b.trainingData().split());
        td.put("sha256", b.trainingData().sha256());
        td.put("examples", b.trainingData().examples());
        m.put("seed", b.seed());
        m.set("hyperparameters", b.hyperparameters());
        ObjectNode met = m.putObject("metrics");
        new java.util.TreeMap<>(b.metrics()).forEach(met::put);
        ObjectNode entries = m.putObject("entries");
        ObjectNode model = entries.putObject(MODEL);
        model.put("tribuo_class", b.kind().tribuoClass());
        model.put("sha256", sha256(b.modelBytes()));
        if (calib != null) {
            entries.putObject(CALIBRATION).put("sha256", sha256(calib));
        }
        return m;
    }

    /**
     * Reads a bundle written by {@link #save}.
     *
     * @throws CalibkitException naming the file and the problem: not a bundle, damaged or
     *                           truncated, unknown format or version, checksum mismatch, bad field
     */
    /** The bundle's zip entries, each within its cap (see {@link #load}). */
    private static Map<String, byte[]> readEntries(Path file) {
        byte[] all;
        try {
            if (Files.size(file) > MAX_ENTRY + (64L << 20)) {
                throw new CalibkitException("model bundle " + file + " is larger than a bundle can be (" + Files.size(file)
                        + " bytes)");
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CalibkitException("model bundle " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model bundle " + file + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (entries.containsKey(e.getName())) {
                    throw new CalibkitException("model bundle " + file + " is damaged: entry " + e.getName() + " appears twice");
                }
                if (entries.size() >= 16) {
                    throw new CalibkitException("model bundle " + file + " holds more than 16 entries; a bundle has at most 3");
                }
                long cap = capOf(e.getName());
                if (e.getSize() > cap) { // the declared size, checked before reading a byte
                    throw new CalibkitException("model bundle " + file + ": entry "
                            + org.calibkit.core.Messages.printable(e.getName()) + " declares " + e.getSize()
                            + " bytes, more than the " + cap + " it may hold");
                }
                entries.put(e.getName(), readBounded(zip, file, e.getName(), cap));
            }
        } catch (ZipException e) {
            throw new CalibkitException("model bundle " + file + " is damaged (zip: " + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new CalibkitException("model bundle " + file + " is truncated (unexpected end of file)", e);
        } catch (IllegalArgumentException e) { // an entry name that is not UTF-8 (found by HostileBytesProperties)
            throw new CalibkitException("model bundle " + file + " is damaged (zip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CalibkitException("model bundle " + file + " is damaged: " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * The preprocessing a bundle's manifest declares, read from the manifest entry alone (not the
     * model), or empty when it cannot be read that way. A hint for work that may start before the
     * bundle is opened; {@link #load} is what checks a bundle.
     */
    static java.util.Optional<Preprocessing> peekPreprocessing(Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(MANIFEST);
            if (e == null) {
                return java.util.Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = zip.getInputStream(e)) {
                bytes = readBounded(in, file, MANIFEST, capOf(MANIFEST));
            }
            JsonNode m = JSON.readTree(bytes);
            if (m == null || !FORMAT.equals(m.path("format").asText(null)) || !m.path("version").isIntegralNumber()
                    || m.path("version").intValue() != VERSION || !m.hasNonNull("preprocessing")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Preprocessing.fromJson(m.get("preprocessing")));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    static ModelBundle load(Path file) {
        Map<String, byte[]> entries = readEntries(file);
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            throw new CalibkitException("model bundle " + file + " is not a calibkit model bundle or is truncated: no "
                    + MANIFEST + " entry" + (entries.isEmpty() ? " (no readable zip entries)" : " (entries: " + entries.keySet() + ")"));
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new CalibkitException("model bundle " + file + ": " + MANIFEST + " is not valid JSON: " + e.getMessage(), e);
        }
        String where = file.toString();
        if (m == null || !m.isObject() || !FORMAT.equals(m.path("format").asText(null))) {
            throw new CalibkitException("model bundle " + file + ": format must be '" + FORMAT + "', but got "
                    + (m == null ? "nothing" : m.get("format")));
        }
        JsonNode v = m.get("version");
        if (v == null || !v.isIntegralNumber() || v.intValue() != VERSION) {
            throw new CalibkitException("model bundle " + file + " has version " + v + ", but this calibkit reads only version "
                    + VERSION + " (written by a newer or older calibkit?)");
        }
        try {
            ModelKind kind = ModelKind.parse(req(m, "kind", where).asText());
            Head head = Head.parse(req(m, "head", where).asText());
            List<String> classes = new ArrayList<>();
            JsonNode cn = req(m, "class_names", where);
            if (!cn.isArray()) {
                throw new CalibkitException("model bundle " + file + ": class_names must be an array");
            }
            cn.forEach(n -> classes.add(n.asText()));
            Preprocessing prep = Preprocessing.fromJson(req(m, "preprocessing", where));
            JsonNode td = req(m, "training_data", where);
            TrainingData data = new TrainingData(req(td, "dataset", where).asText(), req(td, "split", where).asText(),
                    td.hasNonNull("sha256") ? td.get("sha256").asText() : null, req(td, "examples", where).asInt());
            long seed = req(m, "seed", where).asLong();
            JsonNode hp = req(m, "hyperparameters", where);
            if (!hp.isObject()) {
                throw new CalibkitException("model bundle " + file + ": hyperparameters must be an object");
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            req(m, "metrics", where).fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            JsonNode ents = req(m, "entries", where);
            byte[] model = entryChecked(entries, ents, MODEL, file, true);
            byte[] calib = entryChecked(entries, ents, CALIBRATION, file, false);
            String expectedClass = req(req(ents, MODEL, where), "tribuo_class", where).asText();
            if (!kind.tribuoClass().equals(expectedClass)) {
                throw new CalibkitException("model bundle " + file + ": kind " + kind.id() + " cannot hold " + expectedClass);
            }
            ModelProto proto;
            try {
                proto = ModelProto.parseFrom(model);
            } catch (InvalidProtocolBufferException e) {
                throw new CalibkitException("model bundle " + file + ": " + MODEL + " is not a Tribuo model protobuf: " + e.getMessage(), e);
            }
            CalibrationMap calibration = calib == null ? null : readCalibration(file, calib);
            return ModelBundle.assemble(where, kind, head, classes, prep, data, seed, (ObjectNode) hp, metrics, calibration,
                    model, proto, null);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("model bundle " + file + ": " + e.getMessage(), e);
        }
    }

    private static CalibrationMap readCalibration(Path file, byte[] bytes) {
        try {
            return CalibrationMaps.fromJson(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("model bundle " + file + ": " + CALIBRATION + " is not a calibration map this "
                    + "calibkit reads: " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new CalibkitException("model bundle " + where + ": manifest field '" + field + "' is missing");
        }
        return v;
    }

    private static byte[] entryChecked(Map<String, byte[]> entries, JsonNode ents, String name, Path file, boolean required) {
        byte[] bytes = entries.get(name);
        JsonNode meta = ents.get(name);
        if (bytes == null && meta == null && !required) {
            return null;
        }
        if (bytes == null) {
            throw new CalibkitException("model bundle " + file + " is damaged or truncated: entry " + name + " is missing");
        }
        if (meta == null || !meta.hasNonNull("sha256")) {
            throw new CalibkitException("model bundle " + file + ": manifest has no sha256 for entry " + name);
        }
        String actual = sha256(bytes);
        if (!actual.equals(meta.get("sha256").asText())) {
            throw new CalibkitException("model bundle " + file + " is damaged: entry " + name + " has SHA-256 " + actual
                    + " but the manifest says " + meta.get("sha256").asText());
        }
        return bytes;
    }

    /** What an entry can legitimately be: a manifest 1 MiB, a calibration map 64 MiB, the model 1 GiB, anything else 1 MiB. */
    private static long capOf(String name) {
        return MODEL.equals(name) ? MAX_ENTRY : CALIBRATION.equals(name) ? 64L << 20 : 1L << 20;
    }

    private static byte[] readBounded(InputStream in, Path file, String name, long cap) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            total += r;
            if (total > cap) {
                throw new CalibkitException("model bundle " + file + ": entry " + org.calibkit.core.Messages.printable(name)
                        + " is larger than the " + cap + " bytes it may hold");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
