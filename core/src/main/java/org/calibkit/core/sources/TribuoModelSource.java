package org.calibkit.core.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;

/**
 * A Tribuo classifier saved in Tribuo's protobuf format ({@code Model.serializeToFile}; read with
 * {@code Model.deserializeFromFile}, never Java serialization). A {@link LinearSGDModel} exposes its
 * logits: {@code W x + b} from its weight matrix (rows = Tribuo output ids, last column = bias),
 * the value Tribuo's own predict normalises, so {@link #outputKind()} is {@link OutputKind#LOGITS}.
 * Any other model that generates probabilities is read through its {@code predict}: {@link
 * #outputKind()} is then {@link OutputKind#PROBABILITIES} (or independent probabilities, when
 * stated), and its logits are the logarithms of those probabilities
 * ({@link OutputKind#toLogits}), known only up to a per-row constant; the audit should say so.
 * A model that generates no probabilities is refused.
 *
 * <p>Features: by default the image's pixels after the pixel transform, named as calibkit names
 * them (see {@link Preprocessing#featureName}: {@code p000}..{@code p783}, channels-last order),
 * which is what models trained by calibkit use; a model trained elsewhere needs its own feature
 * names in channels-last pixel order ({@link #load(Path, ModelOptions, List)}). Class names
 * default to the model's labels, numerically sorted when they are all integers.
 */
public final class TribuoModelSource extends RangeGuardedSource implements AutoCloseable {
    private final Model<Label> model;
    private final List<String> featureNames;
    private final double[][] weights; // [class][feature id], null for non-linear models
    private final double[] bias;
    private final boolean owned;

    private TribuoModelSource(String where, Model<Label> model, ModelOptions options, List<String> featureNames, boolean owned) {
        super(where, options);
        this.owned = owned;
        this.model = model;
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        List<String> labels = new ArrayList<>();
        for (Label l : outputs.getDomain()) {
            labels.add(l.getLabel());
        }
        labels.sort(numericFirst());
        List<String> names = options.classNames().orElse(labels);
        for (String n : names) {
            if (outputs.getID(new Label(n)) < 0) {
                throw new CalibkitException(where + " has no class '" + n + "'; its classes are " + labels);
            }
        }
        if (names.size() != labels.size()) {
            throw new CalibkitException(where + " has " + labels.size() + " classes " + labels + ", but "
                    + names.size() + " class names were given: " + names);
        }
        List<String> classNames = List.copyOf(names);
        OutputKind kind;
        Head head;
        if (model instanceof LinearSGDModel linear) {
            if (options.outputKind().isPresent() && options.outputKind().get() != OutputKind.LOGITS) {
                throw new CalibkitException(where + " is a linear model whose outputs are logits, but output kind "
                        + options.outputKind().get().id() + " was stated");
            }
            kind = OutputKind.LOGITS;
            head = options.head().orElse(Head.SOFTMAX);
            DenseMatrix w = linear.getWeightsCopy();
            int f = model.getFeatureIDMap().size();
            if (w.getDimension2Size() != f + 1) {
                throw new CalibkitException(where + ": linear model weights have " + w.getDimension2Size()
                        + " columns, expected " + (f + 1) + " (features + bias)");
            }
            weights = new double[classNames.size()][f];
            bias = new double[classNames.size()];
            for (int c = 0; c < classNames.size(); c++) {
                int row = outputs.getID(new Label(classNames.get(c)));
                for (int j = 0; j < f; j++) {
                    weights[c][j] = w.get(row, j);
                }
                bias[c] = w.get(row, f);
            }
        } else {
            if (!model.generatesProbabilities()) {
                throw new CalibkitException(where + " is a " + model.getClass().getSimpleName()
                        + ", which generates no probabilities, and calibkit cannot read logits from it");
            }
            kind = options.outputKind().orElse(OutputKind.PROBABILITIES);
            if (kind == OutputKind.LOGITS || kind == OutputKind.LOG_PROBABILITIES) {
                throw new CalibkitException(where + " gives probabilities through Tribuo's predict, not " + kind.id());
            }
            head = kind.head();
            weights = null;
            bias = null;
        }
        resolved(classNames, kind, head);
    }

    /**
     * Loads a Tribuo model file with calibkit's feature names.
     *
     * @throws CalibkitException naming the file when it is missing, damaged, not a classifier, or
     *         its classes do not fit the options
     */
    public static TribuoModelSource load(Path file, ModelOptions options) {
        return load(file, options, null);
    }

    /**
     * Loads a Tribuo model file whose features are named {@code featureNames}, one per input value
     * in channels-last pixel order (null for calibkit's names).
     */
    @SuppressWarnings("unchecked")
    public static TribuoModelSource load(Path file, ModelOptions options, List<String> featureNames) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("Tribuo model " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new CalibkitException("Tribuo model " + file + " cannot be read (damaged, or not a model written by "
                    + "Tribuo's Model.serializeToFile?): " + rootCause(e), e);
        }
        if (!m.validate(Label.class)) {
            throw new CalibkitException("Tribuo model " + file + " is a " + m.getClass().getSimpleName()
                    + " for " + m.getOutputIDInfo().getDomain().getClass().getSimpleName() + " outputs, not a classifier (Label)");
        }
        try {
            return new TribuoModelSource("Tribuo model " + file, (Model<Label>) m, options, featureNames, true);
        } catch (RuntimeException e) {
            if (m instanceof AutoCloseable c) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /**
     * What went wrong, from the innermost cause: Tribuo wraps a protobuf parser's error in
     * "... threw an exception", which says nothing; the parser's own words say "truncated".
     */
    static String rootCause(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (root.getClass().getName().endsWith(".InvalidProtocolBufferException")) {
            return m != null && m.contains("truncated") ? "the protobuf is truncated (it ends in the middle of a field)"
                    : "the protobuf is malformed (" + (m == null ? "no detail" : m.strip()) + ")";
        }
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m.strip();
    }

    /** Wraps a Tribuo classifier in memory (shared: {@link #close()} leaves it open). */
    public static TribuoModelSource of(Model<Label> model, ModelOptions options, List<String> featureNames) {
        return new TribuoModelSource("Tribuo model " + model.getClass().getSimpleName(), model, options, featureNames, false);
    }

    /** Closes the model's native resources (TensorFlow models) when this source loaded it from a file. */
    @Override
    public void close() {
        if (owned && model instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new CalibkitException(where + " could not be closed: " + e.getMessage(), e);
            }
        }
    }

