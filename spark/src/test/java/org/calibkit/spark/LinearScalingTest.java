package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.LinearCalibrator;
import org.calibkit.calibration.calibrators.LinearMap;
import org.calibkit.calibration.calibrators.MatrixScaling;
import org.calibkit.calibration.calibrators.VectorScaling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vector and matrix scaling fitted on Spark by distributed Newton passes reach the optimum of
 * calibration's single-machine L-BFGS fit (itself tested against scikit-learn-style references
 * in calibration/): the reference is that fit run to a gradient of 1e-10 (instead of its default
 * 1e-6) on the same in-memory logits, so both sit at the optimum to far below the asserted
 * tolerances. Compared where the two cannot differ by a choice of representative: the
 * calibrated probabilities of every row and the NLL after the fit.
 */
class LinearScalingTest {
    @org.junit.jupiter.api.io.TempDir
    static Path dir;
    static SyntheticLog log;
    static String path;

    @BeforeAll
    static void write() {
        log = new SyntheticLog(3000, 5, 20261207L);
        path = dir.resolve("log").toString();
        log.write(TestSpark.get(), path, 3, true);
    }

    @ParameterizedTest
    @CsvSource({"true, 0, 0, 7", "false, 0.001, 0.001, 1", "false, 0, 0, 2"})
    void theDistributedFitReachesTheSingleMachineOptimum(boolean diagonal, double lambda, double mu, int partitions) {
        Logits z = Logits.of(log.logits, log.n, log.k);
        LinearCalibrator reference = diagonal ? new VectorScaling(lambda, mu, 1e-10, 20000, false)
                : new MatrixScaling(lambda, mu, 1e-10, 20000, false);
        LinearMap one = reference.fit(z, log.labels);
        double[] p1 = one.apply(z).raw();

        DistributedLinearScaling.Fit f = DistributedLinearScaling.fit(
                SparkPredictionLog.read(TestSpark.get(), path, PredictionLogSchema.defaults()).repartition(partitions),
                diagonal, lambda, mu);
        assertTrue(f.converged(), "gradient " + f.gradientNorm());
        assertTrue(f.passes() <= 40, "Newton needs few passes, took " + f.passes());
        assertEquals(one.nllBefore(), f.nllBefore(), 1e-12 * one.nllBefore());
        assertEquals(one.nllAfter(), f.nllAfter(), 1e-10 * one.nllAfter());
        double worst = 0;
        for (int i = 0; i < log.n; i++) {
            double[] u = f.calibratedLogits(Arrays.copyOfRange(log.logits, i * log.k, (i + 1) * log.k));
            double[] p = Logits.of(u, 1, log.k).softmax().raw();
            for (int j = 0; j < log.k; j++) {
                worst = Math.max(worst, Math.abs(p[j] - p1[i * log.k + j]));
            }
        }
        assertTrue(worst < 1e-7, "largest difference of a calibrated probability: " + worst);
        if (diagonal) {
            for (int r = 0; r < log.k; r++) {
                for (int c = 0; c < log.k; c++) {
                    if (r != c) {
                        assertEquals(0.0, f.weights()[r * log.k + c], 0.0);
                    }
                }
            }
        }
        // the bias is reported with mean zero, as on one machine
        assertEquals(0.0, Arrays.stream(f.bias()).sum(), 1e-12);
    }
}
