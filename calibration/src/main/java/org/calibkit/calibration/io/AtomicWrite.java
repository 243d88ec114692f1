package org.calibkit.calibration.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The calibration module's one way to write a file: content goes to a temporary file beside the
 * target, which is then renamed over it atomically, so a reader (or a crash) never sees a
 * half-written prediction file, calibration map or chart. (core has the same mechanism as
 * {@code org.calibkit.core.AtomicFiles}; this module does not depend on core, to stay free of
 * Tribuo and TensorFlow.)
 */
public final class AtomicWrite {
    /** Writes content to a path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * Writes {@code target} through {@code content}; the target is untouched if anything fails.
     * The file gets the ordinary rw-r--r-- on a POSIX file system.
     */
    public static Path write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            content.writeTo(tmp);
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return abs;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
