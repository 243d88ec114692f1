package org.calibkit.core.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.Messages;

/**
 * Reads an ONNX file's protobuf (field numbers of onnx/onnx.proto) without ONNX Runtime and
 * refuses, naming the initializer or node:
 * <ul>
 *   <li>an initializer whose external data {@code location} is absolute or leaves the model's
 *       directory (after {@code ..} and symlinks are resolved): ONNX Runtime would open it, and
 *       the file's bytes would leak into the model's outputs;</li>
 *   <li>a {@code Conv}, {@code ConvTranspose} or pooling node with a stride, dilation or kernel
 *       size below 1 (ONNX Runtime divides by them: SIGFPE);</li>
 *   <li>a file that is not a well-formed protobuf (truncated, bad wire type), with the byte offset.</li>
 * </ul>
 * Sub-graphs (If, Loop, Scan bodies) are checked too.
 */
public final class OnnxPreflight {
    /** ONNX Runtime reads protobuf models up to 2 GiB. */
    private static final long MAX_BYTES = Integer.MAX_VALUE;
    private static final Set<String> WINDOWED = Set.of("Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "MaxPool",
            "AveragePool", "LpPool", "MaxUnpool");
    private static final Set<String> POSITIVE = Set.of("strides", "dilations", "kernel_shape");

    private final Path file;
    private final Path dir;
    private final byte[] bytes;

    private OnnxPreflight(Path file, Path dir, byte[] bytes) {
        this.file = file;
        this.dir = dir;
        this.bytes = bytes;
    }

