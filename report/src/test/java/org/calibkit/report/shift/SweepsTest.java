package org.calibkit.report.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.shift.LabelledLogits;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruptions;
import org.calibkit.core.corrupt.Shifts;
import org.calibkit.core.model.LogitSource;
import org.junit.jupiter.api.Test;

/** Sweeps on a small nearest-centroid model of three bar images (horizontal, vertical, diagonal). */
class SweepsTest {
    static final int S = 12;

    /** {@code n} noisy 12 x 12 images of class {@code i % 3}: a horizontal, vertical or diagonal bar. */
    static ImageSet bars(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] px = new float[n * S * S];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            int off = r.nextInt(3) - 1;
            for (int t = 1; t < S - 1; t++) {
                int row = labels[i] == 0 ? S / 2 + off : labels[i] == 1 ? t : t;
                int col = labels[i] == 0 ? t : labels[i] == 1 ? S / 2 + off : t;
                px[i * S * S + row * S + col] = 255f;
            }
            for (int p = 0; p < S * S; p++) {
                px[i * S * S + p] = (float) Math.min(255, px[i * S * S + p] + 60 * r.nextDouble());
            }
        }
        return new ImageSet(px, labels, 1, S, S, List.of("h", "v", "d"), new DataOrigin("bars", "test", "generated", null,
                false));
    }

    /** Logits = minus the squared distance to each class's mean image, over 2000. */
    static LogitSource centroids(ImageSet train) {
        double[][] mean = new double[3][S * S];
        int[] count = new int[3];
        for (int i = 0; i < train.size(); i++) {
            float[] x = train.image(i);
            count[train.label(i)]++;
            for (int p = 0; p < x.length; p++) {
                mean[train.label(i)][p] += x[p];
            }
        }
        for (int k = 0; k < 3; k++) {
            for (int p = 0; p < S * S; p++) {
                mean[k][p] /= count[k];
            }
        }
        return new LogitSource() {
            @Override public List<String> classNames() { return List.of("h", "v", "d"); }
            @Override public Head head() { return Head.SOFTMAX; }
            @Override public Logits logits(ImageSet images) {
                double[][] z = new double[images.size()][3];
                for (int i = 0; i < images.size(); i++) {
                    float[] x = images.image(i);
                    for (int k = 0; k < 3; k++) {
                        double d = 0;
                        for (int p = 0; p < x.length; p++) {
                            d += (x[p] - mean[k][p]) * (x[p] - mean[k][p]);
                        }
                        z[i][k] = -d / 2.0e5;
                    }
                }
                return Logits.of(z);
            }
        };
    }

    @Test
    void everyPointHasTheMetricsOfItsShiftedImagesBeforeAndAfterTheMap() {
        ImageSet train = bars(60, 1);
        ImageSet test = bars(45, 2);
        LogitSource model = centroids(train);
        CalibrationMap map = new TemperatureScaling().fit(model.logits(bars(60, 3)), bars(60, 3).labels());
        List<Sweep> sweeps = List.of(Sweep.rotation().filter(p -> p.intensity() % 45 == 0),
                Sweep.translation().filter(p -> p.intensity() <= 2),
                Sweep.corruption(Corruptions.byKey("mnist-c/impulse_noise").orElseThrow()));
        SweepOptions opts = SweepOptions.defaults().withSeed(4);
        SweepResult r = Sweeps.run(model, test, map, sweeps, opts);
        assertEquals(5 + 3 + 5, r.points().size());
        assertEquals(List.of("rotation/0", "rotation/45", "rotation/90", "rotation/135", "rotation/180"),
                r.sweep("rotation").stream().map(SweepResult.PointResult::point).toList());
        assertEquals(map.describe(), r.calibration());

        // rotation by 90 degrees: the metric functions on the model's logits of the turned images
        Logits z = model.logits(Shifts.rotate(test, 90));
        Predictions raw = Predictions.of(z, test.labels());
        SweepResult.PointResult p90 = r.point("rotation/90");
        assertEquals(CalibrationMetrics.accuracy(z, test.labels()), p90.before().accuracy(), 1e-12);
        assertEquals(CalibrationMetrics.ece(z, test.labels(), 15), p90.before().ece(), 1e-12);
        assertEquals(CalibrationMetrics.nll(z, test.labels()), p90.before().nll(), 1e-12);
        assertEquals(CalibrationMetrics.brier(z, test.labels()), p90.before().brier(), 1e-12);
        double meanConf = java.util.Arrays.stream(z.softmax().maxProbability()).average().orElseThrow();
        assertEquals(meanConf, p90.before().meanConfidence(), 1e-12);
        assertEquals(CalibrationMetrics.ece(map.apply(z), test.labels(), 15), p90.after().ece(), 1e-12);
        assertEquals(Metrics.byKey("accuracy").compute(raw, 15), p90.after().accuracy(), 1e-12,
                "temperature scaling keeps the argmax");

        // the model tells horizontal from vertical bars: turning by 90 degrees swaps them
        assertTrue(r.point("rotation/0").before().accuracy() > 0.9, "clean accuracy");
        assertTrue(p90.before().accuracy() < 0.5, "rotated accuracy " + p90.before().accuracy());
        // rotation by 0 and translation by 0 are the clean set
        assertEquals(r.point("rotation/0").before(), r.point("translation/0").before());
        // a second run gives the same numbers
        assertEquals(r, Sweeps.run(model, test, map, sweeps, opts));
    }

    @Test
    void predictedSetsMustMatchTheSweeps() {
        ImageSet test = bars(9, 2);
        LogitSource model = centroids(bars(30, 1));
        CalibrationMap map = new TemperatureScaling().fit(model.logits(test), test.labels());
        List<Sweep> sweeps = List.of(Sweep.rotation().filter(p -> p.intensity() <= 15));
        List<LabelledLogits> predicted = Sweeps.predict(model, test, sweeps, SweepOptions.defaults(), line -> { });
        assertEquals(2, predicted.size());
        assertThrows(IllegalArgumentException.class, () -> Sweeps.evaluate(sweeps, predicted.subList(0, 1), map,
                SweepOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SweepOptions.defaults().withBins(0));
        assertEquals(13, Sweep.rotation().points().size());
        assertEquals(15, Sweep.translation().points().size());
        assertEquals(2 + 15, Sweeps.standard(Corruptions.family("mnist-c")).size());
    }
}
