package org.calibkit.core.data;

import org.calibkit.calibration.io.AtomicWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.ImageSet;

/**
 * SVHN cropped digits, format 2 (Netzer et al. 2011): house-number digits from Google Street View,
 * 32x32 RGB, classes "0".."9"; 73,257 training, 26,032 test and (optional) 531,131 extra images.
 * Files come from the user directory or the cache; {@link #fetch} downloads them from
 * {@value #BASE_URL} when online. Published MD5s are checked: a download that does not match is
 * refused; a file the user placed that does not match is loaded with a warning and reported as not
 * verified.
 */
public final class SvhnDataset implements Dataset {
    /** Name in the catalog. */
    public static final String NAME = "svhn";
    /** Official location of the files. */
    public static final String BASE_URL = "http://ufldl.stanford.edu/housenumbers/";
    /** Split of the optional extra file. */
    public static final String EXTRA = "extra";

    /** File names and published MD5s. */
    record SvhnFile(String name, String md5) {
    }

    static final SvhnFile TRAIN = new SvhnFile("train_32x32.mat", "e26dedcc434d2e4c54c9b2d4a06d8373");
    static final SvhnFile TEST = new SvhnFile("test_32x32.mat", "eb5a983be6a315427106f1b164d9cef3");
    static final SvhnFile EXTRA_FILE = new SvhnFile("extra_32x32.mat", "a93ce644f1a588dc4d68dda5feec44a7");

    private final String baseUrl;

    /** SVHN from its official location. */
    public SvhnDataset() {
        this(BASE_URL);
    }

