package org.calibkit.core.open;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.Checksums;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.sources.KerasLogitSource;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.OnnxLogitSource;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.core.sources.SavedModelLogitSource;
import org.calibkit.core.sources.TribuoModelSource;
import org.calibkit.core.preflight.OnnxPreflight;
import org.calibkit.core.worker.WorkerOptions;

/**
 * A model file of any {@link ModelType}, opened as one {@link LogitSource}, with its description
 * ({@link #info()}: kind, output kind, preprocessing, input and output names) and
 * the pixel scale its input transform applies ({@link #inputScale()}, for the {@code unscaled}
 * probe). Holds native resources: close it.
 *
 * <pre>{@code
 * try (OpenedModel m = OpenedModel.open(Path.of("mnist.onnx"), null, ModelOptions.defaults().withPixels(...))) {
 *     Logits z = m.source().logits(images);
 * }
 * }</pre>
 */
public final class OpenedModel implements AutoCloseable {
    private final Path path;
    private final ModelType type;
    private final LogitSource source;
    private final ModelBundle bundle;
    private final ModelDescription info;
    private final double inputScale;
    private final AutoCloseable closer;
    private final CalibrationMap stored;
    /** The input tensor's shape (-1 for dynamic dimensions) of an image model, else null. */
    private final long[] inputShape;
    /** The layout images of the options' image shape are fed in, when both are known, else null. */
    private final org.calibkit.core.sources.Layout layout;

    private OpenedModel(Path path, ModelType type, LogitSource source, ModelBundle bundle, ModelDescription info,
                        double inputScale, AutoCloseable closer) {
        this(path, type, source, bundle, info, inputScale, closer, bundle == null ? null : bundle.calibration().orElse(null));
    }

    private OpenedModel(Path path, ModelType type, LogitSource source, ModelBundle bundle, ModelDescription info,
                        double inputScale, AutoCloseable closer, CalibrationMap stored) {
        this(path, type, source, bundle, info, inputScale, closer, stored, null, null);
    }

    private OpenedModel(Path path, ModelType type, LogitSource source, ModelBundle bundle, ModelDescription info,
                        double inputScale, AutoCloseable closer, CalibrationMap stored, long[] inputShape,
                        org.calibkit.core.sources.Layout layout) {
        this.inputShape = inputShape == null ? null : inputShape.clone();
        this.layout = layout;
        this.stored = stored;
        this.path = path;
        this.type = type;
        this.source = source;
        this.bundle = bundle;
        this.info = info;
        this.inputScale = inputScale;
        this.closer = closer;
    }

    /**
     * Opens a model.
     *
     * @param path    a bundle, ONNX file, SavedModel directory or Tribuo model file
     * @param type    its type, or null to {@link ModelType#detect} it
     * @param options how to drive a model calibkit did not write (preprocessing, layout, output, ...),
     *                or null when none were given; a calibkit bundle carries its own and refuses them
     * @throws CalibkitException naming the file and the problem
     */
    public static OpenedModel open(Path path, ModelType type, ModelOptions options) {
        return open(path, type, options, WorkerOptions.fromEnvironment());
    }

    /**
     * Opens a model in a worker process ({@link WorkerOptions.Isolation#WORKER}, what
     * {@link #open(Path, ModelType, ModelOptions)} does unless told otherwise), so that a native
     * crash is reported instead of ending this JVM, or in this process for trusted models.
     */
    public static OpenedModel open(Path path, ModelType type, ModelOptions options, WorkerOptions where) {
        Objects.requireNonNull(path, "path");
        ModelType t = type != null ? type : ModelType.detect(path);
        if (t == ModelType.ONNX) {
            OnnxPreflight.check(path); // on top of the worker: what leaves the model's directory is never read
        }
        if (where.isolation() == WorkerOptions.Isolation.WORKER) {
            return IsolatedModels.open(path, t, options, where);
        }
        if (t == ModelType.BUNDLE) {
            if (options != null) {
                throw new CalibkitException("model bundle " + path + " carries its own preprocessing, class names and head; "
                        + "the options for external models (preprocessing, layout, output, output kind, signature, class "
                        + "names) apply to ONNX, SavedModel and Tribuo models only");
            }
            ModelBundle b = ModelBundle.load(path);
            return new OpenedModel(path, t, b, b, describe(b, path), b.preprocessing().scale(), b);
        }
        ModelOptions o = options != null ? options : ModelOptions.defaults();
        switch (t) {
            case ONNX: {
                OnnxLogitSource s = OnnxLogitSource.open(path, o);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("input", "'" + s.inputName() + "' " + s.inputShapeAndLayout());
                d.put("output", "'" + s.outputName() + "'");
                return external(path, t, s, s, s.outputKind(), o, d);
            }
            case SAVEDMODEL: {
                SavedModelLogitSource s = SavedModelLogitSource.open(path, o);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("signature", s.signature());
                d.put("input", s.inputShapeAndLayout());
                d.put("output", "'" + s.outputName() + "'");
                return external(path, t, s, s, s.outputKind(), o, d);
            }
            case TRIBUO: {
                TribuoModelSource s = TribuoModelSource.load(path, o);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("Tribuo model", s.model().getClass().getSimpleName());
                d.put("Tribuo trainer", s.model().getProvenance().getTrainerProvenance().getClassName());
                d.put("Tribuo training data", s.model().getProvenance().getDatasetProvenance().getClassName());
                return external(path, t, s, s, s.outputKind(), o, d);
            }
            case KERAS: {
                KerasLogitSource s = KerasLogitSource.open(path, o);
                Map<String, String> d = new LinkedHashMap<>();
                d.put("Keras", "version " + s.model().kerasVersion() + ", " + s.model().layers().size() + " layers ("
                        + s.model().layers().stream().map(l -> l.className()).distinct().collect(java.util.stream.Collectors.joining(", "))
                        + "), run as a TensorFlow graph");
                d.put("input", s.inputShapeAndLayout());
                if (!s.finalActivation().equals("none")) {
                    d.put("output", "the model ends in " + s.finalActivation() + "; calibkit reads the logits before it "
                            + "(the input of that " + s.finalActivation() + ")");
                }
                return external(path, t, s, s, s.outputKind(), o, d);
            }
            default:
                throw new IllegalStateException(t.toString());
        }
    }

