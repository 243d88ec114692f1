package org.calibkit.report.probes;

/** What a probe tests; the report groups probes by it. */
public enum ProbeKind {
    /** No content at all (blank, constant grey, noise): nothing to classify. */
    NO_SIGNAL,
    /** Real images of something else (letters, clothing, characters): none of the model's classes. */
    OUT_OF_DISTRIBUTION,
    /** The model's own classes, drawn differently (other digits, rotated, shifted, inverted): labels still mean something. */
    SHIFT,
    /** The model's own test images with its pixel scaling left out: the classic preprocessing bug. */
    PREPROCESSING
}
