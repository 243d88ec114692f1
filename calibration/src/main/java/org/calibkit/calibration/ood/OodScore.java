package org.calibkit.calibration.ood;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * One out-of-distribution score, declared once: its JSON key, whether it needs logits, and the
 * function of {@link OodScores} that computes it (higher = more in-distribution). Audits, the
 * statistics section, the JSON and the HTML iterate {@link #ALL}, so a new score is one line there.
 *
 * @param key         the JSON key, e.g. {@code max_logit}; {@link #label()} is how pages write it
 * @param needsLogits whether the score is computed from logits (else from the probabilities shown)
 * @param function    the computation
 */
public record OodScore(String key, boolean needsLogits, Function function) {
    /** The computation, from a model's logits (null for scores that do not need them) and probabilities. */
    @FunctionalInterface
    public interface Function {
        double[] compute(Logits logits, Probabilities probabilities);
    }

    /** Maximum probability of the probabilities shown (Hendrycks and Gimpel 2017). */
    public static final OodScore MSP = new OodScore("msp", false, (z, p) -> p.maxProbability());
    /** Maximum logit (Hendrycks et al. 2022). */
    public static final OodScore MAX_LOGIT = new OodScore("max_logit", true, (z, p) -> OodScores.maxLogit(z));
    /** Negative free energy at T = 1 (Liu et al. 2020). */
    public static final OodScore ENERGY = new OodScore("energy", true, (z, p) -> OodScores.energy(z));
    /** Negative entropy of the softmax. */
    public static final OodScore ENTROPY = new OodScore("entropy", true, (z, p) -> OodScores.negativeEntropy(z));

    /** Every score, in report order. */
    public static final List<OodScore> ALL = List.of(MSP, MAX_LOGIT, ENERGY, ENTROPY);
    /** The scores that rank rows as confidences for selective prediction, in report order. */
    public static final List<OodScore> SELECTIVE = List.of(MSP, MAX_LOGIT, ENERGY);
    /** The key of the maximum probability after calibration, next to {@link #SELECTIVE}'s. */
    public static final String MSP_CALIBRATED = "msp_calibrated";

    /** @throws NullPointerException for a null key or function */
    public OodScore {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(function, "function");
    }

    /** How pages write the score: its key with spaces, e.g. {@code max logit}. */
    public String label() {
        return label(key);
    }

    /** How pages write a score key (also {@link #MSP_CALIBRATED}): underscores become spaces. */
    public static String label(String key) {
        return key.replace('_', ' ');
    }

    /** The keys of {@link #ALL}, in order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        ALL.forEach(s -> keys.add(s.key()));
        return List.copyOf(keys);
    }

    /**
     * The score of every row.
     *
     * @throws IllegalArgumentException when the score needs logits and {@code logits} is null
     */
    public double[] compute(Logits logits, Probabilities probabilities) {
        if (needsLogits && logits == null) {
            throw new IllegalArgumentException("the " + key + " score needs logits, but got none");
        }
        return function.compute(logits, Objects.requireNonNull(probabilities, "probabilities"));
    }

    /**
     * Every score of {@code scores} that can be computed, by key in their order: all of them from logits,
     * only those that do not need logits when {@code logits} is null.
     */
    public static Map<String, double[]> computeAll(List<OodScore> scores, Logits logits, Probabilities probabilities) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (OodScore s : scores) {
            if (logits != null || !s.needsLogits) {
                out.put(s.key, s.compute(logits, probabilities));
            }
        }
        return out;
    }
}