    /**
     * {@link #open(Path, ModelType, ModelOptions)} for images of {@code classes} classes: when the
     * model has several float outputs that could hold the scores and neither an output nor class
     * names were given, the one output with {@code classes} columns is read, and the model
     * section says so. Still refused with the list when that does not decide.
     */
    public static OpenedModel open(Path path, ModelType type, ModelOptions options, int classes) {
        try {
            return open(path, type, options);
        } catch (org.calibkit.core.sources.AmbiguousOutputException e) {
            ModelOptions o = options != null ? options : ModelOptions.defaults();
            if (classes < 2 || o.output().isPresent() || o.classNames().isPresent()) {
                throw e;
            }
            List<String> names = new java.util.ArrayList<>();
            for (int k = 0; k < classes; k++) {
                names.add(Integer.toString(k));
            }
            OpenedModel m = open(path, type, o.withClassNames(names));
            Map<String, String> d = new LinkedHashMap<>(m.info.details());
            d.put("output", d.getOrDefault("output", "") + " (of several float outputs, the only one with " + classes
                    + " columns, as many as the data has classes)");
            ModelDescription i = m.info;
            return new OpenedModel(m.path, m.type, m.source, m.bundle, new ModelDescription(i.name(), i.location(),
                    i.sha256(), i.kind(), i.head(), i.outputKind(), i.classNames(), i.preprocessing(), d,
                    i.hyperparameters()), m.inputScale, m.closer);
        }
    }

    private static OpenedModel external(Path path, ModelType t, LogitSource s, AutoCloseable closer, OutputKind kind,
                                        ModelOptions o, Map<String, String> details) {
        try {
            details.put("output kind", kind.id().replace('_', ' ') + (o.outputKind().isPresent() ? " (stated)"
                    : s instanceof KerasLogitSource k && !k.finalActivation().equals("none")
                    ? " (read before the model's final " + k.finalActivation() + ")" : " (detected from the model's outputs)"));
            if (kind == OutputKind.PROBABILITIES) {
                details.put("logits", "logarithms of the model's probabilities, known up to a per-row constant; max_logit "
                        + "and energy scores are computed from them, not from the model's own logits");
            } else if (kind == OutputKind.INDEPENDENT_PROBABILITIES) {
                details.put("logits", "logit(p) of the model's independent probabilities");
            }
            o.channels().ifPresent(c -> details.put("channels", "images converted to " + c + " channel(s) before the model: "
                    + (c == 3 ? "grey replicated to RGB" : "colour to grey by the Rec. 601 luma") + " (stated)"));
            String file = Files.isDirectory(path) ? "saved_model.pb" : null;
            Path hashed = file == null ? path : path.resolve(file);
            ModelDescription info = new ModelDescription(path.getFileName().toString(),
                    path.toAbsolutePath().toString(), Files.isRegularFile(hashed) ? Checksums.sha256(hashed) : null, t.id(),
                    s.head().id(), kind.id(), s.classNames(), describe(o.pixels()), details);
            long[] shape = inputShapeOf(s);
            org.calibkit.core.sources.Layout layout = null;
            if (shape != null && o.imageShape().isPresent()) {
                int[] img = o.imageShape().get();
                try {
                    layout = layoutOf(s, img[0], img[1], img[2]);
                } catch (CalibkitException ambiguous) {
                    layout = null; // several fit and none was given: unknown until one is
                }
            }
            return new OpenedModel(path, t, s, null, info, o.pixels().scale(), closer, null, shape, layout);
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (Exception ignored) {
                // failing already
            }
            throw e;
        }
    }

