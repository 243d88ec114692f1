package org.calibkit.report.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.shift.AccuracyEstimator;
import org.calibkit.calibration.shift.AverageConfidence;
import org.calibkit.calibration.shift.ConfusionEstimator;
import org.calibkit.calibration.shift.DifferenceOfConfidences;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.calibration.shift.LabelledLogits;
import org.calibkit.calibration.shift.ThresholdedConfidence;
import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.model.LogitSource;

/**
 * Runs severity sweeps (Ovadia et al. 2019): every point's shifted images through the model, and
 * accuracy, mean confidence, ECE, NLL and Brier of its probabilities before and after a
 * calibration map, computed by the metric functions of {@link Metrics}.
 */
public final class Sweeps {
    private Sweeps() {
    }

    /** Rotation 0-180 degrees by 15, translation 0-14 pixels, and every severity of each of {@code corruptions}. */
    public static List<Sweep> standard(List<Corruption> corruptions) {
        List<Sweep> s = new ArrayList<>(List.of(Sweep.rotation(), Sweep.translation()));
        corruptions.forEach(c -> s.add(Sweep.corruption(c)));
        return List.copyOf(s);
    }

    /**
     * The model's logits on every point of {@code sweeps}, labelled with the clean images' labels,
     * named after the points; {@code progress} gets one line per point.
     */
    public static List<LabelledLogits> predict(LogitSource model, ImageSet clean, List<Sweep> sweeps, SweepOptions options,
                                               Consumer<String> progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(clean, "clean");
        Objects.requireNonNull(sweeps, "sweeps");
        Objects.requireNonNull(options, "options");
        List<LabelledLogits> out = new ArrayList<>();
        int[] labels = clean.labels();
        for (Sweep s : sweeps) {
            for (Sweep.Point p : s.points()) {
                long t0 = System.nanoTime();
                ImageSet shifted = p.transform().apply(clean, options.seed());
                Logits z = model.logits(shifted);
                out.add(new LabelledLogits(p.name(), z, labels));
                progress.accept(String.format(java.util.Locale.ROOT, "sweep %s: %d images (%.0f ms)", p.name(),
                        shifted.size(), (System.nanoTime() - t0) / 1e6));
            }
        }
        return out;
    }

    /** The metrics of already predicted points ({@link #predict}), in the order of {@code sweeps}' points. */
    public static SweepResult evaluate(List<Sweep> sweeps, List<LabelledLogits> predicted, CalibrationMap map,
                                       SweepOptions options) {
        Objects.requireNonNull(map, "map");
        List<SweepResult.PointResult> points = new ArrayList<>();
        int i = 0;
        for (Sweep s : sweeps) {
            for (Sweep.Point p : s.points()) {
                if (i >= predicted.size() || !predicted.get(i).name().equals(p.name())) {
                    throw new IllegalArgumentException("predicted sets do not match the sweeps at point " + p.name()
                            + " (index " + i + ")");
                }
                LabelledLogits l = predicted.get(i++);
                int[] labels = l.labels();
                SweepResult.Metrics before = metrics(Predictions.of(l.logits(), labels), options.bins());
                SweepResult.Metrics after = metrics(Predictions.of(map.apply(l.logits()), labels), options.bins());
                points.add(new SweepResult.PointResult(s.name(), s.unit(), p.name(), p.intensity(), labels.length, before,
                        after));
            }
        }
        if (i != predicted.size()) {
            throw new IllegalArgumentException(predicted.size() + " predicted sets for " + i + " sweep points");
        }
        return new SweepResult(map.describe(), options.bins(), options.seed(), points);
    }

    /**
     * The model's outputs on every point of {@code sweeps} as {@link ShiftSet}s (what an audit's
     * model run keeps, so the audit can evaluate them with the calibration it fits).
     */
    public static List<ShiftSet> predictSets(LogitSource model, ImageSet clean, List<Sweep> sweeps, SweepOptions options,
                                             Consumer<String> progress) {
        List<LabelledLogits> predicted = predict(model, clean, sweeps, options, progress);
        List<ShiftSet> out = new ArrayList<>();
        int i = 0;
        for (Sweep s : sweeps) {
            for (Sweep.Point p : s.points()) {
                out.add(new ShiftSet(s.name(), s.unit(), p.intensity(), predicted.get(i++)));
            }
        }
        return out;
    }

    /**
     * The metrics of every set before and after {@code map} (null: nothing calibrated, so after
     * equals before; the result then names the calibration {@code none}).
     */
    public static SweepResult evaluate(List<ShiftSet> sets, CalibrationMap map, SweepOptions options) {
        List<SweepResult.PointResult> points = new ArrayList<>();
        for (ShiftSet set : sets) {
            int[] labels = set.outputs().labels();
            SweepResult.Metrics before = metrics(Predictions.of(set.outputs().logits(), labels), options.bins());
            SweepResult.Metrics after = map == null ? before
                    : metrics(Predictions.of(map.apply(set.outputs().logits()), labels), options.bins());
            points.add(new SweepResult.PointResult(set.sweep(), set.unit(), set.point(), set.intensity(), labels.length,
                    before, after));
        }
        return new SweepResult(map == null ? "none" : map.describe(), options.bins(), options.seed(), points);
    }

