package org.calibkit.report.doctor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level metadata of an ONNX file, read with a few lines of protobuf wire format in pure
 * Java (no native code, nothing but the fields named): {@code producer_name} (field 2),
 * {@code producer_version} (3), {@code domain} (4), {@code model_version} (5), {@code doc_string}
 * (6) and every {@code metadata_props} entry (14, key/value pairs) of {@code ModelProto}
 * (onnx/onnx.proto). The graph and everything else are skipped by length.
 */
final class OnnxMetadata {
    private static final int MAX_TEXT = 1 << 16;

    private OnnxMetadata() {
    }

    /** The entries found, in file order; {@code metadata_props} keys as they are, the others as {@code producer_name} etc. */
    static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                long tag;
                try {
                    tag = varint(in);
                } catch (EOFException e) {
                    break;
                }
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire == 0) {
                    long v = varint(in);
                    if (field == 5) {
                        out.put("model_version", Long.toString(v));
                    }
                } else if (wire == 2) {
                    long len = varint(in);
                    if (len < 0) {
                        break;
                    }
                    if ((field >= 2 && field <= 4 || field == 6 || field == 14) && len <= MAX_TEXT) {
                        byte[] b = in.readNBytes((int) len);
                        switch (field) {
                            case 2 -> out.put("producer_name", text(b));
                            case 3 -> out.put("producer_version", text(b));
                            case 4 -> out.put("domain", text(b));
                            case 6 -> out.put("doc_string", text(b));
                            default -> entry(b, out);
                        }
                    } else {
                        in.skipNBytes(len);
                    }
                } else if (wire == 1) {
                    in.skipNBytes(8);
                } else if (wire == 5) {
                    in.skipNBytes(4);
                } else {
                    break; // not a ModelProto we understand; keep what was read
                }
            }
        } catch (IOException | RuntimeException e) {
            out.put("(metadata)", "unreadable past " + out.size() + " entries: " + e.getClass().getSimpleName());
        }
        return out;
    }

    /** A StringStringEntryProto: key (1), value (2). */
    private static void entry(byte[] b, Map<String, String> out) throws IOException {
        String key = null;
        String value = "";
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b));
        while (in.available() > 0) {
            long tag = varint(in);
            if ((tag & 7) != 2) {
                return;
            }
            byte[] s = in.readNBytes((int) varint(in));
            if ((tag >>> 3) == 1) {
                key = text(s);
            } else if ((tag >>> 3) == 2) {
                value = text(s);
            }
        }
        if (key != null) {
            out.put(key, value);
        }
    }

    private static String text(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static long varint(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }
}
