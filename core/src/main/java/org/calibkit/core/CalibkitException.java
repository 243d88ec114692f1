package org.calibkit.core;

/**
 * The one unchecked exception calibkit throws for bad input it was handed: a damaged file,
 * a wrong shape, a value out of range, an unknown option. Its message names what is wrong
 * and where (file, row or byte offset), so the command line can print it as a single line.
 */
public class CalibkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CalibkitException(String message) {
        super(message);
    }

    public CalibkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
