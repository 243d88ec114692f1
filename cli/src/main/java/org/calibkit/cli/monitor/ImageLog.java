package org.calibkit.cli.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.images.ImageFormat;

/**
 * A folder of images a deployed model saw, as a prediction log: the images in time order, each
 * with its timestamp and, where known, its label. {@code calibkit monitor --model F --inputs DIR}
 * runs the model on them.
 *
 * <p>Where the times come from:
 * <ul>
 *   <li>{@code DIR/manifest.csv}, when present: a header with {@code file} and {@code timestamp}
 *       (epoch seconds or an ISO-8601 instant) and optionally {@code label} (a class name of the
 *       model, or empty while unknown); {@code file} is a path relative to DIR, and must stay inside
 *       it (no {@code ..}, no absolute paths, no symbolic links: the monitor reads only what the
 *       user named). Images not in the manifest are not read.</li>
 *   <li>otherwise every image file directly in DIR (by content: PNG, JPEG, GIF, BMP, TIFF), with its
 *       modification time as its timestamp; other files are skipped and counted.</li>
 * </ul>
 * Rows are ordered by timestamp, then by file name, whatever order the file system lists them in.
 *
 * @param files      the images, in time order
 * @param timestamps their times in epoch seconds, in the same order
 * @param labelNames their labels as the manifest names them (null entries where unknown), or null when the
 *                   manifest has no label column (or there is no manifest)
 * @param skipped    files in DIR that are not images (without a manifest), for the progress line
 */
public record ImageLog(List<Path> files, long[] timestamps, String[] labelNames, int skipped) {
    /** The manifest's name inside the folder. */
    public static final String MANIFEST = "manifest.csv";

    /**
     * The labels as indices into the model's classes (-1 where unknown), or null when none is known.
     *
     * @throws CalibkitException naming the label and its file when it is not one of {@code classNames}
     */
    public int[] labels(List<String> classNames) {
        if (labelNames == null) {
            return null;
        }
        int[] y = new int[labelNames.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labelNames[i] == null ? -1 : classNames.indexOf(labelNames[i]);
            if (labelNames[i] != null && y[i] < 0) {
                throw new CalibkitException(MANIFEST + ": label '" + labelNames[i] + "' of " + files.get(i)
                        + " is not one of the model's classes " + classNames);
            }
        }
        return y;
    }

    /**
     * Reads the folder (the images' list and times; the pixels are read when the model runs).
     *
     * @throws CalibkitException naming the folder, manifest line or file when something does not fit
     */
    public static ImageLog read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CalibkitException("--inputs " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist"));
        }
        Path manifest = dir.resolve(MANIFEST);
        return Files.exists(manifest, LinkOption.NOFOLLOW_LINKS) ? manifest(dir, manifest) : modified(dir);
    }

    private static ImageLog modified(Path dir) {
        List<Path> images = new ArrayList<>();
        int skipped = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    skipped++;
                    continue;
                }
                if (ImageFormat.of(f) != null) {
                    images.add(f);
                } else if (ImageFormat.hasImageName(f)) {
                    throw new CalibkitException("input " + f + " is named like an image but is not a " + ImageFormat.NAMES
                            + " image (by its first bytes)");
                } else {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list --inputs " + dir + ": " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new CalibkitException("--inputs " + dir + " holds no " + ImageFormat.NAMES + " images"
                    + (skipped > 0 ? " (" + skipped + " other files)" : "") + " and no " + MANIFEST);
        }
        long[] ts = new long[images.size()];
        for (int i = 0; i < ts.length; i++) {
            try {
                ts[i] = Files.getLastModifiedTime(images.get(i), LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the modification time of " + images.get(i), e);
            }
        }
        return ordered(images, ts, null, skipped);
    }

    private static ImageLog manifest(Path dir, Path manifest) {
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            throw new CalibkitException(manifest + " is not a regular file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CalibkitException(manifest + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + manifest + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new CalibkitException(manifest + " is empty; expected a header with file and timestamp (and label)");
        }
        List<String> header = List.of(lines.get(0).trim().toLowerCase(Locale.ROOT).split(",", -1));
        int file = header.indexOf("file");
        int time = header.indexOf("timestamp");
        int label = header.indexOf("label");
        if (file < 0 || time < 0) {
            throw new CalibkitException(manifest + " line 1: expected a header with columns file and timestamp (and "
                    + "optionally label), but got '" + lines.get(0) + "'");
        }
        List<Path> files = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        Path root = dir.toAbsolutePath().normalize();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = manifest + " line " + (i + 1);
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new CalibkitException(where + ": " + cells.length + " columns, but the header has " + header.size());
            }
            String name = cells[file].trim();
            Path rel = Path.of(name);
            Path f = root.resolve(rel).normalize();
            if (name.isEmpty() || rel.isAbsolute() || !f.startsWith(root) || f.equals(root)) {
                throw new CalibkitException(where + ": file '" + name + "' is not a path inside " + dir);
            }
            if (Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new CalibkitException(where + ": " + f + (Files.isSymbolicLink(f) ? " is a symbolic link"
                        : Files.exists(f) ? " is not a regular file" : " does not exist"));
            }
            try { // a folder on the way may be a link out of DIR
                if (!f.toRealPath().startsWith(root.toRealPath())) {
                    throw new CalibkitException(where + ": file '" + name + "' leads outside " + dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not resolve " + f + ": " + e.getMessage(), e);
            }
            if (!seen.add(f)) {
                throw new CalibkitException(where + ": file '" + name + "' is listed twice");
            }
            if (ImageFormat.of(f) == null) {
                throw new CalibkitException(where + ": " + f + " is not a " + ImageFormat.NAMES + " image (by its first bytes)");
            }
            files.add(f);
            ts.add(LogCsv.timestamp(cells[time].trim(), where));
            ys.add(label >= 0 && !cells[label].isBlank() ? cells[label].trim() : null);
        }
        if (files.isEmpty()) {
            throw new CalibkitException(manifest + " lists no images");
        }
        String[] y = label < 0 ? null : ys.toArray(String[]::new);
        return ordered(files, ts.stream().mapToLong(Long::longValue).toArray(), y, 0);
    }

    /** The rows sorted by timestamp, then file name. */
    private static ImageLog ordered(List<Path> files, long[] ts, String[] labels, int skipped) {
        Integer[] order = new Integer[files.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> ts[i]).thenComparing(i -> files.get(i)));
        List<Path> f = new ArrayList<>(order.length);
        long[] t = new long[order.length];
        String[] y = labels == null ? null : new String[order.length];
        for (int i = 0; i < order.length; i++) {
            f.add(files.get(order[i]));
            t[i] = ts[order[i]];
            if (y != null) {
                y[i] = labels[order[i]];
            }
        }
        return new ImageLog(List.copyOf(f), t, y, skipped);
    }
}
