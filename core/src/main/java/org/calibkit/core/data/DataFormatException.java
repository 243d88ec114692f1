package org.calibkit.core.data;

import java.nio.file.Path;

import org.calibkit.core.CalibkitException;

/**
 * A data file is damaged or not in the expected layout: truncated, wrong magic number, wrong
 * dimensions, labels out of range, counts that disagree, a missing variable. The message names
 * the file, what was expected and what was found, and the byte offset where that applies.
 */
public class DataFormatException extends CalibkitException {
    private static final long serialVersionUID = 1L;

    /** Byte offset of the problem, or -1 when it is not about one position. */
    private final long offset;

    public DataFormatException(Path file, String problem) {
        this(file, -1, problem, null);
    }

    public DataFormatException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public DataFormatException(Path file, long offset, String problem, Throwable cause) {
        super(file + ": " + problem + (offset >= 0 ? " (at byte offset " + offset + ")" : ""), cause);
        this.offset = offset;
    }

    /** Byte offset where the problem was found, or -1. */
    public long offset() {
        return offset;
    }
}
