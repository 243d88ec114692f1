package org.calibkit.core.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.Resampler;

/**
 * Reads a user's own images into an {@link ImageSet} (values 0..255, channels-first).
 *
 * <p><b>Folders</b> ({@link #readFolders}): a root directory with one subfolder per class; class
 * names are the subfolder names sorted by {@link String#compareTo} (as torchvision's
 * {@code ImageFolder} does), labels follow that order, and images are ordered by class, then by
 * file name. Files ending in {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .gif}, {@code .bmp},
 * {@code .tif} or {@code .tiff} (any case) are read, each decoded by its content ({@link ImageFormat});
 * hidden entries (names starting with a dot), other files and nested folders are ignored.
 *
 * <p><b>Single files</b> ({@link #readFiles}): for prediction; the set has the one class
 * {@code unknown} or a given class list, with every label 0 as a placeholder (origin split
 * {@code unlabelled}), or one given class for all of them.
 *
 * <p>Per image, in this order: decode (grey files give 1 channel, colour files 3; see
 * {@link Options.Channels}), resize to the target size if one is given ({@link Resampler}: area
 * averaging when shrinking, bilinear when enlarging), then invert ({@code 255 - v}) if asked.
 * Without a target size all images must have the same size; the first one that differs is named.
 * With a target size and {@code GRAY} or {@code RGB} each file is decoded and shrunk in one pass
 * (large photos are never all held at full size); otherwise all files are decoded first.
 */
public final class ImageFolders {
    /** Data set name recorded in the origin of every set read here. */
    public static final String DATASET = "image-folder";
    /** Split name of sets read with {@link #readFiles}. */
    public static final String UNLABELLED = "unlabelled";
    /** The one class of unlabelled sets read without a class list. */
    public static final String UNKNOWN = "unknown";

    private ImageFolders() { }

    /**
     * How images are brought to a common shape.
     *
     * @param height   target height, 0 to keep the files' size (then all must agree)
     * @param width    target width, 0 to keep the files' size
     * @param invert   replace every value v by 255 - v (black-on-white to MNIST's white-on-black)
     * @param channels channel handling
     */
    public record Options(int height, int width, boolean invert, Channels channels) {
        /** Channel handling. */
        public enum Channels {
            /** 1 channel if every file is grey, else 3 (grey files replicated). */
            KEEP,
            /** 1 channel; colour is converted with Rec. 601 luma 0.299 R + 0.587 G + 0.114 B. */
            GRAY,
            /** 3 channels; grey files are replicated. */
            RGB
        }

        public Options {
            Objects.requireNonNull(channels, "channels");
            if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
                throw new CalibkitException("target size must be two positive numbers or both 0 (keep), got height="
                        + height + " width=" + width);
            }
        }

        /** Keep size and channels, no inversion. */
        public static Options defaults() {
            return new Options(0, 0, false, Channels.KEEP);
        }

        /** MNIST-like: 28x28, one channel, inverted (for black digits on white paper). */
        public static Options mnistLike() {
            return new Options(28, 28, true, Channels.GRAY);
        }

        public Options resize(int newHeight, int newWidth) {
            return new Options(newHeight, newWidth, invert, channels);
        }

        public Options inverted(boolean on) {
            return new Options(height, width, on, channels);
        }

