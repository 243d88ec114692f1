package org.calibkit.core.data;

import org.calibkit.calibration.io.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Extracts regular files from a gzipped tar archive (ustar, with pax and GNU long-name headers, as
 * {@code npm pack} writes them). Every entry's name is checked before anything is written: an entry
 * that is absolute or would land outside the target directory makes the whole archive refused.
 * Links and devices are never created.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Extracts the regular files whose archive names {@code wanted} accepts into {@code targetDir}
     * (same relative path), each through a temporary file.
     *
     * @return archive name -> extracted file
     * @throws DataFormatException when the archive is damaged or an entry would escape {@code targetDir}
     */
    static Map<String, Path> extract(Path archive, Path targetDir, Predicate<String> wanted) {
        Map<String, Path> out = new LinkedHashMap<>();
        Path root = targetDir.toAbsolutePath().normalize();
        long offset = 0;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                int r = in.readNBytes(header, 0, BLOCK);
                if (r == 0) {
                    break; // tolerated: archive without end-of-archive blocks
                }
                if (r < BLOCK) {
                    throw new DataFormatException(archive, offset, "truncated tar header (" + r + " of 512 bytes)");
                }
                if (isZero(header)) {
                    break;
                }
                checkChecksum(archive, header, offset);
                String name = longName != null ? longName : headerName(header);
                longName = null;
                long size = octal(archive, header, 124, 12, offset);
                char type = (char) header[156];
                long dataStart = offset + BLOCK;
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == 'x' || type == 'L') {
                    byte[] meta = readExactly(in, archive, size, dataStart);
                    skip(in, archive, padded - size, dataStart + size);
                    longName = type == 'L' ? cString(meta, 0, meta.length) : paxPath(meta);
                    offset = dataStart + padded;
                    continue;
                }
                if (type == 'g') {
                    skip(in, archive, padded, dataStart);
                    offset = dataStart + padded;
                    continue;
                }
                Path dest = root.resolve(name).normalize();
                if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || !dest.startsWith(root)
                        || dest.equals(root) && type != '5') {
                    throw new DataFormatException(archive, offset, "refused archive entry '" + name
                            + "': it would land outside " + root);
                }
                boolean regular = type == '0' || type == '\0' || type == '7';
                if (regular && wanted.test(name)) {
                    Files.createDirectories(dest.getParent());
                    Path tmp = AtomicWrite.tempFor(dest);
                    try {
                        try (OutputStream os = Files.newOutputStream(tmp)) {
                            copy(in, os, size, archive, dataStart);
                        }
                        AtomicWrite.move(tmp, dest);
                        tmp = null;
                    } finally {
                        AtomicWrite.deleteQuietly(tmp);
                    }
                    skip(in, archive, padded - size, dataStart + size);
                    out.put(name, dest);
                } else {
                    skip(in, archive, padded, dataStart);
                }
                offset = dataStart + padded;
            }
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(archive, -1, "damaged tar.gz archive: " + e, e);
        }
        return out;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkChecksum(Path archive, byte[] h, long offset) {
        long stored = octal(archive, h, 148, 8, offset);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : (h[i] & 0xFF);
        }
        if (sum != stored) {
            throw new DataFormatException(archive, offset, "tar header checksum: expected " + sum + ", found " + stored);
        }
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        if (ustar) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] h, int off, int len, long headerOffset) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new DataFormatException(archive, headerOffset + off, "expected an octal number in the tar header, found byte "
                        + (c & 0xFF));
            }
            v = v * 8 + (c - '0');
            any = true;
            if (v > (1L << 40)) {
                throw new DataFormatException(archive, headerOffset + off, "tar entry size too large: " + v);
            }
        }
        return v;
    }

    private static String paxPath(byte[] meta) {
        String s = new String(meta, StandardCharsets.UTF_8);
        String path = null;
        for (String rec : s.split("\n")) {
            int sp = rec.indexOf(' ');
            int eq = rec.indexOf('=');
            if (sp > 0 && eq > sp && rec.substring(sp + 1, eq).equals("path")) {
                path = rec.substring(eq + 1);
            }
        }
        return path;
    }

    private static byte[] readExactly(InputStream in, Path archive, long size, long offset) throws IOException {
        if (size > (1 << 20)) {
            throw new DataFormatException(archive, offset, "tar metadata entry of " + size + " bytes is too large");
        }
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) {
            throw new DataFormatException(archive, offset + b.length, "truncated tar entry");
        }
        return b;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive, long offset) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new DataFormatException(archive, offset + size - left, "truncated tar entry: expected " + size
                        + " bytes");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void skip(InputStream in, Path archive, long n, long offset) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new DataFormatException(archive, offset + n - left, "truncated tar entry");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
