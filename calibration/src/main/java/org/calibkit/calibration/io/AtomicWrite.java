package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * calibkit's one way to write a file: content goes to a temporary file beside the target (named
 * {@code .NAME.*}{@value #PART}), which is then renamed over it atomically, so a reader (or a
 * crash) never sees a half-written prediction file, calibration map, bundle, report or cache
 * entry. {@link #write} is the whole protocol; {@link #tempFor} and {@link #move} are its two
 * halves, for writers that must check what they wrote (a download's checksum) before moving it.
 *
 * <p>Leftovers: a temporary file of {@link #write} still in flight when the JVM shuts down (Ctrl-C)
 * is removed by a shutdown hook. One left by SIGKILL, which nothing can catch, is removed by the
 * next {@link #tempFor} for the same target once it is older than {@link #STALE} (younger ones may
 * belong to another run writing the same file right now).
 */
public final class AtomicWrite {
    /** Suffix of temporary files; a directory holding one has it left over from a crash and may clean it. */
    public static final String PART = ".part";

    /** Age after which a temporary file beside a target is taken to be left by a killed run. */
    public static final Duration STALE = Duration.ofHours(1);

    /**
     * {@link #write}'s temporary files in flight, removed by a shutdown hook. A holder class, so
     * that the hook is registered by the first write, never while the JVM is already shutting
     * down (where registering throws, and {@link #deleteTree} must still work).
     */
    private static final class InFlight {
        static final Set<Path> FILES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FILES.forEach(AtomicWrite::deleteQuietly),
                    "calibkit-atomic-write-cleanup"));
        }
    }

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
        InFlight.FILES.add(tmp);
        try {
            content.writeTo(tmp);
            move(tmp, abs);
            return abs;
        } finally {
            Files.deleteIfExists(tmp);
            InFlight.FILES.remove(tmp);
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

    /**
     * A new empty temporary file next to {@code target} (its directory is created if missing);
     * first removes the target's temporary files older than {@link #STALE}.
     */
    public static Path tempFor(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        removeStale(abs);
        return Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", PART);
    }

    /** Removes {@code .NAME.*.part} regular files beside {@code target} older than {@link #STALE}. */
    public static void removeStale(Path target) {
        Path abs = target.toAbsolutePath();
        String prefix = "." + abs.getFileName() + ".";
        Instant before = Instant.now().minus(STALE);
        try (Stream<Path> s = Files.list(abs.getParent())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(PART) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // cleaning is a courtesy
        }
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

    /** Deletes the directory tree {@code dir} (links not followed), ignoring failures: for temporary directories. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteQuietly(dir);
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicWrite::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
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
