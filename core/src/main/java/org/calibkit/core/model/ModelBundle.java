package org.calibkit.core.model;

import org.calibkit.calibration.Head;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    static final String MANIFEST = BundleCodec.MANIFEST;
    static final String MODEL = BundleCodec.MODEL;
    static final String CALIBRATION = BundleCodec.CALIBRATION;
    private static final ObjectMapper JSON = BundleCodec.JSON;

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

    static ModelBundle assemble(String where, ModelKind kind, Head head, List<String> classNames,
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
        LogitEngines.Loaded loaded = LogitEngines.create(where, kind, proto, model, classNames, prep);
        return new ModelBundle(kind, head, classNames, prep, data, seed, hp, metrics, calibration, bytes, loaded.model(),
                loaded.engine());
    }

    /** The serialised Tribuo model as stored (read-only by contract). */
    byte[] modelBytes() { return modelBytes; }

    private Logits logits(ImageSet images, boolean checkRange, boolean preprocess) {
        return BatchedInference.logits(engine, preprocessing, kind, classNames.size(), images, checkRange, preprocess);
    }

    /** Writes the bundle atomically: a temporary file next to {@code file}, then a move. */
    public void save(Path file) {
        BundleCodec.save(this, file);
    }

    /**
     * Writes the bundle file {@code in} with {@code map} as its stored calibration to {@code out},
     * without loading its model into this JVM (the worker computes the logits the map is fitted on).
     *
     * @throws CalibkitException when {@code in} is not a bundle, changed, or has another number of classes
     */
    public static void recalibrate(Path in, CalibrationMap map, Path out) {
        BundleCodec.recalibrate(in, map, out);
    }

    /**
     * Reads a bundle written by {@link #save}.
     *
     * @throws CalibkitException naming the file and the problem: not a bundle, damaged or
     *                           truncated, unknown format or version, checksum mismatch, bad field
     */
    public static ModelBundle load(Path file) {
        return BundleCodec.load(file);
    }

    /**
     * The preprocessing the bundle's manifest declares, read without opening the model, or empty
     * when the manifest cannot be read (then {@link #load} says what is wrong). For work that can
     * start while the model is being opened; the loaded bundle's {@link #preprocessing()} is the
     * one to trust.
     */
    public static java.util.Optional<Preprocessing> peekPreprocessing(Path file) {
        return BundleCodec.peekPreprocessing(file);
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
