package org.calibkit.calibration.metrics;

import java.util.Objects;

/**
 * One metric, declared once: its JSON key, a display name, one sentence of meaning, which way
 * is better, and the pure function that computes it from {@link Predictions} and a number of
 * bins (ignored by metrics without bins). Summaries, bootstrap intervals, JSON and the HTML
 * report all iterate {@link Metrics#ALL}, so a new metric is one line there.
 */
public record Metric(String key, String name, String meaning, boolean lowerIsBetter, Function function) {

    /** The computation: a pure function of the predictions and the number of bins. */
    @FunctionalInterface
    public interface Function {
        double compute(Predictions predictions, int bins);
    }

    public Metric {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(function, "function");
    }

    /** The metric of {@code p} with {@code bins} bins. */
    public double compute(Predictions p, int bins) {
        return function.compute(p, bins);
    }
}
