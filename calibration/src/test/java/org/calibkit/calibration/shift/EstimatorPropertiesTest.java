package org.calibkit.calibration.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of the estimators: accumulators merge exactly, identities on the validation set, coverage of AC's interval. */
class EstimatorPropertiesTest {
    static List<AccuracyEstimator> estimators;

    @BeforeAll
    static void load() throws Exception {
        EstimatorReferenceTest.load();
        TemperatureMap t = TemperatureMap.of(4, 1.5);
        estimators = List.of(AverageConfidence.raw(), AverageConfidence.calibrated(t),
                ThresholdedConfidence.of(ThresholdedConfidence.Score.MAX_CONFIDENCE),
                ThresholdedConfidence.calibrated(ThresholdedConfidence.Score.NEGATIVE_ENTROPY, t),
                DifferenceOfConfidences.raw(), DifferenceOfConfidences.calibrated(t), ConfusionEstimator.raw(),
                ConfusionEstimator.calibrated(t));
    }

    /**
     * Probabilities handed in with the chunk (what the monitor computes once per window) give the
     * same sums as the accumulator computing them itself: bit for bit for the estimator's own map,
     * for an equal map read back from its JSON, and (ignored) for another map or none.
     */
    @Test
    void handedInProbabilitiesGiveWhatTheAccumulatorComputes() {
        Logits z = EstimatorReferenceTest.sets.get("shift-a").logits();
        TemperatureMap t = TemperatureMap.of(4, 1.5);
        TemperatureMap copy = (TemperatureMap) org.calibkit.calibration.calibrators.CalibrationMaps.fromJson(t.toJson());
        TemperatureMap other = TemperatureMap.of(4, 0.7);
        for (AccuracyEstimator e : estimators) {
            AccuracyEstimator.Fitted f = EstimatorReferenceTest.fit(e);
            Estimate own = f.accumulator().add(z).result();
            for (TemperatureMap m : List.of(t, copy, other)) {
                Estimate handed = f.accumulator().add(z, m, m.apply(z)).result();
                assertEquals(own.accuracy(), handed.accuracy(), 0.0, e.name() + " with T=" + m.temperature());
                assertEquals(own.lower(), handed.lower(), 0.0, e.name());
                assertEquals(own.upper(), handed.upper(), 0.0, e.name());
            }
        }
        // and the shortcut is taken: probabilities that are not the map's change a map-using estimate
        AccuracyEstimator.Fitted ac = EstimatorReferenceTest.fit(AverageConfidence.calibrated(t));
        double[] flat = new double[z.n() * z.k()];
        java.util.Arrays.fill(flat, 1.0 / z.k());
        org.calibkit.calibration.Probabilities uniform = org.calibkit.calibration.Probabilities.of(flat, z.n(), z.k(), true);
        assertEquals(0.25, ac.accumulator().add(z, t, uniform).result().accuracy(), 1e-12,
                "AC over T=1.5 handed uniform rows averages their top probability 1/4");
        assertEquals(ac.accumulator().add(z).result().accuracy(), ac.accumulator().add(z, other, uniform).result()
                .accuracy(), 0.0, "another map's probabilities are ignored");
    }

    @Test
    void accumulatorsOfChunksMergeToTheWholeEstimate() {
        LabelledLogits target = EstimatorReferenceTest.sets.get("shift-a");
        Logits z = target.logits();
        int[] first = new int[70];
        int[] rest = new int[z.n() - 70];
        for (int i = 0; i < z.n(); i++) {
            if (i < 70) {
                first[i] = i;
            } else {
                rest[i - 70] = i;
            }
        }
        for (AccuracyEstimator e : estimators) {
            AccuracyEstimator.Fitted f = EstimatorReferenceTest.fit(e);
            AccuracyEstimator.Accumulator a = f.accumulator().add(z.select(first));
            AccuracyEstimator.Accumulator b = f.accumulator().add(z.select(rest));
            Estimate merged = a.merge(b).result();
            assertEquals(z.n(), merged.n(), e.name());
            assertEquals(f.estimate(z).accuracy(), merged.accuracy(), 1e-12, e.name());
            Estimate once = f.accumulator().add(z).result();
            assertEquals(once.lower(), merged.lower(), 1e-12, e.name() + ": merging = adding in one go");
            assertEquals(once.upper(), merged.upper(), 1e-12, e.name() + ": merging = adding in one go");
            AccuracyEstimator.Fitted other = EstimatorReferenceTest.fit(e);
            assertThrows(IllegalArgumentException.class, () -> f.accumulator().merge(other.accumulator()),
                    e.name() + ": another fit's accumulator must not merge");
            assertThrows(IllegalStateException.class, () -> f.accumulator().result(), e.name() + ": empty");
        }
    }

