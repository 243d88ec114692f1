package org.calibkit.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the small test-only data sets kept in the shared data directory (USPS, notMNIST): files
 * pinned by SHA-256, looked for in {@code DIR/NAME/} (user directory) and then in
 * {@code shared/data/NAME/}. They are read where they are (never copied into the cache); a file
 * that does not match its pin is loaded with a warning and reported as not verified.
 */
abstract class SharedFileDataset implements Dataset {
    /** A file and its pinned SHA-256. */
    record Pinned(String name, String sha256) {
    }

    private final String name;
    private final String description;
    private final List<String> classNames;
    private final String dirName;
    private final List<Pinned> files;

    SharedFileDataset(String name, String description, List<String> classNames, String dirName, List<Pinned> files) {
        this.name = name;
        this.description = description;
        this.classNames = classNames;
        this.dirName = dirName;
        this.files = files;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<String> classNames() {
        return classNames;
    }

    /** Name of the directory under the shared data directory, e.g. {@code usps}. */
    final String dirName() {
        return dirName;
    }

    /** The files, all needed. */
    final List<Pinned> files() {
        return files;
    }

    @Override
    public List<String> splits() {
        return List.of(Splits.TEST);
    }

    /** Directories searched, in order. */
    List<Path> dirs(DataLocations loc) {
        List<Path> d = new ArrayList<>();
        if (loc.userDir() != null) {
            d.add(loc.userDir().resolve(name()));
        }
        if (loc.sharedDir() != null) {
            d.add(loc.sharedDir().resolve(dirName()));
        }
        return d;
    }

    /** The first directory holding every file, or null. */
    Path dir(DataLocations loc) {
        for (Path d : dirs(loc)) {
            if (files().stream().allMatch(f -> Files.isRegularFile(d.resolve(f.name())))) {
                return d;
            }
        }
        return null;
    }

    @Override
    public Availability availability(DataLocations loc) {
        Path d = dir(loc);
        return d != null ? Availability.here(d.toString()) : Availability.missing("shared data directory", whereToPut(loc));
    }

    String whereToPut(DataLocations loc) {
        List<String> names = files().stream().map(Pinned::name).toList();
        return "put " + String.join(" and ", names) + " in DIR/" + name() + "/ and pass --data-dir DIR, or keep the "
                + "shared data directory (shared/data/" + dirName() + "/) beside the checkout; looked in "
                + (dirs(loc).isEmpty() ? "no directory (" + SharedData.searched() + ")" : dirs(loc).toString());
    }

    /** The directory, or a {@link DataUnavailableException} saying where to put the files. */
    Path require(DataLocations loc) {
        Path d = dir(loc);
        if (d == null) {
            throw new DataUnavailableException(name() + ": not found; " + whereToPut(loc));
        }
        return d;
    }

    /** Whether the file matches its pin; warns when it does not. */
    boolean verify(Path file, Pinned f, ProgressListener p) {
        return checksum(file, f, p).equals(f.sha256());
    }

    /** The file's SHA-256, read once; warns when it is not the pinned one. */
    String checksum(Path file, Pinned f, ProgressListener p) {
        String sha = Checksums.sha256(file);
        if (!sha.equals(f.sha256())) {
            p.warning(name() + ": " + file + " does not match the pinned SHA-256 (expected " + f.sha256() + ", found "
                    + sha + "); loading it as NOT verified");
        }
        return sha;
    }

    @Override
    public void fetch(DataLocations loc, ProgressListener p) {
        Path d = require(loc);
        for (Pinned f : files()) {
            if (verify(d.resolve(f.name()), f, p)) {
                p.message(name() + ": " + f.name() + " ok (" + d + ", SHA-256 verified)");
            }
        }
    }
}
