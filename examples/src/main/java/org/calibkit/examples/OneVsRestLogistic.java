package org.calibkit.examples;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;

/**
 * Your own model as a {@link LogitSource}: K independent logistic regressions (one class against
 * the rest), trained here by plain stochastic gradient descent on the binary cross-entropy, read
 * through a {@link Head#SIGMOID sigmoid head}, so each class gets its own probability and a row
 * need not sum to 1. Anything that turns images into logits can be audited the same way.
 *
 * <p>Immutable: {@link #train} returns the fitted weights. Pixels are standardised as calibkit's
 * own models do ({@link Preprocessing#standardizedFrom}), and the audit learns that from
 * {@link #inputPreprocessing()}, so it can check the input range and run the unscaled probe.
 */
public final class OneVsRestLogistic implements LogitSource {
    private final List<String> classNames;
    private final Preprocessing prep;
    private final double[][] weights; // [class][feature]
    private final double[] bias;

    private OneVsRestLogistic(List<String> classNames, Preprocessing prep, double[][] weights, double[] bias) {
        this.classNames = List.copyOf(classNames);
        this.prep = prep;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * Trains on {@code train}: {@code epochs} shuffled passes, one image per step, a normalised
     * step {@code 0.5 / (1 + |x|^2)} (stable whatever the image's norm).
     */
    public static OneVsRestLogistic train(ImageSet train, int epochs, long seed) {
        Preprocessing prep = Preprocessing.standardizedFrom(train);
        float[] x = prep.apply(train);
        int n = train.size();
        int p = prep.inputSize();
        int k = train.numClasses();
        double[][] w = new double[k][p];
        double[] b = new double[k];
        int[] y = train.labels();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i : order) {
                int off = i * p;
                double norm = 1;
                for (int f = 0; f < p; f++) {
                    norm += x[off + f] * x[off + f];
                }
                double step = 0.5 / norm;
                for (int c = 0; c < k; c++) {
                    double z = b[c];
                    double[] wc = w[c];
                    for (int f = 0; f < p; f++) {
                        z += wc[f] * x[off + f];
                    }
                    // gradient of the binary cross-entropy of sigmoid(z) against [y == c]
                    double g = (1 / (1 + Math.exp(-z)) - (y[i] == c ? 1 : 0)) * step;
                    for (int f = 0; f < p; f++) {
                        wc[f] -= g * x[off + f];
                    }
                    b[c] -= g;
                }
            }
        }
        return new OneVsRestLogistic(train.classNames(), prep, w, b);
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Head head() {
        return Head.SIGMOID;
    }

    @Override
    public Logits logits(ImageSet images) {
        float[] x = prep.apply(images); // checks the shape
        int n = images.size();
        int p = prep.inputSize();
        int k = bias.length;
        double[] z = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = bias[c];
                for (int f = 0; f < p; f++) {
                    s += weights[c][f] * x[i * p + f];
                }
                z[i * k + c] = s;
            }
        }
        return Logits.of(z, n, k);
    }

    @Override
    public Optional<Preprocessing> inputPreprocessing() {
        return Optional.of(prep);
    }

    @Override
    public String toString() {
        return "OneVsRestLogistic(" + classNames.size() + " classes, " + prep.inputSize() + " features)";
    }
}
