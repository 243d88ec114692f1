package org.calibkit.report.doctor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Doctor} found, as plain data (the text and JSON are renderings of it): every input
 * convention tried, ranked by NLL, with the one the given flags amount to, the best one as the
 * flags to pass, what separates conventions that tie on accuracy, and the model's own metadata
 * with any contradiction of the flags.
 *
 * @param model          the model file
 * @param modelType      {@code onnx}, {@code keras}, ...
 * @param data           the data set's name and split
 * @param sample         images in the seeded sample
 * @param seed           the sample's seed
 * @param classes        the number of classes
 * @param searched       what was tried, in words (the pixel conventions, orientations, layouts, the early stop)
 * @param candidates     ranked by NLL, best first (those stopped early after them)
 * @param givenRank      1-based rank of the convention the given flags amount to
 * @param best           the best convention
 * @param tie            when the given (or second-best, or else the best-ranked other fully evaluated) convention ties
 *                       the best on accuracy: what tells them apart
 * @param metadata       the model's own metadata (ONNX metadata_props, producer, SavedModel signature, Keras version, ...)
 * @param contradictions where that metadata contradicts the flags, one sentence each
 * @param notes          anything else the reader should know (a stripped softmax, a bundle's own preprocessing)
 * @param seconds        wall-clock time of the search
 */
public record DoctorResult(String model, String modelType, String data, int sample, long seed, int classes,
                           String searched, List<Candidate> candidates, int givenRank, Candidate best, Optional<String> tie,
                           Map<String, String> metadata, List<String> contradictions, List<String> notes,
                           double seconds) {
    /** The JSON schema name of {@link DoctorJson}. */
    public static final String SCHEMA = "calibkit-doctor/1";

    public DoctorResult {
        candidates = List.copyOf(candidates);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata)); // in the order read
        contradictions = List.copyOf(contradictions);
        notes = List.copyOf(notes);
    }

    /** The candidate the given flags amount to. */
    public Candidate given() {
        return candidates.get(givenRank - 1);
    }

    /**
     * One input convention and how the model does with it.
     *
     * @param label         in words: "x / 255, MNIST mean/std, transposed"
     * @param flags         the exact command-line flags ("" when none are needed)
     * @param given         whether the given flags amount to this convention
     * @param images        images it was evaluated on (fewer when stopped early)
     * @param stoppedEarly  evaluated on the first images only, being clearly worse
     * @param accuracy      top-1 accuracy
     * @param nll           mean negative log-likelihood
     * @param meanConfidence mean top-class probability
     * @param over99        share of images whose top-class probability exceeds 0.99
     * @param ece           expected calibration error, 15 equal-width bins
     */
    public record Candidate(String label, String flags, boolean given, int images, boolean stoppedEarly, double accuracy,
                            double nll, double meanConfidence, double over99, double ece) {
    }
}