    private static Comparator<String> numericFirst() {
        return (a, b) -> {
            boolean na = a.matches("-?\\d{1,18}");
            boolean nb = b.matches("-?\\d{1,18}");
            if (na && nb) {
                return Long.compare(Long.parseLong(a), Long.parseLong(b));
            }
            return na != nb ? (na ? -1 : 1) : a.compareTo(b);
        };
    }

    /** The Tribuo model. */
    public Model<Label> model() {
        return model;
    }

    /** True when {@link #logits} are the model's own logits, false when they are logarithms of its probabilities. */
    public boolean exposesLogits() {
        return outputKind() == OutputKind.LOGITS;
    }

    @Override
    public Optional<Preprocessing> inputPreprocessing() {
        return options.imageShape().flatMap(s -> options.pixels().toPreprocessing(s[0], s[1], s[2]));
    }

    @Override
    Logits logits(ImageSet given, boolean checkRange) {
        int n = given.size();
        ImageSet images = given;
        if (options.channels().isPresent() && options.channels().get() != given.channels()
                && (given.channels() == 1 || given.channels() == 3)) {
            images = org.calibkit.core.Channels.convert(given, options.channels().get()); // as the features were made
        }
        int c = images.channels();
        int plane = images.height() * images.width();
        int p = c * plane;
        if (checkRange) {
            Preprocessing.RangeCheck rc = Preprocessing.identity(images).checkRange(images);
            if (!rc.ok()) {
                throw new CalibkitException(rc.message() + "; refusing to predict with " + where
                        + " (pass the images on the 0..255 scale; the model's scaling is its pixel transform)");
            }
        }
        String[] names = names(p, images);
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        int[] featureId = new int[p];
        int known = 0;
        for (int j = 0; j < p; j++) {
            featureId[j] = fmap.getID(names[j]);
            if (featureId[j] >= 0) {
                known++;
            }
        }
        if (known == 0) {
            java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
            for (VariableInfo v : fmap) {
                sorted.add(v.getName());
            }
            List<String> some = sorted.stream().limit(3).toList();
            throw new CalibkitException(where + " knows none of the " + p + " feature names of images " + c + "x"
                    + images.height() + "x" + images.width() + " (" + names[0] + ".." + names[p - 1] + "); its "
                    + fmap.size() + " features are named like " + some + " (give its feature names)");
        }
        float[][] affine = options.pixels().affine(c);
        float[] x = new float[p];
        int k = classNames().size();
        double[] out = new double[Math.multiplyExact(n, k)];
        if (weights != null) {
            for (int i = 0; i < n; i++) {
                ImageInput.fill(images.rawPixels(), c, plane, i, i + 1, Layout.FLAT_HWC, affine, x);
                for (int cl = 0; cl < k; cl++) {
                    double[] wc = weights[cl];
                    double s = bias[cl];
                    for (int j = 0; j < p; j++) {
                        if (featureId[j] >= 0) {
                            s += wc[featureId[j]] * x[j];
                        }
                    }
                    out[i * k + cl] = s;
                }
            }
            return Logits.of(out, n, k);
        }
        List<Example<Label>> examples = new ArrayList<>(n);
        Label unknown = new Label(classNames().get(0));
        for (int i = 0; i < n; i++) {
            ImageInput.fill(images.rawPixels(), c, plane, i, i + 1, Layout.FLAT_HWC, affine, x);
            double[] v = new double[p];
            for (int j = 0; j < p; j++) {
                v[j] = x[j];
            }
            examples.add(new ArrayExample<>(unknown, names, v));
        }
        List<Prediction<Label>> preds;
        try {
            preds = model.predict(examples);
        } catch (RuntimeException e) {
            throw new CalibkitException(where + " failed to predict " + images.describe() + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < n; i++) {
            Map<String, Label> scores = preds.get(i).getOutputScores();
            for (int cl = 0; cl < k; cl++) {
                Label l = scores.get(classNames().get(cl));
                out[i * k + cl] = l == null ? 0 : l.getScore();
            }
        }
        try {
            return outputKind().toLogits(out, n, k);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException(where + " predictions (" + outputKind().id().replace('_', ' ') + ") on images "
                    + images.origin().dataset() + "/" + images.origin().split() + ": " + e.getMessage(), e);
        }
    }

    private String[] names(int p, ImageSet images) {
        if (featureNames != null) {
            if (featureNames.size() != p) {
                throw new CalibkitException(where + ": " + featureNames.size() + " feature names were given, but images "
                        + images.channels() + "x" + images.height() + "x" + images.width() + " have " + p + " values");
            }
            return featureNames.toArray(new String[0]);
        }
        return Preprocessing.identity(images).featureNames();
    }

    @Override
    public String toString() {
        return "TribuoModelSource[" + where + ", " + model.getClass().getSimpleName() + ", " + outputKind().id() + ", "
                + classNames().size() + " classes]";
    }
}
