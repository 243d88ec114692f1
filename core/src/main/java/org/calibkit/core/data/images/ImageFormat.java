package org.calibkit.core.data.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.calibkit.core.CalibkitException;

/**
 * The image formats calibkit reads, told apart by their first bytes, never by the file name: PNG,
 * JPEG, GIF, BMP and TIFF (the JDK's own decoders). A GIF named {@code .png} is read as the GIF it
 * is, and so is one named {@code .gif}; bytes of no such format are refused whatever the name.
 * File names only choose which files of an image folder are looked at
 * ({@link #hasImageName}).
 */
public enum ImageFormat {
    /** PNG: {@code 89 50 4E 47 0D 0A 1A 0A}. */
    PNG,
    /** JPEG: {@code FF D8 FF}. */
    JPEG,
    /** GIF: {@code GIF87a} or {@code GIF89a}. */
    GIF,
    /** BMP: {@code BM}. */
    BMP,
    /** TIFF: {@code II*\0} or {@code MM\0*}. */
    TIFF;

    /** The names the formats accept, for messages. */
    public static final String NAMES = "PNG, JPEG, GIF, BMP or TIFF";

    /** The format whose signature {@code head} starts with, or null. */
    public static ImageFormat of(byte[] head) {
        if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(head, 'G', 'I', 'F', '8', '7', 'a') || starts(head, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (starts(head, 'B', 'M') && head.length >= 26) { // a BMP header is at least 26 bytes
            return BMP;
        }
        if (starts(head, 'I', 'I', 42, 0) || starts(head, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        return null;
    }

    /** The format of the file's first bytes, or null (also when it cannot be read: the reader names that). */
    public static ImageFormat of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in.readNBytes(32));
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether a file name is one an image folder looks at: .png, .jpg, .jpeg, .gif, .bmp, .tif, .tiff (any case). */
    public static boolean hasImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && switch (n.substring(dot + 1)) {
            case "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff" -> true;
            default -> false;
        };
    }

    /**
     * Width and height from the image's header, without decoding its pixels.
     *
     * @throws CalibkitException when the file is not an image of these formats or its header is unreadable
     */
    public static int[] size(Path file) {
        if (of(file) == null) {
            throw new CalibkitException("cannot decode image " + file + ": not a " + NAMES + " image (by its first bytes)");
        }
        try (ImageInputStream iis = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                throw new CalibkitException("cannot decode image " + file + ": no decoder for its format");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(iis, true, true);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CalibkitException ce) {
                throw ce;
            }
            throw new CalibkitException("cannot decode image " + file + ": " + ImageDecoding.describe(e), e);
        }
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
