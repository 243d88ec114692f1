package org.calibkit.report.probes;

import java.util.Objects;

/**
 * What became of one probe: its images, or the reason it was skipped.
 *
 * @param name        the probe's name
 * @param kind        its kind for this model
 * @param description its one-sentence description (the images' own when it ran)
 * @param images      the images; {@code null} when skipped
 * @param skipReason  why it was skipped, a sentence a user can act on; {@code null} when it ran
 */
public record ProbeOutcome(String name, ProbeKind kind, String description, ProbeImages images, String skipReason) {
    /** @throws IllegalArgumentException unless exactly one of {@code images} and {@code skipReason} is given */
    public ProbeOutcome {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if ((images == null) == (skipReason == null)) {
            throw new IllegalArgumentException("probe outcome " + name + " needs exactly one of images and skipReason, but got "
                    + (images == null ? "neither" : "both"));
        }
    }

    /** Whether the probe was skipped (its images are {@code null} and {@link #skipReason()} says why). */
    public boolean skipped() {
        return images == null;
    }
}
