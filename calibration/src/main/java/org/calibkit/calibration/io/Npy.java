package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * calibkit's one reader and writer of NumPy {@code .npy} files (format versions 1.0, 2.0, 3.0):
 * dtypes float32, float64, int32, int64, uint8, int8 and bool, little- or big-endian, C order;
 * Fortran order is refused. Errors are {@link IllegalArgumentException}s that start with the file
 * name and give the byte offset; writes go through {@link AtomicWrite}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern STRUCTURED = Pattern.compile("'descr'\\s*:\\s*(\\[.*?\\])\\s*,\\s*'(?:fortran_order|shape)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A parsed .npy array: its dtype, its shape and its values (float dtypes as doubles, integer ones as longs). */
    public static final class Array {
        private final String descr;
        private final long[] shape;
        private double[] doubles;
        private long[] longs;

        private Array(String descr, long[] shape) {
            this.descr = descr;
            this.shape = shape;
        }

        /** The dtype as the header writes it, normalised to an explicit byte order, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** The shape (a copy). */
        public long[] shape() {
            return shape.clone();
        }

        /** The number of dimensions. */
        public int rank() {
            return shape.length;
        }

        /** Dimension {@code d} of the shape. */
        public long dim(int d) {
            return shape[d];
        }

        /** Whether the dtype is an integer or boolean one (values in {@link #longs()}). */
        public boolean isInteger() {
            return descr.charAt(1) != 'f';
        }

        /** The dtype's NumPy name, e.g. {@code float32}, {@code int64}, {@code uint8}, {@code bool}. */
        public String dtypeName() {
            char kind = descr.charAt(1);
            int bits = Integer.parseInt(descr.substring(2)) * 8;
            return kind == 'b' ? "bool" : (kind == 'u' ? "uint" : kind == 'i' ? "int" : "float") + bits;
        }

        /** The values in C order as doubles, whatever the dtype (the array itself for float dtypes, no copy). */
        public double[] doubles() {
            if (doubles == null) {
                double[] d = new double[longs.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = longs[i];
                }
                return d;
            }
            return doubles;
        }

        /**
         * The values in C order of an integer or boolean dtype (no copy).
         *
         * @throws IllegalStateException for a float dtype
         */
        public long[] longs() {
            if (longs == null) {
                throw new IllegalStateException("a " + dtypeName() + " array has no integer values");
            }
            return longs;
        }

        /** The shape as NumPy prints it, e.g. {@code (3, 4)} or {@code (5,)}. */
        public String shapeString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(shape[i]);
            }
            return sb.append(shape.length == 1 ? ",)" : ")").toString();
        }
    }

    /**
     * Reads a .npy file (see the class comment for what is accepted).
     *
     * @throws IllegalArgumentException for anything malformed, starting with the file name and saying where
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static Array read(Path file) {
        Objects.requireNonNull(file, "file");
        String fn = name(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, fn);
            if (h.count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(fn + ": " + h.count + " values are too many for one array");
            }
            readData(ch, h.array, (int) h.count, h.item, h.dataStart, fn);
            return h.array;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A checked header: the (empty) array with its dtype and shape, where the data start, their count and item size. */
    private record Header(Array array, long dataStart, long count, int item) {
    }

    /** Reads and checks the preamble and header, and that the data are exactly as long as the shape says. */
    private static Header header(FileChannel ch, String fn) throws IOException {
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
        Array a = parseHeader(fn, header, headerStart);
        long count = 1;
        int item = Integer.parseInt(a.descr.substring(2));
        long dataBytes;
        try {
            for (long d : a.shape) {
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
        return new Header(a, dataStart, count, item);
}

    /**
     * An open 1-D or 2-D .npy file read in slices of rows, for files too large to hold: the header is
     * checked as {@link #read} checks it, then {@link #slice} reads rows {@code [from, from + count)}.
     * Not thread-safe.
     */
    public static final class Rows implements AutoCloseable {
        private final FileChannel ch;
        private final String fn;
        private final Header h;
        private final long rows;
        private final int columns;

        private Rows(FileChannel ch, String fn, Header h) {
            this.ch = ch;
            this.fn = fn;
            this.h = h;
            this.rows = h.array.rank() == 0 ? 1 : h.array.dim(0);
            long c = h.array.rank() == 2 ? h.array.dim(1) : 1;
            if (h.array.rank() > 2 || c > Integer.MAX_VALUE / 8) {
                throw new IllegalArgumentException(fn + ": expected a 1-D or 2-D array, but the shape is "
                        + h.array.shapeString());
            }
            this.columns = (int) c;
        }

        /** Rows of the array (its first dimension). */
        public long rows() {
            return rows;
        }

        /** Values per row (1 for a 1-D array). */
        public int columns() {
            return columns;
        }

        /** The array's rank, 1 or 2. */
        public int rank() {
            return h.array.rank();
        }

        /** The dtype's NumPy name, e.g. {@code float32}. */
        public String dtypeName() {
            return h.array.dtypeName();
        }

        /** Whether the dtype is an integer or boolean one. */
        public boolean isInteger() {
            return h.array.isInteger();
        }

        /**
         * Rows {@code [from, from + count)} as an array of shape {@code (count, columns)} (or {@code (count,)}).
         *
         * @throws IllegalArgumentException when the rows are outside the array or too many for one slice
         */
        public Array slice(long from, int count) {
            if (from < 0 || count < 0 || from + count > rows || (long) count * columns > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(fn + ": rows " + from + " .. " + (from + count) + " are outside its "
                        + rows + " rows, or too many for one slice");
            }
            Array a = new Array(h.array.descr, h.array.rank() == 2 ? new long[] {count, columns} : new long[] {count});
            try {
                readData(ch, a, count * columns, h.item, h.dataStart + from * columns * h.item, fn);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + fn + ": " + e.getMessage(), e);
            }
            return a;
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // read-only: nothing is lost
            }
        }
    }

    /**
     * Opens a 1-D or 2-D .npy file to read it in slices ({@link Rows}); the header and the file's
     * length are checked now.
     *
     * @throws IllegalArgumentException for anything malformed, as {@link #read}
     * @throws UncheckedIOException     when the file cannot be opened
     */
    public static Rows open(Path file) {
        Objects.requireNonNull(file, "file");
        String fn = name(file);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            return new Rows(ch, fn, header(ch, fn));
        } catch (IOException e) {
            close(ch);
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
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

    private static Array parseHeader(String fn, String header, int offset) {
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
        return new Array(descr, shape);
    }

    private static void readData(FileChannel ch, Array a, int count, int item, long start, String fn) throws IOException {
        ByteOrder order = a.descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = a.descr.charAt(1);
        if (kind == 'f') {
            a.doubles = new double[count];
        } else {
            a.longs = new long[count];
        }
        int perChunk = (1 << 20) / item;
        ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * item).order(order);
        int done = 0;
        long pos = start;
        while (done < count) {
            int m = Math.min(perChunk, count - done);
            buf.clear().limit(m * item);
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new IllegalArgumentException(fn + ": truncated at byte offset " + (pos + buf.position()));
                }
            }
            buf.flip();
            if (kind == 'f' && item == 4) {
                for (int i = 0; i < m; i++) {
                    a.doubles[done + i] = buf.getFloat();
                }
            } else if (kind == 'f') {
                for (int i = 0; i < m; i++) {
                    a.doubles[done + i] = buf.getDouble();
                }
            } else if (item == 1 && kind == 'i') {
                for (int i = 0; i < m; i++) {
                    a.longs[done + i] = buf.get();
                }
            } else if (item == 1) {
                for (int i = 0; i < m; i++) {
                    a.longs[done + i] = buf.get() & 0xff;
                }
            } else if (item == 4) {
                for (int i = 0; i < m; i++) {
                    a.longs[done + i] = buf.getInt();
                }
            } else {
                for (int i = 0; i < m; i++) {
                    a.longs[done + i] = buf.getLong();
                }
            }
            done += m;
            pos += (long) m * item;
        }
    }

    /** Writes a row-major n x k matrix as a little-endian float64 .npy file (format 1.0, C order). */
    public static void writeMatrix(Path file, double[] rowMajor, int n, int k) {
        Objects.requireNonNull(rowMajor, "values");
        if (n < 0 || k < 0 || (long) n * k != rowMajor.length) {
            throw new IllegalArgumentException("Expected " + n + " x " + k + " values, but got " + rowMajor.length);
        }
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(rowMajor.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : rowMajor) {
            data.putDouble(v);
        }
        write(file, header("<f8", "(" + n + ", " + k + ")"), data.array());
    }

    /** Writes labels as a little-endian int64 .npy file of shape (n,). */
    public static void writeLabels(Path file, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(labels.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : labels) {
            data.putLong(v);
        }
        write(file, header("<i8", "(" + labels.length + ",)"), data.array());
    }

    private static byte[] header(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void write(Path file, byte[] header, byte[] data) {
        Objects.requireNonNull(file, "file");
        try {
            AtomicWrite.write(file, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(header));
                    ByteBuffer d = ByteBuffer.wrap(data);
                    while (d.hasRemaining()) {
                        ch.write(d);
                    }
                    ch.force(true);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName());
    }
}
