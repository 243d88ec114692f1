package org.calibkit.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.calibkit.core.CalibkitException;

/** Reading one input file with one-line errors that name it (audit's labels files, monitor's prediction logs). */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * {@code reader} applied to {@code file}, which must be a regular file; a missing file, a
     * directory or content the reader refuses is one {@link CalibkitException} starting with
     * {@code what} and the file.
     *
     * @param what the file's role as messages name it, e.g. {@code labels file}
     */
    public static <T> T read(String what, Path file, Function<Path, T> reader) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException(what + " " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        try {
            return reader.apply(file);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException(what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
