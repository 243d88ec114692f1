package org.calibkit.report.monitor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationMaps;
import org.calibkit.calibration.shift.FittedEstimators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.ood.OodScores;
import org.calibkit.calibration.shift.AccuracyEstimator;
import org.calibkit.calibration.shift.AverageConfidence;
import org.calibkit.calibration.shift.ThresholdedConfidence;

/**
 * What a monitor compares each window with, fitted on the model's labelled validation outputs:
 * temperature scaling, the label-free accuracy estimator (ATC on negative entropy after the
 * temperature, Garg et al. 2022, which the shift sweeps found the most stable; average confidence
 * after temperature as the second), the unfamiliarity threshold on the top probability, the
 * reference accuracy and predicted-class shares.
 *
 * @param accuracy        the validation accuracy
 * @param n               validation rows
 * @param map             temperature scaling fitted on the validation outputs
 * @param estimators      the fitted estimators, the primary one first
 * @param unfamiliarBelow a row is unfamiliar when its {@code unfamiliarScore} is below this
 * @param classShares     the validation's predicted-class shares, one per class
 * @param unfamiliarScore the OOD score the threshold is on, one of {@link #SCORES}: {@code msp}
 *                        (the calibrated top probability, the default), {@code max_logit},
 *                        {@code energy} or {@code entropy} (negative entropy), each of the
 *                        calibrated logits, higher = more familiar
 */
