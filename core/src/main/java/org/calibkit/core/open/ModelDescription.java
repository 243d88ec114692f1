package org.calibkit.core.open;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about an opened model file, as plain data: what a report's model section shows
 * (the application maps it there).
 *
 * @param name          the file's name
 * @param location      its absolute path
 * @param sha256        hex SHA-256 of the file (of {@code saved_model.pb} for a SavedModel), or null
 * @param kind          {@code logistic}, {@code cnn} (bundles), {@code onnx}, {@code savedmodel}, {@code tribuo}, ...
 * @param head          {@code softmax} or {@code sigmoid}
 * @param outputKind    what the model outputs ({@code logits}, {@code probabilities}, ...)
 * @param classNames    its class names
 * @param preprocessing the input transform in one line, or null
 * @param details       further facts in display order (training data, hyper-parameters, tensors, ...)
 * @param hyperparameters a bundle's training settings as typed values (empty when unknown)
 */
public record ModelDescription(String name, String location, String sha256, String kind, String head, String outputKind,
                               List<String> classNames, String preprocessing, Map<String, String> details,
                               Map<String, Object> hyperparameters) {
    public ModelDescription {
        Objects.requireNonNull(name, "name");
        classNames = List.copyOf(classNames);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        hyperparameters = hyperparameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    /** A model whose hyper-parameters are unknown. */
    public ModelDescription(String name, String location, String sha256, String kind, String head, String outputKind,
                            List<String> classNames, String preprocessing, Map<String, String> details) {
        this(name, location, sha256, kind, head, outputKind, classNames, preprocessing, details, Map.of());
    }
}
