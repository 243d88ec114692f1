package org.calibkit.cli.calibrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.calibration.calibrators.Calibrator;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;

/**
 * Fits a calibrator on a model bundle's validation split (never on test) and writes a new bundle
 * carrying the fitted map ({@link ModelBundle#withCalibration}, saved atomically: a failed run
 * leaves no file). The statistics of the fit are the validation split's metrics before and after
 * the map, next to the map's own parameters.
 *
 * @param model   the calibkit bundle to calibrate
 * @param data    a data set name (its {@code validation} split) or a directory with a
 *                {@code validation/} folder of class folders
 * @param dataDir the user's data directory for named data sets, or null
 * @param method  a calibrator name ({@link CalibrationMethod#ids()})
 * @param out     the bundle to write (may be {@code model} itself: it is replaced atomically)
 * @param limit   use only the first N validation images (0: all)
 */
public record CalibrateJob(Path model, String data, Path dataDir, String method, Path out, int limit) {
    /** Bins of the ECE in the fit statistics. */
    public static final int BINS = CalibrationMetrics.DEFAULT_BINS;

    public CalibrateJob {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(out, "out");
        if (limit < 0) {
            throw new IllegalArgumentException("Expected the image limit to be at least 0, but got " + limit);
        }
    }

    /**
     * What was fitted.
     *
     * @param map        the fitted map, as stored
     * @param replaced   the map the input bundle carried before, or null
     * @param validation where the validation images came from
     * @param n          validation images the map was fitted on
     * @param before     validation metrics of the model as it is
     * @param after      validation metrics after the map (the data it was fitted on: an optimistic view)
     * @param out        the bundle written
     */
    public record Result(CalibrationMap map, CalibrationMap replaced, String validation, int n, MetricSummary before,
                         MetricSummary after, Path out) {
        /** The map's parameters and fit diagnostics. */
        public Map<String, Object> parameters() {
            return map.parameters();
        }
    }

    /** Runs it, printing progress lines; returns after the new bundle is written. */
    public Result run(Consumer<String> progress) {
        Calibrator calibrator = CalibrationMethod.byId(method).create(); // an unknown method fails before anything is loaded
        org.calibkit.core.outputs.OutputFiles.check(java.util.Map.of("--out", out), java.util.List.of(model));
        // the model runs in the worker (OpenedModel): a bundle's TensorFlow graph that crashes its engine ends in one
        // error line, not a dead JVM; the new bundle is written from the file's bytes, the model never loaded here
        try (OpenedModel b = OpenedModel.open(model, ModelType.BUNDLE, null)) {
            ImageSet validation = validation();
            if (limit > 0) {
                validation = validation.limit(Math.min(limit, validation.size()));
            }
            progress.accept(String.format(Locale.ROOT, "calibrate: fitting %s on %d validation images of %s", method,
                    validation.size(), validation.origin().dataset()));
            Logits z = b.source().logits(validation);
            int[] y = validation.labels();
            CalibrationMap map = calibrator.fit(z, y);
            MetricSummary before = CalibrationMetrics.summary(z, y, BINS);
            MetricSummary after = map.outputLogits(z).map(zc -> CalibrationMetrics.summary(zc, y, BINS))
                    .orElseGet(() -> CalibrationMetrics.summary(map.apply(z), y, BINS));
            CalibrationMap replaced = b.storedCalibration().orElse(null);
            ModelBundle.recalibrate(model, map, out);
            return new Result(map, replaced, validation.origin().location(), y.length, before, after, out);
        }
    }

    private ImageSet validation() {
        Path dir = Path.of(data);
        if (Files.isDirectory(dir)) {
            Path v = dir.resolve("validation");
            if (!Files.isDirectory(v)) {
                throw new CalibkitException("data directory " + dir + " has no validation/ folder of class folders; "
                        + "calibration is fitted on a validation split, never on test");
            }
            return ImageFolders.readFolders(v, "validation", ImageFolders.Options.defaults());
        }
        return DataCatalog.load(data, "validation", dataDir);
    }
}