public record Reference(double accuracy, int n, CalibrationMap map, List<AccuracyEstimator.Fitted> estimators,
                        double unfamiliarBelow, double[] classShares, String unfamiliarScore) {
    /** The OOD scores a reference can set its unfamiliarity threshold on (the audit's probe scores). */
    public static final List<String> SCORES = List.of("msp", "max_logit", "energy", "entropy");

    public Reference {
        Objects.requireNonNull(map, "map");
        estimators = List.copyOf(estimators);
        classShares = classShares.clone();
        if (!SCORES.contains(unfamiliarScore)) {
            throw new IllegalArgumentException("unfamiliar score must be one of " + SCORES + ", but got " + unfamiliarScore);
        }
    }

    /** A reference whose unfamiliarity threshold is on the calibrated top probability. */
    public Reference(double accuracy, int n, CalibrationMap map, List<AccuracyEstimator.Fitted> estimators,
                     double unfamiliarBelow, double[] classShares) {
        this(accuracy, n, map, estimators, unfamiliarBelow, classShares, "msp");
    }

    /**
     * The unfamiliarity score of every row: {@code calibrated} are the rows' probabilities under
     * {@link #map} (the top one is {@code msp}); the others are computed from the calibrated logits.
     */
    public double[] unfamiliarScores(Logits z, org.calibkit.calibration.Probabilities calibrated) {
        return scores(unfamiliarScore, map, z, calibrated);
    }

    private static double[] scores(String score, CalibrationMap map, Logits z, org.calibkit.calibration.Probabilities p) {
        if (score.equals("msp")) {
            return p.maxProbability();
        }
        Logits c = map.outputLogits(z).orElseThrow();
        return switch (score) {
            case "max_logit" -> OodScores.maxLogit(c);
            case "energy" -> OodScores.energy(c);
            default -> OodScores.negativeEntropy(c);
        };
    }

    /** What the score is, for sentences: {@code calibrated top probability}, ... */
    public String describeScore() {
        return switch (unfamiliarScore) {
            case "msp" -> "calibrated top probability";
            case "max_logit" -> "largest calibrated logit";
            case "energy" -> "negative energy of the calibrated logits";
            default -> "negative entropy of the calibrated probabilities";
        };
    }

    /** A copy of the shares. */
    @Override
    public double[] classShares() {
        return classShares.clone();
    }

    /**
     * Fits the reference on validation outputs (logits) and labels.
     *
     * @throws IllegalArgumentException when labels do not fit the logits
     */
    public static Reference fit(Logits validation, int[] labels, MonitorOptions options) {
        return fit(validation, labels, options, null);
    }

    /**
     * Fits the reference with {@code primary} as the estimator whose estimate alerts: the name of
     * one of {@link org.calibkit.report.shift.Sweeps#standardEstimators} over the temperature
     * fitted here ({@code ATC-NE (temperature)}, {@code DoC}, ...), as an audit's sweeps rank them;
     * AC after the temperature stays the second. A name that is none of them (null, or an estimator
     * over another calibration map) gives the default, ATC-NE after the temperature.
     *
     * @throws IllegalArgumentException when labels do not fit the logits
     */
    public static Reference fit(Logits validation, int[] labels, MonitorOptions options, String primary) {
        return fit(validation, labels, options, primary, "msp");
    }

    /**
     * {@link #fit(Logits, int[], MonitorOptions, String)} with the unfamiliarity threshold on
     * {@code unfamiliarScore} (one of {@link #SCORES}; null: {@code msp}), set where
     * {@code options.unfamiliarTpr()} of the validation rows reach it.
     */
    public static Reference fit(Logits validation, int[] labels, MonitorOptions options, String primary,
                                String unfamiliarScore) {
        String score = unfamiliarScore == null ? "msp" : unfamiliarScore;
        CalibrationMap map = new TemperatureScaling().fit(validation, labels);
        AccuracyEstimator first = ThresholdedConfidence.calibrated(ThresholdedConfidence.Score.NEGATIVE_ENTROPY, map);
        AccuracyEstimator second = AverageConfidence.calibrated(map);
        for (AccuracyEstimator e : org.calibkit.report.shift.Sweeps.standardEstimators(map)) {
            if (e.name().equals(primary)) {
                first = e;
            }
        }
        List<AccuracyEstimator.Fitted> estimators = first.name().equals(second.name())
                ? List.of(first.fit(validation, labels))
                : List.of(first.fit(validation, labels), second.fit(validation, labels));
        double[] sorted = scores(score, map, validation, map.apply(validation));
        Arrays.sort(sorted);
        // the largest threshold that at least unfamiliarTpr of the validation rows reach
        double below = sorted[(int) Math.floor((1 - options.unfamiliarTpr()) * sorted.length)];
        int k = validation.k();
        double[] shares = new double[k];
        int[] predicted = validation.argmax();
        int hit = 0;
        for (int i = 0; i < predicted.length; i++) {
            shares[predicted[i]] += 1.0 / predicted.length;
            hit += predicted[i] == labels[i] ? 1 : 0;
        }
        return new Reference((double) hit / labels.length, labels.length, map, estimators, below, shares, score);
    }

    /** The {@code format} of a stored reference (the audit JSON's {@code monitor_reference}). */
    public static final String FORMAT = "calibkit-monitor-reference";
    /** The only version this release writes and reads. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A reference as stored in an audit's JSON, with what the monitor needs besides: the class
     * names, the kind of outputs the log will hold, and the TPR the unfamiliarity threshold was set at.
     */
    public record Stored(Reference reference, List<String> classNames, String outputKind, double unfamiliarTpr) {
        public Stored {
            Objects.requireNonNull(reference, "reference");
            classNames = List.copyOf(classNames);
            Objects.requireNonNull(outputKind, "outputKind");
        }
    }

    /**
     * This reference as versioned JSON (doubles as {@link Double#toString(double)} writes them, so
     * reading it back gives the same numbers): what {@code calibkit audit} writes as
     * {@code monitor_reference} and {@code calibkit monitor --reference} reads.
     */
    public ObjectNode toJson(List<String> classNames, String outputKind, double unfamiliarTpr) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("output_kind", outputKind);
        ArrayNode names = o.putArray("class_names");
        classNames.forEach(names::add);
        o.put("n", n);
        o.put("accuracy", accuracy);
        o.put("unfamiliar_tpr", unfamiliarTpr);
        o.put("unfamiliar_score", unfamiliarScore);
        o.put("unfamiliar_below", unfamiliarBelow);
        ArrayNode shares = o.putArray("class_shares");
        for (double v : classShares) {
            shares.add(v);
        }
        try {
            o.set("map", MAPPER.readTree(map.toJson()));
            ArrayNode est = o.putArray("estimators");
            for (AccuracyEstimator.Fitted f : estimators) {
                est.add(MAPPER.readTree(f.toJson()));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fitted map or estimator wrote JSON it cannot read: " + e.getMessage(), e);
        }
        return o;
    }

    /**
     * Reads a reference written by {@link #toJson}.
     *
     * @param where what the node is, for messages ({@code audit.json's monitor_reference})
     * @throws IllegalArgumentException naming {@code where} and the field for another format or
     *                                  version, a missing or malformed field, or numbers that do not fit
     */
    public static Stored fromJson(JsonNode o, String where) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        if (!FORMAT.equals(o.path("format").asText(null))) {
            throw new IllegalArgumentException(where + " has format " + o.path("format") + ", not \"" + FORMAT + "\"");
        }
        if (!o.path("version").isIntegralNumber() || o.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException(where + " has version " + o.path("version") + ", which this calibkit does "
                    + "not read (it reads " + VERSION + ")");
        }
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode c : array(o, "class_names", where)) {
            names.add(c.asText());
        }
        double[] shares = new double[array(o, "class_shares", where).size()];
        for (int i = 0; i < shares.length; i++) {
            JsonNode v = o.get("class_shares").get(i);
            shares[i] = v.isNumber() ? v.asDouble() : Double.NaN;
            if (!(shares[i] >= 0 && shares[i] <= 1)) {
                throw new IllegalArgumentException(where + " has class share " + v + " at " + i + ", not a number in [0, 1]");
            }
        }
        if (names.size() < 2 || shares.length != names.size()) {
            throw new IllegalArgumentException(where + " has " + names.size() + " class names and " + shares.length
                    + " class shares; expected the same number, at least 2");
        }
        double accuracy = number(o, "accuracy", where, 0, 1);
        double tpr = number(o, "unfamiliar_tpr", where, 0, 1);
        String score = o.path("unfamiliar_score").asText("msp");
        if (!SCORES.contains(score)) {
            throw new IllegalArgumentException(where + " has unfamiliar_score '" + score + "', not one of " + SCORES);
        }
        double below = score.equals("msp") ? number(o, "unfamiliar_below", where, 0, 1)
                : number(o, "unfamiliar_below", where, -Double.MAX_VALUE, Double.MAX_VALUE);
        int n = (int) number(o, "n", where, 1, Integer.MAX_VALUE);
        CalibrationMap map;
        List<AccuracyEstimator.Fitted> estimators = new java.util.ArrayList<>();
        try {
            map = CalibrationMaps.fromJson(o.path("map").toString());
            for (JsonNode e : array(o, "estimators", where)) {
                estimators.add(FittedEstimators.fromJson(e.toString()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (estimators.isEmpty()) {
            throw new IllegalArgumentException(where + " has no estimators");
        }
        if (map.numClasses() != names.size()) {
            throw new IllegalArgumentException(where + ": its map is for " + map.numClasses() + " classes, but it names "
                    + names.size());
        }
        return new Stored(new Reference(accuracy, n, map, estimators, below, shares, score), names,
                o.path("output_kind").asText("logits"), tpr);
    }

    private static JsonNode array(JsonNode o, String field, String where) {
        JsonNode a = o.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException(where + " has no array '" + field + "'");
        }
        return a;
    }

    private static double number(JsonNode o, String field, String where, double min, double max) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw new IllegalArgumentException(where + " needs a number '" + field + "' in [" + min + ", " + max
                    + "], but has " + (v == null ? "none" : v.toString()));
        }
        return v.asDouble();
    }
}
