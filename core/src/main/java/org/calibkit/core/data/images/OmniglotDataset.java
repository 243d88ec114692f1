package org.calibkit.core.data.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.Availability;
import org.calibkit.core.data.Checksums;
import org.calibkit.core.data.DataFormatException;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.DataUnavailableException;
import org.calibkit.core.data.Dataset;
import org.calibkit.core.data.ProgressListener;
import org.calibkit.core.data.Resampler;
import org.calibkit.core.data.Splits;

/**
 * Omniglot handwritten characters (Lake, Salakhutdinov and Tenenbaum 2015, "Human-level concept
 * learning through probabilistic program induction", Science 350(6266)), the two official
 * "background small" zips, as out-of-distribution input for a digit classifier, in MNIST's
 * convention: inverted to white strokes on black, resized 105x105 -> 28x28 by area averaging
 * ({@link Resampler}), one channel, values on the 0..255 scale (not rounded).
 *
 * <p>One split, {@code test}. Classes are the 8 alphabets (sorted by name); labels matter little
 * for an out-of-distribution set. Greek and Latin are in both zips with byte-identical images
 * (1,000 of them), so an entry whose path below the top folder was already read with the same
 * bytes is counted once: 2,720 + 3,120 PNG entries give 4,840 images. Order: small1 then
 * small2, entries sorted by name.
 *
 * <p>The zips are read in place with {@link java.util.zip.ZipFile} (never extracted), from
 * {@code DIR/omniglot/} when a user directory is given, else from {@code shared/data/omniglot/}.
 * Files are checked against pinned SHA-256 values; a mismatch loads with a warning, as not
 * verified. Entries with absolute paths or {@code ..} components are refused, as are damaged
 * zips and PNGs (the message names the file and the entry).
 */
public final class OmniglotDataset implements Dataset {
    /** Name in the catalog. */
    public static final String NAME = "omniglot";
    /** Side of the images after resizing (MNIST's). */
    public static final int SIDE = 28;
    /** Side of the original images. */
    public static final int SOURCE_SIDE = 105;
    /** Largest entry accepted, in bytes (the real PNGs are under 2 kB). */
    static final long MAX_ENTRY_BYTES = 16L << 20;

    /** A zip and its pinned SHA-256 (from shared/data/omniglot/README.md). */
    record Pinned(String name, String sha256) { }