    /** SVHN downloaded from {@code baseUrl} (a mirror; files are still checked against the published MD5s). */
    SvhnDataset(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    private static final List<String> SPLITS = List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST, Splits.TRAIN_FULL,
            EXTRA);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SVHN cropped house-number digits, 32x32 RGB, format 2 (Netzer et al. 2011)";
    }

    @Override
    public List<String> classNames() {
        return SvhnFiles.CLASS_NAMES;
    }

    /** train, validation (last 5,000 of train_32x32.mat), test, train-full, extra (only if extra_32x32.mat is there). */
    @Override
    public List<String> splits() {
        return SPLITS;
    }

    private static Path locate(DataLocations loc, SvhnFile f) {
        Path user = loc.userFile(NAME, f.name());
        if (user != null) {
            return user;
        }
        Path c = loc.cacheDir(NAME).resolve(f.name());
        return Files.isRegularFile(c) ? c : null;
    }

    @Override
    public Availability availability(DataLocations loc) {
        Path train = locate(loc, TRAIN);
        Path test = locate(loc, TEST);
        if (train != null && test != null) {
            return Availability.here(train.getParent().equals(test.getParent()) ? train.getParent().toString()
                    : train + ", " + test);
        }
        return Availability.missing(BASE_URL, whereToPut(loc));
    }

    /** The one message for SVHN that is wanted but not here. */
    static String whereToPut(DataLocations loc) {
        return "download train_32x32.mat and test_32x32.mat from " + BASE_URL + " and put them in "
                + loc.cacheDir(NAME) + (loc.userDir() != null ? " or in " + loc.userDir().resolve(NAME) : "")
                + " (or in DIR/svhn/ and pass --data-dir DIR or set CALIBKIT_DATA_DIR)";
    }

    @SuppressWarnings("try") // the lock is held for the block
    @Override
    public void fetch(DataLocations loc, ProgressListener p) {
        Path cache = loc.cacheDir(NAME);
        try (CacheLock lock = CacheLock.acquire(cache)) {
            List<String> missing = new ArrayList<>();
            for (SvhnFile f : List.of(TRAIN, TEST)) {
                if (!fetchOne(loc, cache, f, p)) {
                    missing.add(f.name());
                }
            }
            Path extra = locate(loc, EXTRA_FILE);
            if (extra != null) {
                p.message(NAME + ": optional " + EXTRA_FILE.name() + " present at " + extra);
            }
            if (!missing.isEmpty()) {
                throw new DataUnavailableException(NAME + ": " + String.join(" and ", missing) + " not here, and "
                        + (loc.online() ? baseUrl + " did not provide them" : "downloads are off (CALIBKIT_OFFLINE)")
                        + "; " + whereToPut(loc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + ": could not update the cache " + cache + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code f} is in the cache or user directory afterwards. */
    private boolean fetchOne(DataLocations loc, Path cache, SvhnFile f, ProgressListener p) throws IOException {
        Path target = cache.resolve(f.name());
        Path user = loc.userFile(NAME, f.name());
        if (user != null) {
            String md5 = Checksums.md5(user);
            if (!md5.equals(f.md5())) {
                p.warning(NAME + ": " + user + " does not match the published MD5 (expected " + f.md5() + ", found " + md5
                        + "); it will be loaded as NOT verified and is not copied into the cache");
                return true;
            }
            if (!Files.isRegularFile(target)) {
                Path tmp = AtomicWrite.tempFor(target);
                try {
                    Files.copy(user, tmp, StandardCopyOption.REPLACE_EXISTING);
                    AtomicWrite.move(tmp, target);
                    tmp = null;
                } finally {
                    AtomicWrite.deleteQuietly(tmp);
                }
            }
            p.message(NAME + ": " + f.name() + " ok (" + user + ", MD5 verified)");
            return true;
        }
        if (Files.isRegularFile(target)) {
            String md5 = Checksums.md5(target);
            if (md5.equals(f.md5())) {
                p.message(NAME + ": " + f.name() + " ok (cache, MD5 verified)");
                return true;
            }
            p.warning(NAME + ": cached " + target + " does not match the published MD5 (found " + md5 + "); removing it");
            Files.delete(target);
        }
        if (!loc.online()) {
            return false;
        }
        String url = baseUrl + f.name();
        Path tmp = AtomicWrite.tempFor(target);
        try {
            p.message(NAME + ": downloading " + url);
            Downloads.download(url, tmp, f.name(), p);
            String md5 = Checksums.md5(tmp);
            if (!md5.equals(f.md5())) {
                throw new DataFormatException(target, "refused download of " + url + ": MD5 " + md5
                        + " is not the published " + f.md5());
            }
            AtomicWrite.move(tmp, target);
            tmp = null;
            p.message(NAME + ": " + f.name() + " ok (downloaded, MD5 verified)");
            return true;
        } catch (Downloads.UnreachableException e) {
            p.message(NAME + ": " + e.getMessage());
            return false;
        } finally {
            AtomicWrite.deleteQuietly(tmp);
        }
    }

    @Override
    public ImageSet load(String split, DataLocations loc) {
        if (!SPLITS.contains(split)) {
            throw Splits.unknown(NAME, split, SPLITS);
        }
        if (split.equals(EXTRA)) {
            Path extra = locate(loc, EXTRA_FILE);
            if (extra == null) {
                throw new DataUnavailableException(NAME + ": split 'extra' needs " + EXTRA_FILE.name() + " (optional, 1.3 GB) "
                        + "from " + BASE_URL + "; put it in " + loc.cacheDir(NAME)
                        + " (or in DIR/svhn/ and pass --data-dir DIR)");
            }
            return read(extra, EXTRA_FILE, EXTRA, loc);
        }
        return Splits.select(NAME, split, () -> read(TRAIN, Splits.TRAIN_FULL, loc), () -> read(TEST, Splits.TEST, loc));
    }

    private ImageSet read(SvhnFile f, String split, DataLocations loc) {
        Path file = locate(loc, f);
        if (file == null) {
            fetch(loc, loc.progress());
            file = locate(loc, f);
            if (file == null) {
                throw new DataUnavailableException(NAME + ": " + f.name() + " is not here; " + whereToPut(loc));
            }
        }
        return read(file, f, split, loc);
    }

    private static ImageSet read(Path file, SvhnFile f, String split, DataLocations loc) {
        String[] sums = Checksums.md5AndSha256(file);
        boolean ok = sums[0].equals(f.md5());
        if (!ok) {
            loc.progress().warning(NAME + ": " + file + " does not match the published MD5 of " + f.name() + " (expected "
                    + f.md5() + ", found " + sums[0] + "); loading it as NOT verified");
        }
        return SvhnFiles.read(file, split, NAME, sums[1], ok);
    }
}
