package org.calibkit.core;

import java.util.Objects;

/**
 * Where an {@link ImageSet} came from.
 *
 * @param dataset  data set name as the command line knows it, e.g. {@code mnist}
 * @param split    {@code train}, {@code validation}, {@code test}, or a free name for user data
 * @param location file, directory or URL it was read from
 * @param sha256   hex SHA-256 of the primary file(s) read, or {@code null} when not computed
 * @param verified whether the bytes matched the published checksum
 */
public record DataOrigin(String dataset, String split, String location, String sha256, boolean verified) {
    public DataOrigin {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(location, "location");
    }

    /** The same origin under another split name (e.g. the validation part of {@code train}). */
    public DataOrigin withSplit(String newSplit) {
        return new DataOrigin(dataset, newSplit, location, sha256, verified);
    }
}
