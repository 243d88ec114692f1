package org.calibkit.core.corrupt;

import java.util.Objects;

import org.calibkit.core.ImageSet;

/**
 * One corrupted set: a corruption at one severity, named {@code family/corruption/severity}
 * (e.g. {@code mnist-c/rotate/3}).
 *
 * @param corruption the corruption
 * @param severity   1..5
 */
public record CorruptionPoint(Corruption corruption, int severity) {
    /** @throws IllegalArgumentException for a severity outside 1..5 */
    public CorruptionPoint {
        Objects.requireNonNull(corruption, "corruption");
        if (severity < 1 || severity > Corruption.SEVERITIES) {
            throw new IllegalArgumentException("severity must be in 1.." + Corruption.SEVERITIES + ", but got " + severity
                    + " for " + corruption.key());
        }
    }

    /** {@code family/corruption/severity}. */
    public String name() {
        return corruption.key(severity);
    }

    /** The parameters of this severity in words. */
    public String setting() {
        return corruption.setting(severity);
    }

    /** {@link Corruption#apply} at this severity. */
    public ImageSet apply(ImageSet images, long seed) {
        return corruption.apply(images, severity, seed);
    }
}
