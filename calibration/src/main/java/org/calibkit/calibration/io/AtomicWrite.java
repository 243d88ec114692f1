package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * calibkit's one way to write a file: content goes to a temporary file beside the target (named
 * {@code .NAME.*}{@value #PART}), which is then renamed over it atomically, so a reader (or a
 * crash) never sees a half-written prediction file, calibration map, bundle, report or cache
 * entry. {@link #write} is the whole protocol; {@link #tempFor} and {@link #move} are its two
 * halves, for writers that must check what they wrote (a download's checksum) before moving it.
 */
public final class AtomicWrite {
    /** Suffix of temporary files; a directory holding one has it left over from a crash and may clean it. */
    public static final String PART = ".part";

    /** Writes content to a path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * Writes {@code target} through {@code content}; the target is untouched if anything fails, and
     * the temporary file is removed. The file gets the ordinary rw-r--r-- on a POSIX file system.
     *
     * @return the absolute target
     */
    public static Path write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = tempFor(abs);
        try {
            content.writeTo(tmp);
            move(tmp, abs);
            return abs;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@link #write}, for callers without {@code throws IOException}: a failure becomes an
     * {@link UncheckedIOException} whose message names the target ({@code could not write TARGET: why}).
     */
    public static Path writeUnchecked(Path target, Content content) {
        try {
            return write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A new empty temporary file next to {@code target} (its directory is created if missing). */
    public static Path tempFor(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        return Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", PART);
    }

    /**
     * Renames {@code tmp} (from {@link #tempFor}) over {@code target} atomically. Temporary files are
     * created owner-only; the result gets the ordinary rw-r--r-- where the file system is POSIX.
     */
    public static void move(Path tmp, Path target) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code p} if it is not null, ignoring failures (a leftover is cleaned by the next run). */
    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