    /**
     * Checks one ONNX file (an {@code .ort} flatbuffer is left to ONNX Runtime).
     *
     * @throws CalibkitException naming the file and what is refused
     */
    public static void check(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ort")) {
            return;
        }
        byte[] b;
        Path dir;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CalibkitException("ONNX model " + file + " is larger than 2 GiB, more than a protobuf model can be");
            }
            b = Files.readAllBytes(file);
            Path parent = file.toAbsolutePath().getParent();
            dir = parent.toRealPath();
        } catch (NoSuchFileException e) {
            throw new CalibkitException("ONNX model " + file + " does not exist");
        } catch (IOException e) {
            throw new CalibkitException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        if (b.length == 0) {
            throw new CalibkitException("ONNX model " + file + " is empty (0 bytes)");
        }
        OnnxPreflight p = new OnnxPreflight(file, dir, b);
        p.model(0, b.length);
    }

    private void model(int from, int to) {
        Reader r = new Reader(from, to);
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 7 && (tag & 7) == 2) {
                int[] span = r.span();
                graph(span[0], span[1], 0);
            } else {
                r.skip(tag);
            }
        }
    }

    private void graph(int from, int to, int depth) {
        if (depth > 64) {
            throw new CalibkitException("ONNX model " + file + " nests sub-graphs more than 64 deep");
        }
        Reader r = new Reader(from, to);
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            if ((field == 1 || field == 5) && (tag & 7) == 2) {
                int[] span = r.span();
                if (field == 1) {
                    node(span[0], span[1], depth);
                } else {
                    tensor(span[0], span[1]);
                }
            } else {
                r.skip(tag);
            }
        }
    }

    private void tensor(int from, int to) {
        Reader r = new Reader(from, to);
        String name = "";
        List<String> locations = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            if (field == 8 && (tag & 7) == 2) {
                name = r.string();
            } else if (field == 13 && (tag & 7) == 2) {
                int[] span = r.span();
                Reader e = new Reader(span[0], span[1]);
                String key = null;
                String value = null;
                while (e.more()) {
                    int t = e.tag();
                    if ((t >>> 3) == 1 && (t & 7) == 2) {
                        key = e.string();
                    } else if ((t >>> 3) == 2 && (t & 7) == 2) {
                        value = e.string();
                    } else {
                        e.skip(t);
                    }
                }
                if ("location".equals(key) && value != null) {
                    locations.add(value);
                }
            } else {
                r.skip(tag);
            }
        }
        for (String loc : locations) {
            location(name, loc);
        }
    }

    private void location(String tensor, String location) {
        String shown = "'" + Messages.printable(location) + "'";
        String what = "ONNX model " + file + ": initializer '" + Messages.printable(tensor) + "' keeps its data in " + shown;
        if (location.isEmpty() || location.indexOf('\0') >= 0) {
            throw new CalibkitException(what + ", which is not a file name");
        }
        Path loc;
        try {
            loc = Path.of(location);
        } catch (RuntimeException e) {
            throw new CalibkitException(what + ", which is not a file name");
        }
        if (loc.isAbsolute()) {
            throw new CalibkitException(what + ", an absolute path; external data must lie in the model's directory " + dir);
        }
        Path target = dir.resolve(loc).normalize();
        if (!target.startsWith(dir)) {
            throw new CalibkitException(what + ", outside the model's directory " + dir + "; refusing to read it");
        }
        if (Files.exists(target)) {
            try {
                Path real = target.toRealPath();
                if (!real.startsWith(dir)) {
                    throw new CalibkitException(what + ", a link to " + real + " outside the model's directory " + dir
                            + "; refusing to read it");
                }
            } catch (IOException e) {
                throw new CalibkitException(what + ", which cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private void node(int from, int to, int depth) {
        Reader r = new Reader(from, to);
        String name = "";
        String op = "";
        List<int[]> attributes = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            if (field == 3 && (tag & 7) == 2) {
                name = r.string();
            } else if (field == 4 && (tag & 7) == 2) {
                op = r.string();
            } else if (field == 5 && (tag & 7) == 2) {
                attributes.add(r.span());
            } else {
                r.skip(tag);
            }
        }
        for (int[] a : attributes) {
            attribute(a[0], a[1], name, op, depth);
        }
    }

    private void attribute(int from, int to, String node, String op, int depth) {
        Reader r = new Reader(from, to);
        String name = "";
        List<Long> ints = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == 2) {
                name = r.string();
            } else if (field == 8 && wire == 0) {
                ints.add(r.varint());
            } else if (field == 8 && wire == 2) {
                int[] span = r.span();
                Reader p = new Reader(span[0], span[1]);
                while (p.more()) {
                    ints.add(p.varint());
                }
            } else if ((field == 6 || field == 11) && wire == 2) {
                int[] span = r.span();
                graph(span[0], span[1], depth + 1);
            } else {
                r.skip(tag);
            }
        }
        if (WINDOWED.contains(op) && POSITIVE.contains(name)) {
            for (long v : ints) {
                if (v < 1) {
                    throw new CalibkitException("ONNX model " + file + ": node '" + Messages.printable(node) + "' (" + op
                            + ") has " + name + " " + ints + ", but every " + name + " value must be >= 1 (ONNX Runtime "
                            + "would divide by it); the file is unusable");
                }
            }
        }
    }

    /** A protobuf wire-format reader over bytes[from, to). */
    private final class Reader {
        private int pos;
        private final int end;

        Reader(int from, int to) {
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            long t = varint();
            if (t <= 0 || t > Integer.MAX_VALUE || (t >>> 3) == 0) {
                throw damaged("a field tag of " + t);
            }
            return (int) t;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw damaged("a number cut off");
                }
                int b = bytes[pos++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw damaged("a number longer than 10 bytes");
        }

        int[] span() {
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw damaged("a field of " + len + " bytes where " + (end - pos) + " remain");
            }
            int[] s = {pos, pos + (int) len};
            pos += (int) len;
            return s;
        }

        String string() {
            int[] s = span();
            return new String(bytes, s[0], s[1] - s[0], StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> span();
                case 5 -> advance(4);
                default -> throw damaged("wire type " + (tag & 7));
            }
        }

        private void advance(int n) {
            if (end - pos < n) {
                throw damaged("a field cut off");
            }
            pos += n;
        }

        private CalibkitException damaged(String what) {
            return new CalibkitException("ONNX model " + file + " is damaged or not an ONNX protobuf: " + what
                    + " at byte " + pos + " of " + bytes.length + (pos >= bytes.length ? " (truncated?)" : ""));
        }
    }
}
