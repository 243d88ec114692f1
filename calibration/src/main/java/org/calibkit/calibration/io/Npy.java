package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * calibkit's one reader and writer of NumPy {@code .npy} files (format versions 1.0, 2.0, 3.0):
 * dtypes float32, float64, int32, int64, uint8, int8 and bool, little- or big-endian, C order;
 * Fortran order is refused. Errors are {@link IllegalArgumentException}s that start with the file
 * name and give the byte offset; writes go through {@link AtomicWrite}. The header is read and
 * written by {@link NpyHeader}, files written by {@link NpyWriter}; this class reads the data.
 */
public final class Npy {
    private Npy() {
    }

    /** A parsed .npy array: its dtype, its shape and its values (float dtypes as doubles, integer ones as longs). */
    public static final class Array {
        private final String descr;
        private final long[] shape;
        private double[] doubles;
        private long[] longs;

        Array(String descr, long[] shape) {
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
            NpyHeader h = NpyHeader.read(ch, fn);
            if (h.count() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(fn + ": " + h.count() + " values are too many for one array");
            }
            readData(ch, h.array(), (int) h.count(), h.item(), h.dataStart(), fn);
            return h.array();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * An open 1-D or 2-D .npy file read in slices of rows, for files too large to hold: the header is
     * checked as {@link #read} checks it, then {@link #slice} reads rows {@code [from, from + count)}.
     * Not thread-safe.
     */
    public static final class Rows implements AutoCloseable {
        private final FileChannel ch;
        private final String fn;
        private final NpyHeader h;
        private final long rows;
        private final int columns;

        private Rows(FileChannel ch, String fn, NpyHeader h) {
            this.ch = ch;
            this.fn = fn;
            this.h = h;
            this.rows = h.array().rank() == 0 ? 1 : h.array().dim(0);
            long c = h.array().rank() == 2 ? h.array().dim(1) : 1;
            if (h.array().rank() > 2 || c > Integer.MAX_VALUE / 8) {
                throw new IllegalArgumentException(fn + ": expected a 1-D or 2-D array, but the shape is "
                        + h.array().shapeString());
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
            return h.array().rank();
        }

        /** The dtype's NumPy name, e.g. {@code float32}. */
        public String dtypeName() {
            return h.array().dtypeName();
        }

        /** Whether the dtype is an integer or boolean one. */
        public boolean isInteger() {
            return h.array().isInteger();
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
            Array a = new Array(h.array().descr, h.array().rank() == 2 ? new long[] {count, columns} : new long[] {count});
            try {
                readData(ch, a, count * columns, h.item(), h.dataStart() + from * columns * h.item(), fn);
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
            return new Rows(ch, fn, NpyHeader.read(ch, fn));
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
        NpyWriter.writeMatrix(file, rowMajor, n, k);
    }

    /** Writes labels as a little-endian int64 .npy file of shape (n,). */
    public static void writeLabels(Path file, int[] labels) {
        NpyWriter.writeLabels(file, labels);
    }

    static String name(Path file) {
        return String.valueOf(file.getFileName());
    }
}
