package org.calibkit.calibration.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every metric of {@link Metrics#ALL} for one set of predictions, as plain data. Built by
 * {@link Metrics#summary} (or {@link CalibrationMetrics#summary}); the accessors below are
 * lookups by key, the list of metrics lives only in {@link Metrics}.
 *
 * @param n      number of rows
 * @param values metric key -> value, in the order of {@link Metrics#ALL}
 */
public record MetricSummary(int n, Map<String, Double> values) {

    /** Keys of {@link #toMap()} in order: {@code n}, then every metric key. */
    public static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>();
        keys.add("n");
        keys.addAll(Metrics.keys());
        KEYS = List.copyOf(keys);
    }

    public MetricSummary {
        Objects.requireNonNull(values, "values");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of metric {@code key}.
     *
     * @throws IllegalArgumentException for a key that is not in this summary
     */
    public double get(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Unknown metric '" + key + "'; known: " + values.keySet());
        }
        return v;
    }

    public double accuracy() { return get("accuracy"); }
    public double nll() { return get("nll"); }
    public double brier() { return get("brier"); }
    public double ece() { return get("ece"); }
    public double mce() { return get("mce"); }
    public double signedEce() { return get("signed_ece"); }
    public double eceEqualMass() { return get("ece_equal_mass"); }
    public double classwiseEce() { return get("classwise_ece"); }
    public double ace() { return get("ace"); }
    public double debiasedEce() { return get("debiased_ece"); }
    public double smoothEce() { return get("smooth_ece"); }

    /** An insertion-ordered map with the {@link #KEYS} ({@code n} as an Integer, the rest Doubles). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.putAll(values);
        return m;
    }
}
