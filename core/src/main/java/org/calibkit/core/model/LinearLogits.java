package org.calibkit.core.model;

import java.util.List;

import org.calibkit.core.CalibkitException;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * Logits of a Tribuo {@link LinearSGDModel}: {@code W x + b} read from its weight matrix
 * (rows = Tribuo output ids, columns = feature ids, last column = bias), reordered to class
 * order and pixel order once, so a batch needs no Tribuo {@code Example} objects. This is the
 * value Tribuo itself normalises with its softmax in {@code predict}.
 */
final class LinearLogits implements LogitEngine {
    private final double[][] weights; // [class][pixel]
    private final double[] bias;

    LinearLogits(LinearSGDModel model, List<String> classNames, Preprocessing prep) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        DenseMatrix w = model.getWeightsCopy();
        int f = features.size();
        if (w.getDimension2Size() != f + 1) {
            throw new CalibkitException("logistic model weights have " + w.getDimension2Size()
                    + " columns, expected " + (f + 1) + " (features + bias)");
        }
        int k = classNames.size();
        int p = prep.inputSize();
        weights = new double[k][p];
        bias = new double[k];
        int[] featureId = new int[p];
        for (int j = 0; j < p; j++) {
            featureId[j] = features.getID(prep.featureName(j));
        }
        for (int c = 0; c < k; c++) {
            int row = outputs.getID(new Label(classNames.get(c)));
            if (row < 0) {
                continue; // class never seen in training: weight 0, logit 0
            }
            for (int j = 0; j < p; j++) {
                if (featureId[j] >= 0) {
                    weights[c][j] = w.get(row, featureId[j]);
                }
            }
            bias[c] = w.get(row, f);
        }
    }

    @Override
    public double[][] logits(float[] inputs, int n) {
        int k = bias.length;
        int p = weights.length == 0 ? 0 : weights[0].length;
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            int base = i * p;
            for (int c = 0; c < k; c++) {
                double[] wc = weights[c];
                double s = bias[c];
                for (int j = 0; j < p; j++) {
                    s += wc[j] * inputs[base + j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    @Override
    public void close() {
    }
}
