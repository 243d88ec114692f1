package org.calibkit.cli.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every class's probability for each input image: the model's own preprocessing applied (a
 * bundle's, or an external model's stated pixel transform), then softmax over the classes, or
 * independent per-class probabilities for a sigmoid (one-vs-rest) head; calibrated with the
 * bundle's stored map unless {@code raw}. A map that outputs logits (temperature, vector, matrix,
 * Dirichlet scaling) is applied before the head; other maps give their own distribution.
 */
public final class Predictor {
    private Predictor() {
    }

    /**
     * One input image.
     *
     * @param input         its file name, or {@code file[i]} in a batch
     * @param predicted     the predicted class's index
     * @param probabilities one per class, in {@link Result#classNames()} order
     */
    public record Row(String input, int predicted, double[] probabilities) {
        /** The predicted class's probability. */
        public double confidence() {
            return probabilities[predicted];
        }
    }

    /**
     * All predictions.
     *
     * @param model       the model's file name
     * @param modelKind   bundle kind or external type
     * @param classNames  class names
     * @param independent true for a sigmoid head: each probability on its own, rows need not sum to 1
     * @param calibration the stored map applied, or null when uncalibrated ({@code --raw} or none stored)
     * @param rows        one per image, in input order
     */
    public record Result(String model, String modelKind, List<String> classNames, boolean independent, String calibration,
                         List<Row> rows) {
        public Result {
            classNames = List.copyOf(classNames);
            rows = List.copyOf(rows);
        }
    }

    /**
     * Opens the model, reads the inputs and predicts them: a calibkit bundle's image shape resizes
     * image files to it; for other models the inputs are read as they are and their shape tells
     * the model the image shape (unless the options give it).
     *
     * @param type    the model's type, or null to detect it
     * @param options how to drive a model calibkit did not write, or null (a bundle refuses options)
     */
    public static Result predictFiles(java.nio.file.Path model, ModelType type, ModelOptions options,
                                      List<java.nio.file.Path> inputs, boolean raw, boolean forceRange) {
        ModelType t = type != null ? type : ModelType.detect(model);
        if (t == ModelType.BUNDLE) {
            try (OpenedModel m = OpenedModel.open(model, t, options)) {
                Preprocessing p = m.source().inputPreprocessing().orElseThrow();
                List<PredictInputs.Batch> batches = PredictInputs.read(inputs, m.source().classNames(),
                        new int[] {p.channels(), p.height(), p.width()});
                return predict(m, batches, raw, forceRange);
            }
        }
        ModelOptions o = options == null ? ModelOptions.defaults() : options;
        List<PredictInputs.Batch> batches = PredictInputs.read(inputs, List.of(ImageFolders.UNKNOWN),
                o.imageShape().orElse(null));
        if (o.imageShape().isEmpty()) {
            ImageSet first = batches.get(0).images();
            o = o.withImageShape(first.channels(), first.height(), first.width());
        }
        try (OpenedModel m = OpenedModel.open(model, t, o)) {
            return predict(m, batches, raw, forceRange);
        }
    }

    /**
     * Predicts every batch.
     *
     * @param raw        ignore a stored calibration map
     * @param forceRange skip the pixel-range guard (for images deliberately on another scale)
     * @throws org.calibkit.core.CalibkitException when images do not fit the model: shape, or a
     *         pixel range the model was not trained on (with the numbers, unless {@code forceRange})
     */
    public static Result predict(OpenedModel m, List<PredictInputs.Batch> batches, boolean raw, boolean forceRange) {
        Objects.requireNonNull(m, "model");
        LogitSource source = forceRange ? m.source().withoutRangeCheck() : m.source();
        CalibrationMap map = raw ? null : m.storedCalibration().orElse(null);
        Head head = source.head();
        List<Row> rows = new ArrayList<>();
        for (PredictInputs.Batch b : batches) {
            Logits z = source.logits(b.images());
            Probabilities p = map == null ? head.apply(z)
                    : map.outputLogits(z).map(head::apply).orElseGet(() -> map.apply(z));
            for (int i = 0; i < p.n(); i++) {
                double[] row = p.row(i);
                int best = 0;
                for (int j = 1; j < row.length; j++) {
                    if (row[j] > row[best]) {
                        best = j;
                    }
                }
                rows.add(new Row(b.rowNames().get(i), best, row));
            }
        }
        return new Result(m.info().name(), m.info().kind(), source.classNames(), head == Head.SIGMOID,
                map == null ? null : map.describe(), rows);
    }

    /** Aligned text: a header line, then one row per image (input, predicted, confidence, every class). */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# model ").append(r.model()).append(" (").append(r.modelKind()).append("), ")
                .append(r.independent() ? "independent (sigmoid) probabilities" : "softmax probabilities")
                .append(r.calibration() == null ? ", uncalibrated" : ", calibrated: " + r.calibration()).append('\n');
        int w = "input".length();
        for (Row row : r.rows()) {
            w = Math.max(w, row.input().length());
        }
        w = Math.min(w, 60);
        int pw = "predicted".length();
        for (String c : r.classNames()) {
            pw = Math.max(pw, c.length());
        }
        pw = Math.min(pw, 24);
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-" + pw + "s  %10s", "input", "predicted", "confidence"));
        for (String c : r.classNames()) {
            sb.append("  ").append(String.format(Locale.ROOT, "%8s", clip(c, 8)));
        }
        sb.append('\n');
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-" + pw + "s  %10.4f", row.input(),
                    clip(r.classNames().get(row.predicted()), pw), row.confidence()));
            for (double v : row.probabilities()) {
                sb.append(String.format(Locale.ROOT, "  %8.4f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }

    /** One JSON object: model, head, calibration, class names and one entry per image. */
    public static String json(Result r) {
        ObjectNode o = Json.object();
        o.put("model", r.model());
        o.put("model_kind", r.modelKind());
        o.put("probabilities", r.independent() ? "independent" : "softmax");
        o.put("calibrated", r.calibration() != null);
        o.put("calibration", r.calibration());
        ArrayNode names = o.putArray("class_names");
        r.classNames().forEach(names::add);
        ArrayNode rows = o.putArray("predictions");
        for (Row row : r.rows()) {
            ObjectNode e = rows.addObject();
            e.put("input", row.input());
            e.put("predicted", r.classNames().get(row.predicted()));
            e.put("predicted_index", row.predicted());
            e.put("confidence", row.confidence());
            ArrayNode p = e.putArray("probabilities");
            for (double v : row.probabilities()) {
                p.add(v);
            }
        }
        return Json.writePretty(o);
    }
}
