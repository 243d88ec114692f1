package org.calibkit.core.model;

import org.calibkit.calibration.Head;
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
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMaps;
import org.calibkit.core.AtomicFiles;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.interop.tensorflow.protos.TensorFlowNativeModelProto;
import org.tribuo.protos.core.ModelProto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A trained model in one file, with everything needed to use it correctly: a zip holding
 * <ul>
 *   <li>{@code manifest.json}: format name {@value #FORMAT} and version {@value #VERSION}, model
 *       kind, head (softmax or sigmoid), class names, the {@link Preprocessing}, identity of the
 *       training data (name, split, SHA-256, count), seed, hyper-parameters, metrics measured at
 *       training time, and the SHA-256 of every other entry;</li>
 *   <li>{@code model.tribuo}: the Tribuo model in Tribuo's protobuf format
 *       ({@code Model.serialize()}; never Java serialization);</li>
 *   <li>{@code calibration.json} (optional): a calibration map written by later work.</li>
 * </ul>
 * Loading refuses unknown formats and versions, damaged zips, checksum mismatches and
 * unexpected model classes with a message naming the file and the problem. Saving is atomic
 * (temporary file in the same directory, then a move).
 *
 * <p>Prediction always applies the bundled preprocessing and first checks the pixel range
 * ({@link Preprocessing#checkRange}); a mismatch is refused unless asked for explicitly
 * through {@link #view(boolean, boolean)}. Holds native TensorFlow resources for CNNs:
 * {@link #close()} it.
 */
public final class ModelBundle implements LogitSource, AutoCloseable {
    /** Format name written into every manifest. */
    public static final String FORMAT = "calibkit-model-bundle";
    /** The manifest version this code writes and the only one it reads. */
    public static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String MODEL = "model.tribuo";
    static final String CALIBRATION = "calibration.json";
    private static final long MAX_ENTRY = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelKind kind;
    private final Head head;
    private final List<String> classNames;
    private final Preprocessing preprocessing;
    private final TrainingData trainingData;
    private final long seed;
    private final ObjectNode hyperparameters;
    private final Map<String, Double> metrics;
    private final CalibrationMap calibration;
    private final byte[] modelBytes;
    private final LogitEngine engine;
    private Model<Label> tribuoModel;

    private ModelBundle(ModelKind kind, Head head, List<String> classNames, Preprocessing preprocessing,
                        TrainingData trainingData, long seed, ObjectNode hyperparameters, Map<String, Double> metrics,
                        CalibrationMap calibration, byte[] modelBytes, Model<Label> tribuoModel, LogitEngine engine) {
        this.kind = kind;
        this.head = head;
        this.classNames = List.copyOf(classNames);
        this.preprocessing = preprocessing;
        this.trainingData = trainingData;
        this.seed = seed;
        this.hyperparameters = hyperparameters.deepCopy();
        this.metrics = Map.copyOf(new LinkedHashMap<>(metrics));
        this.calibration = calibration;
        this.modelBytes = modelBytes;
        this.tribuoModel = tribuoModel;
        this.engine = engine;
    }

    /**
     * Wraps a freshly trained Tribuo model.
     *
     * @param hyperparameters free-form settings (numbers, strings, booleans)
     * @throws CalibkitException when the model class does not match {@code kind}
     */
    public static ModelBundle of(ModelKind kind, Model<Label> model, Head head, List<String> classNames,
                                 Preprocessing preprocessing, TrainingData trainingData, long seed,
                                 Map<String, ?> hyperparameters, Map<String, Double> metrics) {
        Objects.requireNonNull(model, "model");
        ObjectNode hp;
        try {
            // through text, so the node types are those a loaded bundle will have
            hp = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(hyperparameters == null ? Map.of() : hyperparameters));
        } catch (IOException e) {
            throw new IllegalArgumentException("hyperparameters cannot be written as JSON: " + e.getMessage(), e);
        }
        ModelProto proto = model.serialize();
        return assemble("(in memory)", kind, head, classNames, preprocessing, trainingData, seed, hp,
                metrics == null ? Map.of() : metrics, null, proto.toByteArray(), proto, model);
    }

    private static ModelBundle assemble(String where, ModelKind kind, Head head, List<String> classNames,
                                        Preprocessing prep, TrainingData data, long seed, ObjectNode hp,
                                        Map<String, Double> metrics, CalibrationMap calibration, byte[] bytes,
                                        ModelProto proto, Model<Label> model) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(prep, "preprocessing");
        Objects.requireNonNull(data, "trainingData");
        if (classNames.size() < 2) {
            throw new CalibkitException("model bundle " + where + " needs at least 2 classes, but has " + classNames.size());
        }
        if (!kind.tribuoClass().equals(proto.getClassName())) {
            throw new CalibkitException("model bundle " + where + " of kind " + kind.id() + " must hold a "
                    + kind.tribuoClass() + " but holds " + proto.getClassName());
        }
        if (kind == ModelKind.LOGISTIC && head != Head.SOFTMAX) {
            throw new CalibkitException("model bundle " + where + ": a logistic model has a softmax head, not " + head);
        }
        if (calibration != null && calibration.numClasses() != classNames.size()) {
            throw new CalibkitException("model bundle " + where + ": its calibration map (" + calibration.method()
                    + ") is for " + calibration.numClasses() + " classes but the model has " + classNames.size());
        }
        LogitEngine engine;
        if (kind == ModelKind.LOGISTIC) {
            Model<Label> m = model != null ? model : deserialize(where, proto);
            model = m;
            org.calibkit.core.preflight.ClassNames.check("model bundle " + where, classNames, m.getOutputIDInfo());
            engine = new LinearLogits((LinearSGDModel) m, classNames, prep);
        } else {
            TensorFlowNativeModelProto tf;
            try {
                tf = proto.getSerializedData().unpack(TensorFlowNativeModelProto.class);
            } catch (InvalidProtocolBufferException e) {
                throw new CalibkitException("model bundle " + where + ": the TensorFlow model cannot be parsed: " + e.getMessage(), e);
            }
            Model<Label> m = model != null ? model : deserialize(where, proto);
            model = m;
            org.calibkit.core.preflight.ClassNames.check("model bundle " + where, classNames, m.getOutputIDInfo());
            engine = new TensorFlowLogits(tf, m.getOutputIDInfo(), classNames, prep);
        }
        return new ModelBundle(kind, head, classNames, prep, data, seed, hp, metrics, calibration, bytes, model, engine);
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> deserialize(String where, ModelProto proto) {
        try {
            Model<?> m = Model.deserialize(proto);
            if (!m.validate(Label.class)) {
                throw new CalibkitException("model bundle " + where + ": the Tribuo model is not a classifier");
            }
            return (Model<Label>) m;
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CalibkitException("model bundle " + where + ": the Tribuo model cannot be read: " + e.getMessage(), e);
        }
    }

    public ModelKind kind() { return kind; }
    @Override public Head head() { return head; }
    @Override public List<String> classNames() { return classNames; }
    public Preprocessing preprocessing() { return preprocessing; }
    public TrainingData trainingData() { return trainingData; }
    public long seed() { return seed; }
    /** A copy of the hyper-parameters as JSON. */
    public ObjectNode hyperparameters() { return hyperparameters.deepCopy(); }
    /** Metrics measured at training time, e.g. {@code validation_accuracy}. */
    public Map<String, Double> metrics() { return metrics; }
    /** The calibration map stored with the model, if any (immutable; saved as the calibration module's versioned JSON). */
    public java.util.Optional<CalibrationMap> calibration() {
        return java.util.Optional.ofNullable(calibration);
    }

    @Override
    public java.util.Optional<Preprocessing> inputPreprocessing() {
        return java.util.Optional.of(preprocessing);
    }

    /** The Tribuo model itself (shared, do not close it separately). */
    public Model<Label> tribuoModel() { return tribuoModel; }

    /** This bundle with other metrics; shares the model (close only one of them). */
    public ModelBundle withMetrics(Map<String, Double> newMetrics) {
        return new ModelBundle(kind, head, classNames, preprocessing, trainingData, seed, hyperparameters,
                newMetrics, calibration, modelBytes, tribuoModel, engine);
    }

    /**
     * This bundle with a calibration map stored in its slot; shares the model.
     *
     * @throws CalibkitException when the map is for another number of classes
     */
    public ModelBundle withCalibration(CalibrationMap calibrationMap) {
        Objects.requireNonNull(calibrationMap, "calibrationMap");
        if (calibrationMap.numClasses() != classNames.size()) {
            throw new CalibkitException("a " + calibrationMap.method() + " map for " + calibrationMap.numClasses()
                    + " classes cannot calibrate a model with " + classNames.size());
        }
        return new ModelBundle(kind, head, classNames, preprocessing, trainingData, seed, hyperparameters,
                metrics, calibrationMap, modelBytes, tribuoModel, engine);
    }

    /**
     * Logits with the bundled preprocessing, after checking the pixel range.
     *
     * @throws CalibkitException when the images' shape or pixel range does not fit (with the numbers)
     */
    @Override
    public Logits logits(ImageSet images) {
        return logits(images, true, true);
    }

    /** This model without its pixel-range guard (the preprocessing is still applied). */
    @Override
    public LogitSource withoutRangeCheck() {
        return withLogits(images -> logits(images, false, true));
    }

    /**
     * A view of this model that may skip the range check and even the preprocessing. Only for
     * deliberate experiments (the audit shows what an unscaled input does); everything else
     * should use {@link #logits(ImageSet)}.
     */
    public LogitSource view(boolean checkRange, boolean preprocess) {
        ModelBundle self = this;
        return new LogitSource() {
            @Override public List<String> classNames() { return self.classNames; }
            @Override public Head head() { return self.head; }
            @Override public Logits logits(ImageSet images) { return self.logits(images, checkRange, preprocess); }
            @Override public java.util.Optional<Preprocessing> inputPreprocessing() {
                return preprocess ? java.util.Optional.of(self.preprocessing) : java.util.Optional.empty();
            }
        };
    }

    private Logits logits(ImageSet images, boolean checkRange, boolean preprocess) {
        preprocessing.requireShape(images);
        if (checkRange) {
            Preprocessing.RangeCheck rc = preprocessing.checkRange(images);
            if (!rc.ok()) {
                throw new CalibkitException(rc.message() + "; refusing to predict (pass the images on the 0..255 scale)");
            }
        }
        if (images.size() == 0) {
            throw new CalibkitException("images " + images.origin().dataset() + "/" + images.origin().split()
                    + " are empty: there is nothing to predict");
        }
        int n = images.size();
        int p = preprocessing.inputSize();
        int k = classNames.size();
        double[] out = new double[Math.multiplyExact(n, k)];
        int chunk = 4096;
        float[] buf = new float[Math.min(n, chunk) * p];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            if (preprocess) {
                preprocessing.apply(images, from, to, buf);
            } else {
                Preprocessing identity = new Preprocessing(1.0, new double[images.channels()],
                        ones(images.channels()), images.channels(), images.height(), images.width(), 0, 255);
                identity.apply(images, from, to, buf);
            }
            double[][] part = engine.logits(buf, to - from);
            for (int i = 0; i < part.length; i++) {
                System.arraycopy(part[i], 0, out, (from + i) * k, k);
            }
        }
        try {
            return Logits.of(out, n, k);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("model " + kind.id() + " gave unusable logits for "
                    + images.origin().dataset() + "/" + images.origin().split() + ": " + e.getMessage(), e);
        }
    }

    private static double[] ones(int c) {
        double[] o = new double[c];
        java.util.Arrays.fill(o, 1.0);
        return o;
    }

    /** Writes the bundle atomically: a temporary file next to {@code file}, then a move. */
    public void save(Path file) {
        AtomicFiles.write(file.toAbsolutePath(), tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                byte[] calib = calibration == null ? null : calibration.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                put(zip, MANIFEST, JSON.writeValueAsBytes(manifest(calib)));
                put(zip, MODEL, modelBytes);
                if (calib != null) {
                    put(zip, CALIBRATION, calib);
                }
            }
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private ObjectNode manifest(byte[] calib) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("kind", kind.id());
        m.put("head", head.name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode names = m.putArray("class_names");
        classNames.forEach(names::add);
        m.set("preprocessing", preprocessing.toJson(JSON));
        ObjectNode td = m.putObject("training_data");
        td.put("dataset", trainingData.dataset());
        td.put("split", trainingData.split());
        td.put("sha256", trainingData.sha256());
        td.put("examples", trainingData.examples());
        m.put("seed", seed);
        m.set("hyperparameters", hyperparameters.deepCopy());
        ObjectNode met = m.putObject("metrics");
        new java.util.TreeMap<>(metrics).forEach(met::put);
        ObjectNode entries = m.putObject("entries");
        ObjectNode model = entries.putObject(MODEL);
        model.put("tribuo_class", kind.tribuoClass());
        model.put("sha256", sha256(modelBytes));
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
    public static ModelBundle load(Path file) {
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
                            + org.calibkit.core.worker.Messages.printable(e.getName()) + " declares " + e.getSize()
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
            return assemble(where, kind, head, classes, prep, data, seed, (ObjectNode) hp, metrics, calibration,
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
                throw new CalibkitException("model bundle " + file + ": entry " + org.calibkit.core.worker.Messages.printable(name)
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

    /** Releases the native TensorFlow session(s), if any. */
    @Override
    public void close() {
        engine.close();
        if (tribuoModel instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + kind.id() + ", head=" + head + ", classes=" + classNames.size() + ", data="
                + trainingData.dataset() + "/" + trainingData.split() + "]";
    }
}
