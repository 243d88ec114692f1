package org.calibkit.calibration.shift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The estimators against values computed independently: {@code estimator_reference.py} (next to
 * the resources; /usr/bin/python3, numpy 2.4) drew the logits of {@code estimator_logits.csv}
 * (300 validation rows, shifted sets of 200 and 150 rows, 4 classes, rounded to 3 decimals) and
 * wrote {@code estimator_reference.txt} from the papers' definitions: the exact Poisson-binomial
 * quantiles by multiplying the trials' polynomials, ATC by the authors' threshold loop, the
 * expected confusion matrix by masks. The calibration map is a fixed temperature of 1.5.
 */
class EstimatorReferenceTest {
    static Map<String, LabelledLogits> sets;
    static Map<String, Double> ref;
    static final CalibrationMap T = TemperatureMap.of(4, 1.5);

    @BeforeAll
    static void load() throws IOException {
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        Map<String, List<Integer>> labels = new HashMap<>();
        try (BufferedReader r = reader("estimator_logits.csv")) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                double[] z = new double[f.length - 2];
                for (int i = 2; i < f.length; i++) {
                    z[i - 2] = Double.parseDouble(f[i]);
                }
                rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(z);
                labels.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[1]));
            }
        }
        sets = new LinkedHashMap<>();
        for (String name : rows.keySet()) {
            sets.put(name, new LabelledLogits(name, Logits.of(rows.get(name).toArray(new double[0][])),
                    labels.get(name).stream().mapToInt(Integer::intValue).toArray()));
        }
        ref = new HashMap<>();
        try (BufferedReader r = reader("estimator_reference.txt")) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] kv = line.split("=");
                ref.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
    }

    private static BufferedReader reader(String name) {
        return new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                EstimatorReferenceTest.class.getResourceAsStream(name), name), StandardCharsets.UTF_8));
    }

    static LabelledLogits validation() {
        return sets.get("validation");
    }

    static <F extends AccuracyEstimator.Fitted> F fit(AccuracyEstimator e) {
        @SuppressWarnings("unchecked")
        F f = (F) e.fit(validation().logits(), validation().labels());
        return f;
    }

    private static double ref(String key) {
        return Objects.requireNonNull(ref.get(key), key);
    }

    @Test
    void averageConfidenceAndItsPoissonBinomialInterval() {
        AccuracyEstimator.Fitted raw = fit(AverageConfidence.raw());
        AccuracyEstimator.Fitted cal = fit(AverageConfidence.calibrated(T));
        for (String s : List.of("shift-a", "shift-b")) {
            Logits z = sets.get(s).logits();
            assertEquals(ref(s + ".ac"), raw.estimate(z).accuracy(), 1e-12, s);
            Estimate e = cal.estimate(z);
            assertEquals(ref(s + ".ac_t"), e.accuracy(), 1e-12, s);
            assertEquals(ref(s + ".ac_t.lower"), e.lower(), 1e-12, s + " exact lower");
            assertEquals(ref(s + ".ac_t.upper"), e.upper(), 1e-12, s + " exact upper");
            Estimate a = cal.accumulator().add(z).result();
            assertEquals(ref(s + ".ac_t"), a.accuracy(), 1e-12, s);
            assertEquals(ref(s + ".ac_t.normal_lower"), a.lower(), 1e-9, s + " normal lower");
            assertEquals(ref(s + ".ac_t.normal_upper"), a.upper(), 1e-9, s + " normal upper");
        }
        assertEquals("AC (temperature)", cal.name());
    }

    @Test
    void thresholdedConfidenceWithBothScores() {
        ThresholdedConfidence.FittedAtc mc = fit(ThresholdedConfidence.of(ThresholdedConfidence.Score.MAX_CONFIDENCE));
        ThresholdedConfidence.FittedAtc ne = fit(ThresholdedConfidence.of(ThresholdedConfidence.Score.NEGATIVE_ENTROPY));
        assertEquals(ref("atc_mc.threshold"), mc.threshold(), 1e-12);
        assertEquals(ref("atc_ne.threshold"), ne.threshold(), 1e-12);
        for (String s : List.of("shift-a", "shift-b")) {
            assertEquals(ref(s + ".atc_mc"), mc.estimate(sets.get(s).logits()).accuracy(), 1e-12, s);
            assertEquals(ref(s + ".atc_ne"), ne.estimate(sets.get(s).logits()).accuracy(), 1e-12, s);
        }
        assertEquals("ATC-NE", ne.name());
    }

    @Test
    void differenceOfConfidences() {
        AccuracyEstimator.Fitted doc = fit(DifferenceOfConfidences.raw());
        for (String s : List.of("shift-a", "shift-b")) {
            assertEquals(ref(s + ".doc"), doc.estimate(sets.get(s).logits()).accuracy(), 1e-12, s);
        }
    }

    @Test
    void expectedConfusionRecallPrecisionAndMacroF1() {
        ConfusionEstimator.FittedCbpe cbpe = fit(ConfusionEstimator.calibrated(T));
        for (String s : List.of("shift-a", "shift-b")) {
            ExpectedConfusion c = cbpe.confusion(sets.get(s).logits());
            double[] recall = new double[4];
            double[] precision = new double[4];
            for (int k = 0; k < 4; k++) {
                recall[k] = ref(s + ".cbpe_t.recall" + k);
                precision[k] = ref(s + ".cbpe_t.precision" + k);
            }
            assertArrayEquals(recall, c.recall(), 1e-12, s);
            assertArrayEquals(precision, c.precision(), 1e-12, s);
            assertEquals(ref(s + ".cbpe_t.macro_f1"), c.macroF1(), 1e-12, s);
            assertEquals(ref(s + ".cbpe_t.accuracy"), cbpe.estimate(sets.get(s).logits()).accuracy(), 1e-12, s);
            // the trace is AC of the same probabilities
            assertEquals(ref(s + ".ac_t"), c.accuracy(), 1e-12, s);
            assertNotSame(c.matrix(), c.matrix());
        }
    }

    @Test
    void checkAgainstTheTruth() {
        AccuracyEstimator.Fitted ac = fit(AverageConfidence.raw());
        AccuracyEstimator.Fitted ne = fit(ThresholdedConfidence.of(ThresholdedConfidence.Score.NEGATIVE_ENTROPY));
        EstimatorCheck.Result r = EstimatorCheck.run(List.of(ne, ac), List.of(sets.get("shift-a"), sets.get("shift-b")));
        assertEquals(4, r.rows().size());
        assertEquals(ref("shift-a.truth"), r.rows().get(0).truth(), 1e-12);
        assertEquals("AC", r.best().estimator(), "the lower MAE comes first");
        assertEquals(ref("check.ac.mae"), r.best().mae(), 1e-12);
        assertEquals(ref("check.ac.worst"), r.best().worst(), 1e-12);
        assertEquals("shift-a", r.best().worstSet());
        assertEquals(ref("check.atc_ne.mae"), r.summaries().get(1).mae(), 1e-12);
        assertEquals(ref("check.atc_ne.worst"), r.summaries().get(1).worst(), 1e-12);
        assertEquals(String.format(java.util.Locale.ROOT, "On 2 shifted sets, AC estimates accuracy within %.1f points on "
                + "average (worst %.1f, on shift-a); next: ATC-NE within %.1f (worst %.1f).", 100 * ref("check.ac.mae"),
                100 * ref("check.ac.worst"), 100 * ref("check.atc_ne.mae"), 100 * ref("check.atc_ne.worst")), r.sentence());
        assertThrows(IllegalArgumentException.class, () -> EstimatorCheck.run(List.of(), List.of(sets.get("shift-a"))));
    }
}