    static final List<Pinned> FILES = List.of(
            new Pinned("images_background_small1.zip",
                    "f38eb80f801274ac2b4dff5b24289016bfaba4a7d5bb50deebf27104ad6cb8a4"),
            new Pinned("images_background_small2.zip",
                    "3ccaa407515a8778e5d0861875af38b17e418f301ad5bb3b5a6b65d901a41c7f"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Omniglot handwritten characters of 8 alphabets (background small 1+2, Lake et al. 2015), "
                + "inverted and resized to 28x28 grey: out-of-distribution input";
    }

    /** The 8 alphabets, sorted. */
    @Override
    public List<String> classNames() {
        return List.of("Balinese", "Early_Aramaic", "Greek", "Japanese_(katakana)", "Korean", "Latin", "Sanskrit",
                "Tagalog");
    }

    @Override
    public List<String> splits() {
        return List.of(Splits.TEST);
    }

    private List<Path> dirs(DataLocations loc) {
        List<Path> d = new ArrayList<>();
        if (loc.userDir() != null) {
            d.add(loc.userDir().resolve(NAME));
        }
        if (loc.sharedDir() != null) {
            d.add(loc.sharedDir().resolve(NAME));
        }
        return d;
    }

    private Path dir(DataLocations loc) {
        for (Path d : dirs(loc)) {
            if (FILES.stream().allMatch(f -> Files.isRegularFile(d.resolve(f.name())))) {
                return d;
            }
        }
        return null;
    }

    private String whereToPut(DataLocations loc) {
        return "put " + FILES.get(0).name() + " and " + FILES.get(1).name() + " (github.com/brendenlake/omniglot, "
                + "python/) in DIR/omniglot/ and pass --data-dir DIR, or keep the shared data directory "
                + "(shared/data/omniglot/) beside the checkout; looked in " + dirs(loc);
    }

    @Override
    public Availability availability(DataLocations loc) {
        Path d = dir(loc);
        return d != null ? Availability.here(d.toString()) : Availability.missing("shared data directory", whereToPut(loc));
    }

    private Path require(DataLocations loc) {
        Path d = dir(loc);
        if (d == null) {
            throw new DataUnavailableException(NAME + ": not found; " + whereToPut(loc));
        }
        return d;
    }

    private static boolean verify(Path file, Pinned f, ProgressListener p) {
        String sha = Checksums.sha256(file);
        if (!sha.equals(f.sha256())) {
            p.warning(NAME + ": " + file + " does not match the pinned SHA-256 (expected " + f.sha256() + ", found "
                    + sha + "); loading it as NOT verified");
            return false;
        }
        return true;
    }

    @Override
    public void fetch(DataLocations loc, ProgressListener p) {
        Path d = require(loc);
        for (Pinned f : FILES) {
            if (verify(d.resolve(f.name()), f, p)) {
                p.message(NAME + ": " + f.name() + " ok (" + d + ", SHA-256 verified)");
            }
        }
    }

    @Override
    public ImageSet load(String split, DataLocations loc) {
        if (!split.equals(Splits.TEST)) {
            throw Splits.unknown(NAME, split, splits());
        }
        Path d = require(loc);
        boolean ok = true;
        List<Path> zips = new ArrayList<>();
        for (Pinned f : FILES) {
            Path z = d.resolve(f.name());
            ok &= verify(z, f, loc.progress());
            zips.add(z);
        }
        return read(zips, classNames(), new DataOrigin(NAME, split, d.toString(), null, ok));
    }

    /** One PNG entry: its zip, name, path below the top folder, alphabet and bytes. */
    private record Entry(Path zip, String name, String relative, String alphabet, byte[] bytes) { }

    /**
     * Reads Omniglot-layout zips ({@code top/alphabet/character/file.png}) into a 28x28 MNIST-style
     * set; the alphabet of each image must be one of {@code classNames}.
     *
     * @throws CalibkitException naming the zip (and entry) when a zip or PNG is damaged, an entry
     *                           path is unsafe or not in the layout, or an alphabet is unknown
     */
    static ImageSet read(List<Path> zips, List<String> classNames, DataOrigin origin) {
        List<Entry> entries = new ArrayList<>();
        Map<String, byte[]> seen = new HashMap<>();
        for (Path zip : zips) {
            for (Entry e : entries(zip)) {
                byte[] before = seen.putIfAbsent(e.relative(), e.bytes());
                if (before == null) {
                    entries.add(e);
                } else if (!Arrays.equals(before, e.bytes())) {
                    entries.add(e);   // same path, different drawing: a distinct image
                }
            }
        }
        if (entries.isEmpty()) {
            throw new DataFormatException(zips.get(0), "no PNG entries in " + zips);
        }
        int n = entries.size();
        int per = SIDE * SIDE;
        float[] pixels = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            labels[i] = classNames.indexOf(e.alphabet());
            if (labels[i] < 0) {
                throw new DataFormatException(e.zip(), "entry " + e.name() + ": alphabet '" + e.alphabet()
                        + "' is not one of " + classNames);
            }
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            Entry e = entries.get(i);
            String where = e.zip() + "!" + e.name();
            ImageDecoding.Decoded d = ImageDecoding.decode(e.bytes(), where);
            float[] grey = ImageFolders.convertChannels(d.pixels(), d.channels(), 1, d.height() * d.width());
            for (int k = 0; k < grey.length; k++) {
                grey[k] = 255f - grey[k];
            }
            float[] small = Resampler.resize(grey, 1, d.height(), d.width(), SIDE, SIDE);
            System.arraycopy(small, 0, pixels, i * per, per);
        });
        return new ImageSet(pixels, labels, 1, SIDE, SIDE, classNames, origin);
    }

    /** The PNG entries of one zip, sorted by name, bytes read in full (so the zip's CRC is checked). */
    private static List<Entry> entries(Path zip) {
        List<Entry> out = new ArrayList<>();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            TreeSet<ZipEntry> sorted = new TreeSet<>(Comparator.comparing(ZipEntry::getName));
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                sorted.add(en.nextElement());
            }
            for (ZipEntry ze : sorted) {
                String name = ze.getName();
                checkSafe(zip, name);
                if (ze.isDirectory() || !name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                    continue;
                }
                String[] parts = name.split("/");
                if (parts.length != 4) {
                    throw new DataFormatException(zip, "entry " + name + " is not top/alphabet/character/file.png");
                }
                if (ze.getSize() > MAX_ENTRY_BYTES) {
                    throw new DataFormatException(zip, "entry " + name + " is " + ze.getSize()
                            + " bytes, more than an image of this set can be (" + MAX_ENTRY_BYTES + ")");
                }
                byte[] bytes;
                try (InputStream in = zf.getInputStream(ze)) {
                    bytes = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
                } catch (IOException e) {
                    throw new DataFormatException(zip, -1, "entry " + name + " is damaged: " + e.getMessage(), e);
                }
                if (bytes.length > MAX_ENTRY_BYTES) {
                    throw new DataFormatException(zip, "entry " + name + " inflates to more than "
                            + MAX_ENTRY_BYTES + " bytes");
                }
                out.add(new Entry(zip, name, name.substring(name.indexOf('/') + 1), parts[1], bytes));
            }
        } catch (ZipException e) {
            throw new DataFormatException(zip, -1, "not a readable zip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(zip, -1, "cannot read zip file: " + e.getMessage(), e);
        }
        return out;
    }

    /** A name starting with a drive letter (compiled once: it is matched against every entry). */
    private static final java.util.regex.Pattern DRIVE = java.util.regex.Pattern.compile("^[A-Za-z]:.*");

    /** Refuses absolute names, drive letters, backslashes and {@code ..} components. */
    static void checkSafe(Path zip, String name) {
        boolean bad = name.startsWith("/") || name.contains("\\") || DRIVE.matcher(name).matches()
                || name.contains("\0");
        for (String part : name.split("/")) {
            bad |= part.equals("..");
        }
        if (bad) {
            throw new DataFormatException(zip, "refused entry with an unsafe path: " + name);
        }
    }
}
