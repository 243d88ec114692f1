package org.calibkit.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and MD5 of files and byte arrays, as lower-case hex. */
public final class Checksums {
    private Checksums() {
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        return ofFile(file, "SHA-256");
    }

    /** Hex MD5 of a file's bytes (only to compare with checksums published as MD5). */
    public static String md5(Path file) {
        return ofFile(file, "MD5");
    }

    /** Hex MD5 and SHA-256 of a file's bytes, read once: {md5, sha256}. */
    public static String[] md5AndSha256(Path file) {
        MessageDigest md5 = digest("MD5");
        MessageDigest sha = digest("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md5.update(buf, 0, r);
                sha.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        return new String[] {HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha.digest())};
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    private static String ofFile(Path file, String algorithm) {
        MessageDigest md = digest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
