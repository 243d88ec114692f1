package org.calibkit.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLogSchema;

/**
 * Parquet prediction logs (one row per prediction: an id, the outputs as an array column, the
 * label) read on one machine through embedded DuckDB into the {@link SavedPredictions} an audit of
 * saved predictions takes, so {@code calibkit audit --predictions log.parquet} writes the same
 * report as the same rows saved as {@code .npy}. The whole log is held in memory (8 bytes x K per
 * row); the streamed metrics of {@code calibkit-spark} are for logs beyond that.
 */
public final class PredictionLogs {
    private PredictionLogs() {
    }

    /** Whether {@code p} names a Parquet log: a {@code .parquet} file or a directory of them. */
    public static boolean isLog(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".parquet") || (Files.isDirectory(p) && !Files.exists(p.resolve("saved_model.pb")));
    }

    /**
     * Reads the test log and, when given, the validation log (same columns).
     *
     * @param schema  the columns; its kind (logits or probabilities) comes from {@code options}' output kind
     * @throws CalibkitException naming the file, column or row that is wrong
     */
    public static SavedPredictions read(Path test, Path validation, PredictionLogSchema schema, ModelOptions options) {
        OutputKind kind = options.outputKind().orElse(OutputKind.LOGITS);
        if (kind != OutputKind.LOGITS && kind != OutputKind.PROBABILITIES) {
            throw new CalibkitException("a Parquet prediction log holds logits or probabilities, but --output-kind "
                    + kind.id() + " was given");
        }
        PredictionLogSchema s = new PredictionLogSchema(schema.id(), schema.timestamp(), schema.outputs(),
                schema.outputColumns(), schema.label(), schema.model(), schema.segment(), kind);
        SavedPredictions.Split t = split(test, s);
        int k = t.logits().k();
        Optional<SavedPredictions.Split> v = Optional.empty();
        if (validation != null) {
            v = Optional.of(split(validation, s));
            if (v.get().logits().k() != k) {
                throw new CalibkitException("prediction log " + validation + " has " + v.get().logits().k()
                        + " classes, but " + test + " has " + k);
            }
        }
        var names = options.classNames().orElse(java.util.stream.IntStream.range(0, k).mapToObj(Integer::toString).toList());
        if (names.size() != k) {
            throw new CalibkitException("prediction log " + test + " has " + k + " classes, but " + names.size()
                    + " class names were given");
        }
        Head head = kind == OutputKind.LOGITS ? options.head().orElse(Head.SOFTMAX) : kind.head();
        return new SavedPredictions(names, kind, head, t, v, Map.of());
    }

    /**
     * The number of rows of the log {@code file} (from its Parquet footers), after the checks of
     * its columns.
     *
     * @throws CalibkitException naming the file or column that is wrong
     */
    public static long rows(Path file, PredictionLogSchema schema) {
        if (!Files.exists(file)) {
            throw new CalibkitException("prediction log " + file + " does not exist");
        }
        try {
            return DuckDbPredictionLog.read(file.toString(), schema).count();
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        }
    }

    private static SavedPredictions.Split split(Path file, PredictionLogSchema schema) {
        if (!Files.exists(file)) {
            throw new CalibkitException("prediction log " + file + " does not exist");
        }
        try {
            DuckDbPredictionLog.Collected c = DuckDbPredictionLog.read(file.toString(), schema).collect();
            Logits z = c.kind().toLogits(c.outputs(), c.n(), c.k());
            return new SavedPredictions.Split(z, c.labels());
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("prediction log " + file + ": " + e.getMessage(), e);
        }
    }
}
