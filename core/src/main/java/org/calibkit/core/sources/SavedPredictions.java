package org.calibkit.core.sources;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.Checks;

/**
 * Predictions a model already made, for models that only run elsewhere (in Python): the test
 * split's outputs and labels, optionally the validation split's (to fit a calibration map), and
 * the outputs on any number of named probes (images the model should not be sure about), all as
 * {@code .npy} or CSV files read with {@link PredictionFiles}. Not a
 * {@link org.calibkit.core.model.LogitSource}: there is no model to run, so the audit takes this
 * value as it is, and probes that need the model are skipped.
 *
 * <p>The files hold logits, probabilities, log-probabilities or independent probabilities; the
 * {@link #outputKind()} is detected from the test file ({@link OutputKind#detect}) or stated, and
 * every file is turned into {@link Logits} for {@link #head()} the same way. A validation or probe
 * file that is clearly of another kind (probabilities next to test logits) is refused.
 *
 * @param classNames  one per column ("0".."K-1" unless given)
 * @param outputKind  what the files held
 * @param head        softmax, or sigmoid for independent probabilities (or stated for logits)
 * @param test        the test split
 * @param validation  the validation split, if given
 * @param probes      probe name -> the model's outputs on that probe, as logits, in the order given
 */
public record SavedPredictions(List<String> classNames, OutputKind outputKind, Head head, Split test,
                               Optional<Split> validation, Map<String, Logits> probes) {

    /** Logits and labels of one split. */
    public record Split(Logits logits, int[] labels) {
        public Split {
            Objects.requireNonNull(logits, "logits");
            Objects.requireNonNull(labels, "labels");
            labels = labels.clone();
        }

        /** A copy of the labels. */
        @Override
        public int[] labels() {
            return labels.clone();
        }
    }

    public SavedPredictions {
        Checks.nonNull("classNames, outputKind, head, test, validation, probes",
                classNames, outputKind, head, test, validation, probes);
        classNames = List.copyOf(classNames);
        probes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    }

    /**
     * Reads prediction files.
     *
     * @param testOutputs      the model's outputs on the test split (n x K)
     * @param testLabels       the test labels (n)
     * @param validationOutputs outputs on the validation split, or null
     * @param validationLabels  its labels (given exactly when {@code validationOutputs} is)
     * @param probeOutputs     probe name -> outputs file (may be empty)
     * @param options          output kind, head and class names when stated (other settings are ignored)
     * @throws CalibkitException naming the file and the row, column or byte offset: missing or
     *         damaged files, NaN, label counts or values that do not fit, column counts that differ,
     *         a file of another kind
     */
    public static SavedPredictions read(Path testOutputs, Path testLabels, Path validationOutputs, Path validationLabels,
                                        Map<String, Path> probeOutputs, ModelOptions options) {
        Checks.nonNull("testOutputs, testLabels, probeOutputs, options",
                testOutputs, testLabels, probeOutputs, options);
        if ((validationOutputs == null) != (validationLabels == null)) {
            throw new CalibkitException("validation predictions need both an outputs file and a labels file, but got "
                    + (validationOutputs == null ? "only labels " + validationLabels : "only outputs " + validationOutputs));
        }
        Logits testRaw = matrix(testOutputs);
        int k = testRaw.k();
        OutputKind kind = options.outputKind().orElse(null);
        if (kind == null) {
            kind = OutputKind.detect(testRaw.raw(), testRaw.n(), k);
        }
        Head head = kind == OutputKind.LOGITS ? options.head().orElse(Head.SOFTMAX) : kind.head();
        if (kind != OutputKind.LOGITS && options.head().isPresent() && options.head().get() != head) {
            throw new CalibkitException(testOutputs.getFileName() + " holds " + kind.id().replace('_', ' ')
                    + ", whose head is " + head.id() + ", but head " + options.head().get().id() + " was asked for");
        }
        List<String> names = options.classNames().orElse(ImageModelSource.numbered(k));
        if (names.size() != k) {
            throw new CalibkitException(testOutputs.getFileName() + " has " + k + " columns, but " + names.size()
                    + " class names were given");
        }
        Split test = new Split(convert(testOutputs, testRaw, kind, k, options, null), labels(testLabels, testRaw.n(), k, testOutputs));
        Optional<Split> val = Optional.empty();
        if (validationOutputs != null) {
            Logits v = matrix(validationOutputs);
            val = Optional.of(new Split(convert(validationOutputs, v, kind, k, options, testOutputs),
                    labels(validationLabels, v.n(), k, validationOutputs)));
        }
        Map<String, Logits> probes = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : probeOutputs.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new CalibkitException("probe predictions " + e.getValue() + " need a name");
            }
            probes.put(e.getKey(), convert(e.getValue(), matrix(e.getValue()), kind, k, options, testOutputs));
        }
        return new SavedPredictions(names, kind, head, test, val, probes);
    }

    /** Reads the test split only. */
    public static SavedPredictions read(Path testOutputs, Path testLabels) {
        return read(testOutputs, testLabels, null, null, Map.of(), ModelOptions.defaults());
    }

    /** The file's numbers, finite and n x K (as Logits only as a carrier: nothing is assumed yet). */
    private static Logits matrix(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("predictions file " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        try {
            return PredictionFiles.readLogits(file);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("predictions file " + dirOf(file) + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CalibkitException("predictions file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Logits convert(Path file, Logits values, OutputKind kind, int k, ModelOptions options, Path testFile) {
        if (values.k() != k) {
            throw new CalibkitException("predictions file " + file + " has " + values.k() + " columns, but "
                    + (testFile == null ? "" : testFile.getFileName() + " has ") + k);
        }
        if (testFile != null && kind == OutputKind.LOGITS && options.outputKind().isEmpty()) {
            OutputKind own = OutputKind.detect(values.raw(), values.n(), k);
            if (own == OutputKind.PROBABILITIES || own == OutputKind.LOG_PROBABILITIES) {
                throw new CalibkitException("predictions file " + file + " holds " + own.id().replace('_', ' ')
                        + ", but " + testFile.getFileName() + " holds logits; save every split the same way, "
                        + "or state the output kind");
            }
        }
        try {
            return kind.toLogits(values.raw(), values.n(), k);
        } catch (IllegalArgumentException e) {
            String how = options.outputKind().isPresent() ? "stated as " : "detected from the test file as ";
            throw new CalibkitException("predictions file " + file + " (" + how + kind.id().replace('_', ' ') + "): "
                    + e.getMessage(), e);
        }
    }

    /** The directory part of a path with its separator ("" for a bare name): PredictionFiles' messages start with the file name. */
    private static String dirOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? "" : parent + file.getFileSystem().getSeparator();
    }

    private static int[] labels(Path file, int n, int k, Path outputs) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("labels file " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        int[] y;
        try {
            y = PredictionFiles.readLabels(file);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("labels file " + dirOf(file) + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CalibkitException("labels file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (y.length != n) {
            throw new CalibkitException("labels file " + file + " has " + y.length + " labels, but " + outputs.getFileName()
                    + " has " + n + " rows");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= k) {
                throw new CalibkitException("labels file " + file + ": label " + y[i] + " at index " + i + " is outside [0, "
                        + k + ") for " + k + " classes");
            }
        }
        return y;
    }
}