        public Options withChannels(Channels c) {
            return new Options(height, width, invert, c);
        }
    }

    /**
     * Reads a directory with one subfolder per class.
     *
     * @param split name recorded in the origin, e.g. {@code train} or {@code test}
     * @throws CalibkitException when the root is missing, has no class folders, a class folder has
     *                           no images, a file cannot be decoded or sizes differ without a target size
     */
    public static ImageSet readFolders(Path root, String split, Options options) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(root)) {
            throw new CalibkitException("image folder " + root + (Files.exists(root) ? " is not a directory"
                    : " does not exist"));
        }
        List<Path> classDirs = list(root).stream()
                .filter(p -> Files.isDirectory(p) && !hidden(p)).sorted(ImageFolders::byName).toList();
        if (classDirs.isEmpty()) {
            throw new CalibkitException("image folder " + root + " has no class subfolders (expected one folder"
                    + " per class, each holding image files)");
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = list(dir).stream()
                    .filter(p -> Files.isRegularFile(p) && !hidden(p) && isImageName(p))
                    .sorted(ImageFolders::byName).toList();
            if (images.isEmpty()) {
                throw new CalibkitException("class folder " + dir + " holds no image files (.png, .jpg, .jpeg, .gif, .bmp, .tif, .tiff)"
                        + " (remove it or add images)");
            }
            int label = classNames.size();
            String folder = dir.getFileName().toString();
            if (!org.calibkit.core.Messages.printable(folder).equals(folder)) { // it would become a class name in every report
                throw new CalibkitException("class folder '" + org.calibkit.core.Messages.printable(folder) + "' in " + root
                        + " has control characters in its name; rename it");
            }
            classNames.add(folder);
            for (Path f : images) {
                files.add(f);
                labels.add(label);
            }
        }
        int[] ls = labels.stream().mapToInt(Integer::intValue).toArray();
        return build(files, ls, classNames, options, new DataOrigin(DATASET, split, root.toString(), null, false));
    }

    /** Unlabelled images for prediction: class list {@code [unknown]}, every label 0. */
    public static ImageSet readFiles(List<Path> files, Options options) {
        return readFiles(files, List.of(UNKNOWN), null, options);
    }

    /**
     * Images for prediction with a model's class list.
     *
     * @param classNames the class list the set should carry (e.g. the model's)
     * @param label      the class all files belong to, or {@code null} when unknown: then every label is
     *                   0 as a placeholder and the origin's split is {@value #UNLABELLED}
     * @throws CalibkitException when there are no files, the label is not in the list, or a file cannot be read
     */
    public static ImageSet readFiles(List<Path> files, List<String> classNames, String label, Options options) {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(options, "options");
        if (files.isEmpty()) {
            throw new CalibkitException("no image files given");
        }
        if (classNames.isEmpty()) {
            throw new CalibkitException("classNames must not be empty");
        }
        int l = 0;
        if (label != null) {
            l = classNames.indexOf(label);
            if (l < 0) {
                throw new CalibkitException("label '" + label + "' is not one of the classes " + classNames);
            }
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CalibkitException("image file " + f + (Files.exists(f) ? " is not a regular file"
                        : " does not exist"));
            }
        }
        int[] labels = new int[files.size()];
        java.util.Arrays.fill(labels, l);
        String location = files.size() == 1 ? files.get(0).toString()
                : files.get(0) + " and " + (files.size() - 1) + " more";
        return build(files, labels, classNames, options,
                new DataOrigin(DATASET, label == null ? UNLABELLED : label, location, null, false));
    }

    private static ImageSet build(List<Path> files, int[] labels, List<String> classNames, Options options,
                                  DataOrigin origin) {
        int n = files.size();
        if (options.height() > 0 && options.channels() != Options.Channels.KEEP) {
            // the output shape is known up front: decode and shrink each image in one pass, so large
            // photos are never all held in memory at full size
            int c = options.channels() == Options.Channels.GRAY ? 1 : 3;
            int per = c * options.height() * options.width();
            float[] pixels = new float[Math.multiplyExact(n, per)];
            IntStream.range(0, n).parallel().forEach(i -> System.arraycopy(
                    prepare(read(files.get(i)), c, options.height(), options.width(), options.invert()), 0,
                    pixels, i * per, per));
            return new ImageSet(pixels, labels, c, options.height(), options.width(), classNames, origin);
        }
        ImageDecoding.Decoded[] decoded = new ImageDecoding.Decoded[n];
        IntStream.range(0, n).parallel().forEach(i -> decoded[i] = read(files.get(i)));

        int channels = switch (options.channels()) {
            case GRAY -> 1;
            case RGB -> 3;
            case KEEP -> Stream.of(decoded).anyMatch(d -> d.channels() == 3) ? 3 : 1;
        };
        int h = options.height();
        int w = options.width();
        if (h == 0) {
            h = decoded[0].height();
            w = decoded[0].width();
            for (int i = 1; i < n; i++) {
                if (decoded[i].height() != h || decoded[i].width() != w) {
                    throw new CalibkitException("images differ in size: " + files.get(i) + " is "
                            + decoded[i].width() + "x" + decoded[i].height() + " (width x height) but "
                            + files.get(0) + " is " + w + "x" + h + "; give a target size to resize them");
                }
            }
        }
        int per = channels * h * w;
        float[] pixels = new float[Math.multiplyExact(n, per)];
        int th = h;
        int tw = w;
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] img = prepare(decoded[i], channels, th, tw, options.invert());
            System.arraycopy(img, 0, pixels, i * per, per);
            decoded[i] = null;
        });
        return new ImageSet(pixels, labels, channels, h, w, classNames, origin);
    }

    /** Channel conversion, resize, inversion of one decoded image. */
    static float[] prepare(ImageDecoding.Decoded d, int channels, int h, int w, boolean invert) {
        float[] img = convertChannels(d.pixels(), d.channels(), channels, d.height() * d.width());
        if (d.height() != h || d.width() != w) {
            img = Resampler.resize(img, channels, d.height(), d.width(), h, w);
        }
        if (invert) {
            for (int k = 0; k < img.length; k++) {
                img[k] = 255f - img[k];
            }
        }
        return img;
    }

    static float[] convertChannels(float[] px, int from, int to, int plane) {
        return org.calibkit.core.Channels.convert(px, from, to, plane);
    }

    private static ImageDecoding.Decoded read(Path file) {
        try {
            return ImageDecoding.decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new CalibkitException("cannot read image file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new CalibkitException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    static boolean isImageName(Path p) {
        return ImageFormat.hasImageName(p);
    }

    private static int byName(Path a, Path b) {
        return a.getFileName().toString().compareTo(b.getFileName().toString());
    }
}
