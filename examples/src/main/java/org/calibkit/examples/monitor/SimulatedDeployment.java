package org.calibkit.examples.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.core.corrupt.Shifts;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;

/**
 * A simulated deployment for {@code calibkit monitor}: a saved MNIST model meets a stream that
 * drifts, in stages of 1,000 images each, from clean test digits (2 stages) through rotations of
 * 30 and 60 degrees and MNIST-C fog and zigzag at severity 4 to notMNIST letters. Writes, into
 * the output directory: {@code reference.npy} and {@code reference-labels.npy} (the model's
 * logits on the validation split), {@code log.npy} (the logits on the stream, in order) and
 * {@code log-labels.npy} (digit labels; the letters get none of the model's classes, so that
 * stage is written as label 0 and the realised accuracy there measures nothing: monitor the
 * letters without labels). Run: {@code SimulatedDeployment MODEL.ckb OUT_DIR}.
 */
public final class SimulatedDeployment {
    /** Images per stage. */
    static final int STAGE = 1000;

    private SimulatedDeployment() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path out = Path.of(args.length > 1 ? args[1] : "example-output/monitor");
        Files.createDirectories(out);
        ImageSet validation = DataCatalog.load("mnist", "validation", null);
        ImageSet test = DataCatalog.load("mnist", "test", null);
        ImageSet letters = DataCatalog.load("notmnist", "test", null).limit(STAGE);
        try (ModelBundle m = ModelBundle.load(model)) {
            Logits zv = m.logits(validation);
            PredictionFiles.writeNpy(out.resolve("reference.npy"), zv);
            PredictionFiles.writeNpy(out.resolve("reference-labels.npy"), validation.labels());
            List<ImageSet> stages = new ArrayList<>();
            stages.add(test.slice(0, STAGE, "clean-1"));
            stages.add(test.slice(STAGE, 2 * STAGE, "clean-2"));
            stages.add(Shifts.rotate(test.slice(2 * STAGE, 3 * STAGE, "rotated-30"), 30));
            stages.add(Shifts.rotate(test.slice(3 * STAGE, 4 * STAGE, "rotated-60"), 60));
            stages.add(Corruptions.byKey("mnist-c/fog").orElseThrow().apply(test.slice(4 * STAGE, 5 * STAGE, "fog"), 4, 1L));
            stages.add(Corruptions.byKey("mnist-c/zigzag").orElseThrow().apply(test.slice(5 * STAGE, 6 * STAGE, "zigzag"), 4, 1L));
            List<double[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (ImageSet s : stages) {
                add(m.logits(s), s.labels(), rows, labels);
                System.out.println("stage " + s.origin().split() + ": " + s.size() + " images");
            }
            // the letters are none of the model's classes: their pixels are on MNIST's scale (0..255)
            add(m.withoutRangeCheck().logits(letters), new int[letters.size()], rows, labels);
            System.out.println("stage notmnist: " + letters.size() + " letters");
            int k = zv.k();
            double[] flat = new double[rows.size() * k];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, flat, i * k, k);
            }
            PredictionFiles.writeNpy(out.resolve("log.npy"), flat, rows.size(), k);
            PredictionFiles.writeNpy(out.resolve("log-labels.npy"), labels.stream().mapToInt(Integer::intValue).toArray());
            System.out.println("wrote " + out.resolve("log.npy") + ": " + rows.size() + " rows in 7 stages of " + STAGE);
        }
    }

    private static void add(Logits z, int[] y, List<double[]> rows, List<Integer> labels) {
        double[] raw = z.raw();
        for (int i = 0; i < z.n(); i++) {
            double[] r = new double[z.k()];
            System.arraycopy(raw, i * z.k(), r, 0, z.k());
            rows.add(r);
            labels.add(y[i]);
        }
    }
}
