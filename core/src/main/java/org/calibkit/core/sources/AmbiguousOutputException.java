package org.calibkit.core.sources;

import java.util.List;

import org.calibkit.core.CalibkitException;

/**
 * A model has several float outputs that could hold the class scores and nothing said which to
 * read: the message names them, {@link #candidates()} lists them, so a caller that knows the
 * number of classes can choose (see {@code OpenedModel.open(path, type, options, classes)}).
 * Crosses the model worker's protocol as its own frame type, so the choice does not depend on
 * the wording of the message.
 */
public final class AmbiguousOutputException extends CalibkitException {
    private static final long serialVersionUID = 1L;
    private final List<String> candidates;

    /** @param candidates the outputs that could hold the scores */
    public AmbiguousOutputException(String message, List<String> candidates) {
        super(message);
        this.candidates = List.copyOf(candidates);
    }

    /** The outputs that could hold the class scores. */
    public List<String> candidates() {
        return candidates;
    }
}
