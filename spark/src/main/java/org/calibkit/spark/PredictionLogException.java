package org.calibkit.spark;

/**
 * A prediction log that cannot be read as documented in {@link PredictionLogSchema}: the message
 * is one line naming the file, and the column or row, that is wrong. Thrown before any result
 * is produced.
 */
public final class PredictionLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A one-line message naming file, column or row. */
    public PredictionLogException(String message) {
        super(message);
    }

    /** A one-line message and the engine's own exception as the cause. */
    public PredictionLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
