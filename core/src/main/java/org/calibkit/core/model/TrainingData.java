package org.calibkit.core.model;

import java.util.Objects;

/**
 * Identity of the data a model was trained on, stored in its bundle.
 *
 * @param dataset  data set name, e.g. {@code mnist}
 * @param split    split name, e.g. {@code train}
 * @param sha256   hex SHA-256 of the source file(s) as the loader reported it, or {@code null}
 * @param examples number of training images actually used
 */
public record TrainingData(String dataset, String split, String sha256, int examples) {
    public TrainingData {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, but got " + examples);
        }
    }
}