    @Test
    void fittedEstimatorsRoundTripThroughTheirJson() {
        Logits z = EstimatorReferenceTest.sets.get("shift-b").logits();
        for (AccuracyEstimator e : estimators) {
            AccuracyEstimator.Fitted f = EstimatorReferenceTest.fit(e);
            AccuracyEstimator.Fitted back = FittedEstimators.fromJson(f.toJson());
            assertEquals(f.name(), back.name());
            assertEquals(f.estimate(z), back.estimate(z), e.name() + ": the same estimate after a round trip");
            assertEquals(f.toJson(), back.toJson());
            assertTrue(f.toJson().startsWith("{\"format\":\"calibkit-accuracy-estimator\",\"version\":1,"), f.toJson());
        }
        String atc = EstimatorReferenceTest.fit(ThresholdedConfidence.of(ThresholdedConfidence.Score.MAX_CONFIDENCE)).toJson();
        for (String bad : List.of(atc.replace("\"version\":1", "\"version\":2"), atc.replace("calibkit-accuracy-estimator", "x"),
                atc.replace("\"atc\"", "\"magic\""), atc.replace("\"threshold\"", "\"t\""), atc.replace("MAX_CONFIDENCE", "MAX"),
                "{", "[]")) {
            assertThrows(IllegalArgumentException.class, () -> FittedEstimators.fromJson(bad), bad);
        }
    }

    @Test
    void onTheValidationSetItselfAtcAndDocGiveItsAccuracy() {
        LabelledLogits v = EstimatorReferenceTest.validation();
        double acc = CalibrationMetrics.accuracy(v.logits(), v.labels());
        AccuracyEstimator.Fitted doc = EstimatorReferenceTest.fit(DifferenceOfConfidences.raw());
        assertEquals(acc, doc.estimate(v.logits()).accuracy(), 1e-12);
        AccuracyEstimator.Fitted atc = EstimatorReferenceTest.fit(ThresholdedConfidence.of(ThresholdedConfidence.Score.MAX_CONFIDENCE));
        assertEquals(acc, atc.estimate(v.logits()).accuracy(), 1.0 / v.labels().length + 1e-12);
    }

    @Test
    void acIsUnbiasedAndItsIntervalCoversWhenTheModelIsCalibrated() {
        // labels drawn from the softmax itself: calibrated by construction
        SplittableRandom r = new SplittableRandom(17);
        AccuracyEstimator.Fitted ac = EstimatorReferenceTest.fit(AverageConfidence.raw());
        int covered = 0;
        int trials = 200;
        double bias = 0;
        for (int t = 0; t < trials; t++) {
            double[][] z = new double[120][4];
            int[] y = new int[120];
            for (int i = 0; i < z.length; i++) {
                for (int k = 0; k < 4; k++) {
                    z[i][k] = 1.5 * r.nextGaussian();
                }
                double[] p = org.calibkit.calibration.Softmax.softmax(z[i]);
                double u = r.nextDouble();
                int k = 0;
                while (k < 3 && u > p[k]) {
                    u -= p[k];
                    k++;
                }
                y[i] = k;
            }
            Logits zl = Logits.of(z);
            Estimate e = ac.estimate(zl);
            double truth = CalibrationMetrics.accuracy(zl, y);
            bias += e.accuracy() - truth;
            if (e.lower() <= truth && truth <= e.upper()) {
                covered++;
            }
        }
        // a 95% interval: 200 trials cover 190 on average, 181 or more with probability ~0.99
        assertTrue(covered >= 181, "covered " + covered + " of " + trials);
        assertEquals(0, bias / trials, 0.01, "mean error of AC on calibrated data");
    }

    @Test
    void poissonBinomialQuantilesOfEqualTrialsAreBinomialOnes() {
        // Binomial(10, 0.5): P(K <= 1) = 0.0107, P(K <= 2) = 0.0547, P(K <= 7) = 0.9453, P(K <= 8) = 0.9893
        double[] p = new double[10];
        java.util.Arrays.fill(p, 0.5);
        int[] q = AverageConfidence.poissonBinomialQuantiles(p, 0.025, 0.975);
        assertEquals(2, q[0]);
        assertEquals(8, q[1]);
    }

    @Test
    void badInputIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AverageConfidence.raw().fit(Logits.of(new double[][] {{1, 2}}), new int[] {2}));
        assertTrue(e.getMessage().contains("validation labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AverageConfidence.raw().withAlpha(1.0));
        AccuracyEstimator.Fitted f = ConfusionEstimator.raw().fit(Logits.of(new double[][] {{1, 2}}), new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> f.estimate(Logits.of(new double[][] {{1, 2, 3}})));
    }
}