    /** A model running in a worker (see {@link IsolatedModels}). */
    static OpenedModel isolated(Path path, ModelType type, org.calibkit.core.worker.WorkerLogitSource source,
                                ModelDescription info, double inputScale, CalibrationMap stored, long[] inputShape,
                                org.calibkit.core.sources.Layout layout) {
        return new OpenedModel(path, type, source, null, info, inputScale, source, stored, inputShape, layout);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> HYPERPARAMETERS =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The description of a calibkit bundle (its stored calibration under "stored calibration"). */
    public static ModelDescription describe(ModelBundle b, Path file) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("training data", b.trainingData().dataset() + "/" + b.trainingData().split() + ", "
                + b.trainingData().examples() + " images");
        details.put("seed", Long.toString(b.seed()));
        details.put("hyper-parameters", b.hyperparameters().toString());
        b.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> details.put(e.getKey().replace('_', ' '), String.format(Locale.ROOT, "%.4f", e.getValue())));
        b.calibration().ifPresent(m -> details.put("stored calibration", m.describe()));
        return new ModelDescription(file.getFileName().toString(), file.toAbsolutePath().toString(), Checksums.sha256(file),
                b.kind().id(), b.head().id(), "logits", b.classNames(), b.preprocessing().toString(), details,
                JSON.convertValue(b.hyperparameters(), HYPERPARAMETERS));
    }

    /** One line for a pixel transform: {@code x -> (x * 0.00392157 - 0.1307) / 0.3081 on 0..255 pixels}. */
    public static String describe(PixelTransform p) {
        return String.format(Locale.ROOT, "x -> %s(x * %.6g - %s) / %s on 0..255 pixels", p.invert() ? "255 - x, then " : "",
                p.scale(), list(p.mean()), list(p.std()));
    }

    private static String list(double[] v) {
        if (v.length == 1) {
            return String.format(Locale.ROOT, "%.6g", v[0]);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[i]));
        }
        return b.append(']').toString();
    }

    private static long[] inputShapeOf(LogitSource s) {
        if (s instanceof OnnxLogitSource o) {
            return o.inputShape();
        }
        if (s instanceof SavedModelLogitSource o) {
            return o.inputShape();
        }
        if (s instanceof KerasLogitSource o) {
            return o.inputShape();
        }
        return null;
    }

    /**
     * The layout images of c x h x w are fed into {@code s} in (ONNX, SavedModel and Keras
     * sources), or null for a source that takes images, not tensors (bundles, Tribuo).
     *
     * @throws CalibkitException when several layouts fit and none was given
     */
    public static org.calibkit.core.sources.Layout layoutOf(LogitSource s, int c, int h, int w) {
        if (s instanceof OnnxLogitSource o) {
            return o.layoutFor(c, h, w);
        }
        if (s instanceof SavedModelLogitSource o) {
            return o.layoutFor(c, h, w);
        }
        if (s instanceof KerasLogitSource o) {
            return o.layoutFor(c, h, w);
        }
        return null;
    }

    /** The input tensor's shape (-1 for dynamic dimensions) of an ONNX, SavedModel or Keras model, in a worker too. */
    public Optional<long[]> inputShape() { return Optional.ofNullable(inputShape).map(long[]::clone); }
    /**
     * The layout images are fed in, for the image shape of the options it was opened with, when
     * that shape was given and one layout fits (or was asked for); in a worker too.
     */
    public Optional<org.calibkit.core.sources.Layout> layout() { return Optional.ofNullable(layout); }
    /** The path it was opened from. */
    public Path path() { return path; }
    /** Its type. */
    public ModelType type() { return type; }
    /** The model as a logit source (images on the 0..255 convention in, logits out). */
    public LogitSource source() { return source; }
    /** The calibkit bundle, when it is one opened in this process (a bundle in a worker has none here). */
    public Optional<ModelBundle> bundle() { return Optional.ofNullable(bundle); }
    /** The calibration map stored with the model (bundles only). */
    public Optional<CalibrationMap> storedCalibration() { return Optional.ofNullable(stored); }
    /** Its description (what a report's model section shows). */
    public ModelDescription info() { return info; }
    /** The multiplier its input transform applies to 0..255 pixels (1/255 for calibkit bundles). */
    public double inputScale() { return inputScale; }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CalibkitException("closing model " + path + ": " + e.getMessage(), e);
        }
    }
}
