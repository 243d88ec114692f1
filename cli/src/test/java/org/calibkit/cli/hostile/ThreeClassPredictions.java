package org.calibkit.cli.hostile;

import java.io.IOException;
import java.nio.file.Path;

import org.calibkit.calibration.io.PredictionFiles;

/**
 * Small saved predictions the hostile tests audit: n rows of 3-class logits, label i % 3, the
 * logit {@code value} on the label's column (on the next class's column every {@code wrongEvery}-th
 * row, 0: never) and 0 elsewhere, written as {@code logits.npy} and {@code labels.npy} (int64).
 *
 * @param logits the n x 3 logits file
 * @param labels the labels file
 * @param y      the labels
 */
record ThreeClassPredictions(Path logits, Path labels, int[] y) {
    static ThreeClassPredictions write(Path dir, int n, int wrongEvery, double value) throws IOException {
        double[] v = new double[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            boolean wrong = wrongEvery > 0 && i % wrongEvery == 0;
            v[i * 3 + (wrong ? (i + 1) % 3 : i % 3)] = value;
        }
        Path logits = dir.resolve("logits.npy");
        Path labels = dir.resolve("labels.npy");
        PredictionFiles.writeNpy(logits, v, n, 3);
        PredictionFiles.writeNpy(labels, y);
        return new ThreeClassPredictions(logits, labels, y);
    }
}
