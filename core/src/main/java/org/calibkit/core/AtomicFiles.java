package org.calibkit.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers only ever see a complete file: the content goes to a temporary
 * file in the target's directory (name starting with '.' and ending in {@value #PART}), which is
 * then renamed over the target in one atomic step.
 */
public final class AtomicFiles {
    /** Suffix of temporary files; a cache holding one is left over from a crash and may be cleaned. */
    public static final String PART = ".part";

    /** Writes content to a path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** A new empty temporary file next to {@code target}. */
    public static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName() + ".", PART);
    }

    /** Writes {@code target} through {@code writer} on a temporary file, then moves it into place. */
    public static void write(Path target, Writer writer) {
        Path tmp = null;
        try {
            tmp = tempFor(target);
            writer.write(tmp);
            move(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Renames {@code tmp} over {@code target} atomically (same directory). Temporary files are
     * created owner-only; the result gets the ordinary rw-r--r-- where the file system is POSIX.
     */
    public static void move(Path tmp, Path target) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code p} if it is not null, ignoring failures. */
    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a leftover .part file is cleaned by the next fetch
            }
        }
    }
}
