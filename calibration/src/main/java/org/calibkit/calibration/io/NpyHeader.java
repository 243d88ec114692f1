package org.calibkit.calibration.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a {@code .npy} file: read and checked (preamble, magic, version, the dict's
 * dtype, order and shape, and that the data are exactly as long as the shape says), and written
 * for {@link NpyWriter}.
 *
 * @param array     the (still empty) array with its dtype and shape
 * @param dataStart the byte offset where the data start
 * @param count     the number of values
 * @param item      the bytes per value
 */
record NpyHeader(Npy.Array array, long dataStart, long count, int item) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern STRUCTURED = Pattern.compile("'descr'\\s*:\\s*(\\[.*?\\])\\s*,\\s*'(?:fortran_order|shape)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Reads and checks the preamble and header, and that the data are exactly as long as the shape says. */
    static NpyHeader read(FileChannel ch, String fn) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0, fn, "the .npy preamble");
        if (pre.limit() < 10) {
            throw new IllegalArgumentException(fn + ": not a NumPy .npy file: only " + size + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw new IllegalArgumentException(fn + ": not a NumPy .npy file: bad magic string at byte offset "
                        + i + " (expected \\x93NUMPY)");
            }
        }
        int major = pre.get(6) & 0xff;
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (pre.limit() < 12) {
                throw new IllegalArgumentException(fn + ": truncated .npy preamble at byte offset " + pre.limit());
            }
            headerLen = pre.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new IllegalArgumentException(fn + ": unsupported .npy format version " + major + "."
                    + (pre.get(7) & 0xff) + " at byte offset 6 (expected 1.0, 2.0 or 3.0)");
        }
        if (headerStart + headerLen > size) {
            throw new IllegalArgumentException(fn + ": truncated .npy header: it claims " + headerLen
                    + " bytes from byte offset " + headerStart + " but the file has " + size + " bytes");
        }
        if (headerLen > 1 << 20) {
            throw new IllegalArgumentException(fn + ": implausible .npy header length " + headerLen + " at byte offset 8");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, headerStart, fn, "the .npy header");
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Npy.Array a = parse(fn, header, headerStart);
        long count = 1;
        int item = Integer.parseInt(a.descr().substring(2));
        long dataBytes;
        try {
            for (long d : a.shape()) {
                count = Math.multiplyExact(count, d);
            }
            dataBytes = Math.multiplyExact(count, (long) item);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(fn + ": shape " + a.shapeString() + " has too many values");
        }
        long dataStart = headerStart + headerLen;
        if (size - dataStart < dataBytes) {
            throw new IllegalArgumentException(fn + ": truncated: shape " + a.shapeString() + " " + a.dtypeName()
                    + " needs " + dataBytes + " data bytes from byte offset " + dataStart + ", but only "
                    + (size - dataStart) + " are present");
        }
        if (size - dataStart > dataBytes) {
            throw new IllegalArgumentException(fn + ": unexpected " + (size - dataStart - dataBytes)
                    + " trailing bytes after the data, at byte offset " + (dataStart + dataBytes));
        }
        return new NpyHeader(a, dataStart, count, item);
}

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String fn, String what) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        buf.flip();
    }

    private static Npy.Array parse(String fn, String header, int offset) {
        String where = " in the .npy header at byte offset " + offset + ": " + header.trim();
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            Matcher st = STRUCTURED.matcher(header);
            if (st.find()) { // a record array: fields with names, e.g. [('x', '<f4'), ('y', '<i8')]
                throw new IllegalArgumentException(fn + ": structured dtype not supported: 'descr' is " + st.group(1)
                        + " (save a plain array, e.g. numpy.save(f, a['field']) or a.view(...) of one dtype)");
            }
            throw new IllegalArgumentException(fn + ": no 'descr'" + where);
        }
        String descr = d.group(1);
        if (descr.length() == 3 && descr.charAt(0) == '=') {
            descr = "<" + descr.substring(1);
        }
        if (descr.length() == 3 && descr.charAt(0) == '|') {
            descr = "<" + descr.substring(1); // one-byte dtypes have no byte order
        }
        if (!descr.matches("[<>](f4|f8|i4|i8|u1|i1|b1)")) {
            throw new IllegalArgumentException(fn + ": unsupported dtype '" + descr
                    + "' (expected float32, float64, int32, int64, uint8, int8 or bool: '<f4', '<f8', '<i4', '<i8', '|u1', "
                    + "'|i1', '|b1' or big-endian '>')");
        }
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new IllegalArgumentException(fn + ": no 'fortran_order'" + where);
        }
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException(fn + ": Fortran-order (column-major) arrays are not supported; "
                    + "save a C-order copy, e.g. np.save(path, np.ascontiguousarray(a))");
        }
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new IllegalArgumentException(fn + ": no 'shape'" + where);
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(fn + ": bad dimension '" + t + "' in shape" + where);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new Npy.Array(descr, shape);
    }

    /** A format 1.0 header for a C-order array of {@code descr} and {@code shape}, padded to 64 bytes. */
    static byte[] format(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
