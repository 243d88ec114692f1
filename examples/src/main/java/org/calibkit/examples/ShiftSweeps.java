package org.calibkit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.shift.AccuracyEstimator;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.calibration.shift.LabelledLogits;
import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.core.corrupt.Gallery;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.CnnTrainer;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.shift.Sweep;
import org.calibkit.report.shift.SweepOptions;
import org.calibkit.report.shift.SweepResult;
import org.calibkit.report.shift.Sweeps;

/**
 * An MNIST model under shift: rotation 0-180 degrees, translation 0-14 pixels and the 15 MNIST-C
 * corruptions at 5 severities ({@link Sweeps}), accuracy, confidence and calibration before and
 * after temperature scaling fitted on the clean validation split; then every label-free accuracy
 * estimator fitted on that split, checked against the true accuracy of every sweep point
 * ({@link EstimatorCheck}). Writes {@code mnist-c-grid.png} (one test digit, every corruption and
 * severity). Run: {@code java -cp ... org.calibkit.examples.ShiftSweeps [--cnn-epochs N | MODEL.ckb]}
 * (default: a softmax regression; {@code --cnn-epochs} trains the tutorial CNN).
 */
public final class ShiftSweeps extends NamedExample<ShiftSweeps.Result> {
    /** The sweeps and the check of the estimators. */
    public record Result(SweepResult sweeps, EstimatorCheck.Result check) {
    }

    private final Path bundle;
    private final int cnnEpochs;

    /** A softmax regression trained on the setup's training images. */
    public ShiftSweeps() {
        this(null, 0);
    }

    /** A saved bundle ({@code bundle} not null), or a CNN trained for {@code cnnEpochs} epochs (> 0), or a softmax regression. */
    public ShiftSweeps(Path bundle, int cnnEpochs) {
        super("shift-sweeps",
                "rotation, translation and MNIST-C sweeps; label-free accuracy estimates checked against the truth");
        this.bundle = bundle;
        this.cnnEpochs = cnnEpochs;
    }

    @Override
    public Result run(Setup setup) {
        PrintStream out = setup.out();
        ImageSet validation = DataCatalog.load("mnist", "validation", setup.dataDir());
        ImageSet test = DataCatalog.load("mnist", "test", setup.dataDir()).limit(setup.probeSize());
        try (ModelBundle model = model(setup, validation)) {
            long t0 = System.nanoTime();
            Logits zv = model.logits(validation);
            int[] yv = validation.labels();
            CalibrationMap map = new TemperatureScaling().fit(zv, yv);
            out.println("calibration fitted on " + validation.size() + " clean validation images: " + map.describe());
            List<Sweep> sweeps = Sweeps.standard(Corruptions.family("mnist-c"));
            SweepOptions options = SweepOptions.defaults();
            List<LabelledLogits> predicted = Sweeps.predict(model, test, sweeps, options, line -> { });
            SweepResult result = Sweeps.evaluate(sweeps, predicted, map, options);
            out.printf(Locale.ROOT, "%d sweep points of %d test images in %.1f s%n", predicted.size(), test.size(),
                    (System.nanoTime() - t0) / 1e9);
            printSweeps(result, out);

            List<AccuracyEstimator> estimators = Sweeps.standardEstimators(map);
            List<AccuracyEstimator.Fitted> fitted = estimators.stream().map(e -> e.fit(zv, yv)).toList();
            EstimatorCheck.Result check = EstimatorCheck.run(fitted, predicted);
            out.println();
            out.println("label-free accuracy estimates against the truth, over every sweep point:");
            out.printf("  %-26s %8s %8s  %s%n", "estimator", "MAE", "worst", "worst at");
            for (EstimatorCheck.Summary s : check.summaries()) {
                out.printf(Locale.ROOT, "  %-26s %8.4f %8.4f  %s%n", s.estimator(), s.mae(), s.worst(), s.worstSet());
            }
            out.println(check.sentence());
            writeGrid(test, setup.outDir(), out);
            return new Result(result, check);
        }
    }

    private ModelBundle model(Setup setup, ImageSet validation) {
        if (bundle != null) {
            return ModelBundle.load(bundle);
        }
        ImageSet train = DataCatalog.load("mnist", "train", setup.dataDir()).limit(setup.trainImages());
        if (cnnEpochs > 0) {
            return new CnnTrainer(org.calibkit.core.train.CnnOptions.defaults().withEpochs(cnnEpochs).withSeed(1))
                    .train(train, validation, setup.out()::println);
        }
        return LogisticTrainer.defaults(1).train(train, validation, setup.out()::println);
    }

    /** Per point: accuracy, mean confidence, ECE and NLL before and after; then ECE per severity over the corruptions. */
    static void printSweeps(SweepResult r, PrintStream out) {
        out.printf("%-28s %6s %6s %13s %15s %15s%n", "point", "acc", "conf", "conf (T)", "ECE -> ECE(T)", "NLL -> NLL(T)");
        for (SweepResult.PointResult p : r.points()) {
            if (p.unit().equals("severity") && p.intensity() != 3) {
                continue;
            }
            out.printf(Locale.ROOT, "%-28s %6.3f %6.3f %13.3f %7.3f->%.3f %7.3f->%.3f%n", p.point(), p.before().accuracy(),
                    p.before().meanConfidence(), p.after().meanConfidence(), p.before().ece(), p.after().ece(),
                    p.before().nll(), p.after().nll());
        }
        out.println("(corruptions shown at severity 3, MNIST-C's own setting)");
        out.println("ECE over the 15 corruptions per severity (min / median / max), before -> after temperature scaling:");
        for (int s = 1; s <= 5; s++) {
            List<Double> before = new ArrayList<>();
            List<Double> after = new ArrayList<>();
            List<Double> acc = new ArrayList<>();
            for (SweepResult.PointResult p : r.points()) {
                if (p.unit().equals("severity") && p.intensity() == s) {
                    before.add(p.before().ece());
                    after.add(p.after().ece());
                    acc.add(p.before().accuracy());
                }
            }
            out.printf(Locale.ROOT, "  severity %d: accuracy %s, ECE %s -> %s%n", s, spread(acc), spread(before), spread(after));
        }
    }

    private static String spread(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.3f/%.3f/%.3f", a[0], median, a[a.length - 1]);
    }

    private static void writeGrid(ImageSet test, Path outDir, PrintStream out) {
        try {
            Files.createDirectories(outDir);
            Path png = outDir.resolve("mnist-c-grid.png");
            ImageIO.write(Gallery.grid(test, 0, Corruptions.family("mnist-c"), 0L, 3), "png", png.toFile());
            out.println("wrote " + png + " (test image 0: clean, then severities 1-5, one row per corruption)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [--cnn-epochs N | MODEL.ckb]}, full size, into {@code example-output/shift-sweeps/}. */
    public static void main(String[] args) {
        Path b = null;
        int epochs = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cnn-epochs") && i + 1 < args.length) {
                epochs = Integer.parseInt(args[++i]);
            } else {
                b = Path.of(args[i]);
            }
        }
        Example<Result> e = new ShiftSweeps(b, epochs);
        System.out.println("== " + e.name() + ": " + e.description() + " " + Arrays.toString(args));
        e.run(Setup.full(Path.of("example-output", e.name())));
    }
}
