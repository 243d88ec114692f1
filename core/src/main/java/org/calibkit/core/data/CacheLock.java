package org.calibkit.core.data;

import org.calibkit.calibration.io.AtomicWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive lock on one data set's cache directory, across processes (an OS file lock on
 * {@code .lock}) and across threads of this JVM. Whoever holds it is the only writer, so it also
 * removes {@value AtomicWrite#PART} files left behind by a process that died mid-download.
 */
public final class CacheLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock lock;

    private CacheLock(ReentrantLock threadLock, FileChannel channel, FileLock lock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.lock = lock;
    }

    /** Blocks until {@code dir} (created if needed) is locked, then cleans leftover partial files. */
    public static CacheLock acquire(Path dir) {
        Path lockFile;
        try {
            Files.createDirectories(dir);
            lockFile = dir.resolve(".lock").toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("could not create cache directory " + dir + ": " + e.getMessage(), e);
        }
        ReentrantLock tl = IN_JVM.computeIfAbsent(lockFile, k -> new ReentrantLock());
        tl.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = ch.lock();
            CacheLock held = new CacheLock(tl, ch, fl);
            held.cleanPartials(dir);
            return held;
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            tl.unlock();
            throw new UncheckedIOException("could not lock cache directory " + dir + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private void cleanPartials(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + AtomicWrite.PART)) {
            for (Path p : ds) {
                AtomicWrite.deleteQuietly(p);
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".npm-*")) {
            for (Path p : ds) {
                try (var s = Files.walk(p)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicWrite::deleteQuietly);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock anyway
        } finally {
            threadLock.unlock();
        }
    }
}
