package org.calibkit.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.Predictions;
import org.junit.jupiter.api.Test;

/**
 * The calibration module is usable on its own: this module's test class path is exactly what a
 * user gets from depending on {@code calibkit-calibration}, and it holds neither Tribuo nor
 * TensorFlow nor calibkit-core. The common calls of the README run here.
 */
class StandaloneTest {
    @Test
    void noTribuoTensorFlowOrCoreOnTheClassPath() {
        for (String cls : new String[] {"org.tribuo.Model", "org.tensorflow.Graph", "org.calibkit.core.ImageSet",
            "ai.onnxruntime.OrtEnvironment"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(cls), cls + " must not be needed");
        }
    }

    @Test
    void theReadmeCallsWorkOnPlainArrays() {
        // a synthetic model whose logits are 2x too sharp: the fitted T must come out near 2
        java.util.Random rnd = new java.util.Random(3);
        int n = 4000;
        int k = 5;
        double[][] z = new double[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double[] p = new double[k];
            for (int j = 0; j < k; j++) {
                z[i][j] = rnd.nextGaussian() * 2;
            }
            // labels drawn from softmax(z / 2): the calibrated distribution is at T = 2
            double m = java.util.Arrays.stream(z[i]).max().orElseThrow();
            double s = 0;
            for (int j = 0; j < k; j++) {
                p[j] = Math.exp((z[i][j] - m) / 2);
                s += p[j];
            }
            double u = rnd.nextDouble() * s;
            int c = 0;
            while (c < k - 1 && (u -= p[c]) > 0) {
                c++;
            }
            y[i] = c;
        }
        Logits logits = Logits.of(z);
        TemperatureMap t = new TemperatureScaling().fit(logits, y);
        assertEquals(2.0, t.temperature(), 0.2);
        Bootstrap.Interval ece = new Bootstrap(1, 200, 0.95, 1).ece(logits, y, 15);
        // the estimate is the metric itself on all rows; resampling makes a proper interval
        assertEquals(CalibrationMetrics.ece(logits, y, 15), ece.estimate(), 0);
        assertTrue(ece.lower() < ece.upper(), ece::toString);
        double after = CalibrationMetrics.ece(logits.divide(t.temperature()), y, 15);
        assertTrue(after < ece.estimate(), after + " vs " + ece.estimate());
        assertEquals(n, Predictions.of(logits, y).n());
    }
}