    /**
     * The label-free accuracy estimators an audit checks: average confidence raw and calibrated
     * (Kivimaki et al. 2024), ATC on max-confidence and negative entropy, raw and calibrated (Garg
     * et al. 2022), DoC (Guillory et al. 2021) and the CBPE-style expected confusion (NannyML);
     * the calibrated ones only when there is a map.
     */
    public static List<AccuracyEstimator> standardEstimators(CalibrationMap map) {
        List<AccuracyEstimator> e = new ArrayList<>(List.of(AverageConfidence.raw(),
                ThresholdedConfidence.of(ThresholdedConfidence.Score.MAX_CONFIDENCE),
                ThresholdedConfidence.of(ThresholdedConfidence.Score.NEGATIVE_ENTROPY), DifferenceOfConfidences.raw()));
        if (map != null) {
            e.add(1, AverageConfidence.calibrated(map));
            e.add(4, ThresholdedConfidence.calibrated(ThresholdedConfidence.Score.NEGATIVE_ENTROPY, map));
            e.add(ConfusionEstimator.calibrated(map));
        } else {
            e.add(ConfusionEstimator.raw());
        }
        return List.copyOf(e);
    }

    /**
     * The audit's shift section: {@link #evaluate} and, with the clean validation split's logits
     * and labels, every {@link #standardEstimators} fitted there and checked on every set.
     */
    public static ShiftSection section(List<ShiftSet> sets, CalibrationMap map, Logits validation, int[] validationLabels,
                                       SweepOptions options, java.util.Optional<ExampleGrid> examples) {
        SweepResult sweeps = evaluate(sets, map, options);
        EstimatorCheck.Result check = null;
        if (validation != null) {
            List<AccuracyEstimator.Fitted> fitted = standardEstimators(map).stream()
                    .map(e -> e.fit(validation, validationLabels)).toList();
            check = EstimatorCheck.run(fitted, sets.stream().map(ShiftSet::outputs).toList());
        }
        return new ShiftSection(sweeps, check, examples, validation == null || map == null ? null : eceCheck(sets, map, sweeps));
    }

    /**
     * The label-free ECE estimate (the model's confidence against {@code map}'s probabilities of
     * the predicted classes) on every set, against the ECE its labels give the model's own
     * probabilities there (the sweep point's uncalibrated ECE, same bins).
     */
    static ShiftSection.EceCheck eceCheck(List<ShiftSet> sets, CalibrationMap map, SweepResult sweeps) {
        List<ShiftSection.EceCheck.Row> rows = new ArrayList<>();
        double sum = 0;
        double worst = -1;
        String worstSet = "";
        for (int i = 0; i < sets.size(); i++) {
            Logits z = sets.get(i).outputs().logits();
            double est = org.calibkit.calibration.shift.CalibrationEstimate.ece(z.softmax(), map.apply(z), sweeps.bins());
            SweepResult.PointResult p = sweeps.points().get(i);
            ShiftSection.EceCheck.Row row = new ShiftSection.EceCheck.Row(p.point(), est, p.before().ece());
            rows.add(row);
            sum += row.absoluteError();
            if (row.absoluteError() > worst) {
                worst = row.absoluteError();
                worstSet = p.point();
            }
        }
        double mae = rows.isEmpty() ? Double.NaN : sum / rows.size();
        String sentence = rows.isEmpty() ? "" : String.format(java.util.Locale.ROOT, "Without labels, the ECE that %s "
                + "implies (the model's confidence against the map's probabilities of its predictions) is within %.1f "
                + "points of the true ECE on average over %d shifted sets (worst %.1f, on %s): an estimate, only as good as "
                + "the map, which was fitted on clean data.", map.describe(), 100 * mae, rows.size(), 100 * worst, worstSet);
        return new ShiftSection.EceCheck(rows, mae, worst, worstSet, sentence);
    }

    /** {@link #predict} then {@link #evaluate}. */
    public static SweepResult run(LogitSource model, ImageSet clean, CalibrationMap map, List<Sweep> sweeps,
                                  SweepOptions options) {
        return evaluate(sweeps, predict(model, clean, sweeps, options, line -> { }), map, options);
    }

    /**
     * The five metrics of {@code p}. The mean confidence is accuracy plus the signed ECE
     * (mean confidence minus accuracy), both from {@link Metrics}.
     */
    static SweepResult.Metrics metrics(Predictions p, int bins) {
        double accuracy = Metrics.byKey("accuracy").compute(p, bins);
        return new SweepResult.Metrics(accuracy, accuracy + Metrics.byKey("signed_ece").compute(p, bins),
                Metrics.byKey("ece").compute(p, bins), Metrics.byKey("nll").compute(p, bins),
                Metrics.byKey("brier").compute(p, bins));
    }
}
