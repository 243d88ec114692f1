package org.calibkit.calibration.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * Reads and writes saved predictions: logits or probabilities (n x K matrices) and labels
 * (length n), as NumPy {@code .npy} or CSV files, chosen by the file extension.
 *
 * <p><b>.npy</b> (format versions 1.0, 2.0, 3.0): dtypes float32, float64 (matrices) and int32,
 * int64 (labels), little- or big-endian, C order; Fortran order is refused. <b>.csv</b>:
 * comma-separated, an optional header line (a first line that is not all numbers), one row per
 * prediction; labels are a single column of integers.
 *
 * <p>Every error is an {@link IllegalArgumentException} that starts with the file name and says
 * where (line and column, row and class, or byte offset) and what was expected; an unreadable
 * file is an {@link UncheckedIOException}. Writes go to a temporary file in the same directory
 * that is then moved into place, so a failed write never leaves a half-written file.
 */
public final class PredictionFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private PredictionFiles() {
    }

    /** Logits (n x K, K &gt;= 2, finite) from a .npy or .csv file. */
    public static Logits readLogits(Path file) {
        Matrix m = readMatrix(file);
        try {
            return Logits.of(m.values, m.rows, m.cols);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Probabilities (n x K, values in [0, 1]) from a .npy or .csv file.
     *
     * @param normalized true when each row must sum to 1 (softmax outputs), false for
     *                   independent one-vs-rest probabilities
     */
    public static Probabilities readProbabilities(Path file, boolean normalized) {
        Matrix m = readMatrix(file);
        try {
            return Probabilities.of(m.values, m.rows, m.cols, normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(file) + ": " + e.getMessage(), e);
        }
    }

    /** Integer class labels (non-negative) from a 1-D integer .npy file or a one-column .csv file. */
    public static int[] readLabels(Path file) {
        Objects.requireNonNull(file, "file");
        int[] labels;
        if (isNpy(file)) {
            Npy a = readNpy(file);
            if (a.shape.length != 1 || !a.isInteger()) {
                throw new IllegalArgumentException(name(file) + ": expected a 1-D integer array, got shape "
                        + a.shapeString() + " " + a.dtypeName());
            }
            labels = new int[a.longs.length];
            for (int i = 0; i < labels.length; i++) {
                long v = a.longs[i];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name(file) + ": label " + v + " at index " + i
                            + " does not fit a 32-bit class index");
                }
                labels[i] = (int) v;
            }
        } else {
            labels = readCsvLabels(file);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException(name(file) + ": expected at least one label, but the file has none");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(name(file) + ": expected non-negative class labels, but got "
                        + labels[i] + " at index " + i);
            }
        }
        return labels;
    }

    // ---------------------------------------------------------------- writing

    /** Writes logits as a float64 .npy file of shape (n, K). */
    public static void writeNpy(Path file, Logits logits) {
        writeNpy(file, logits.raw(), logits.n(), logits.k());
    }

    /** Writes probabilities as a float64 .npy file of shape (n, K). */
    public static void writeNpy(Path file, Probabilities p) {
        writeNpy(file, p.raw(), p.n(), p.k());
    }

    /** Writes a row-major n x k matrix as a little-endian float64 .npy file (format 1.0, C order). */
    public static void writeNpy(Path file, double[] rowMajor, int n, int k) {
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
    public static void writeNpy(Path file, int[] labels) {
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

    // ---------------------------------------------------------------- reading internals

    private record Matrix(double[] values, int rows, int cols) {
    }

    private static Matrix readMatrix(Path file) {
        Objects.requireNonNull(file, "file");
        if (isNpy(file)) {
            Npy a = readNpy(file);
            if (a.shape.length != 2 || a.isInteger()) {
                throw new IllegalArgumentException(name(file) + ": expected a 2-D float32 or float64 array (rows x classes), got shape "
                        + a.shapeString() + " " + a.dtypeName());
            }
            if (a.shape[0] > Integer.MAX_VALUE || a.shape[1] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name(file) + ": shape " + a.shapeString() + " is too large");
            }
            return new Matrix(a.doubles, (int) a.shape[0], (int) a.shape[1]);
        }
        return readCsvMatrix(file);
    }

    private static boolean isNpy(Path file) {
        String n = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return true;
        }
        if (n.endsWith(".csv") || n.endsWith(".txt")) {
            return false;
        }
        throw new IllegalArgumentException(name(file) + ": expected a .npy or .csv file");
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName());
    }

    /** A parsed .npy array: either doubles (float dtypes) or longs (integer dtypes). */
    private static final class Npy {
        final String descr;
        final long[] shape;
        double[] doubles;
        long[] longs;

        Npy(String descr, long[] shape) {
            this.descr = descr;
            this.shape = shape;
        }

        boolean isInteger() {
            return descr.charAt(1) == 'i';
        }

        String dtypeName() {
            return (isInteger() ? "int" : "float") + (Integer.parseInt(descr.substring(2)) * 8);
        }

        String shapeString() {
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

    private static Npy readNpy(Path file) {
        String fn = name(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
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
            Npy a = parseHeader(fn, header, headerStart);
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
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(fn + ": " + count + " values are too many for one array");
            }
            readData(ch, a, (int) count, item, dataStart, fn);
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
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

    private static Npy parseHeader(String fn, String header, int offset) {
        String where = " in the .npy header at byte offset " + offset + ": " + header.trim();
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw new IllegalArgumentException(fn + ": no 'descr'" + where);
        }
        String descr = d.group(1);
        if (descr.length() == 3 && descr.charAt(0) == '=') {
            descr = "<" + descr.substring(1);
        }
        if (!descr.matches("[<>](f4|f8|i4|i8)")) {
            throw new IllegalArgumentException(fn + ": unsupported dtype '" + descr
                    + "' (expected float32, float64, int32 or int64: '<f4', '<f8', '<i4', '<i8' or big-endian '>')");
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
        return new Npy(descr, shape);
    }

    private static void readData(FileChannel ch, Npy a, int count, int item, long start, String fn) throws IOException {
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

    // ---------------------------------------------------------------- CSV

    private static List<String> csvLines(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static Matrix readCsvMatrix(Path file) {
        String fn = name(file);
        List<String> lines = csvLines(file);
        int first = firstDataLine(lines);
        int cols = -1;
        int rows = 0;
        double[] values = new double[1024];
        int nv = 0;
        for (int li = first; li < lines.size(); li++) {
            String line = lines.get(li);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (cols < 0) {
                cols = fields.length;
            } else if (fields.length != cols) {
                throw new IllegalArgumentException(fn + ": line " + (li + 1) + ": expected " + cols
                        + " comma-separated values like the first data line, but got " + fields.length);
            }
            for (int c = 0; c < fields.length; c++) {
                String t = fields[c].trim();
                double v;
                try {
                    v = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(fn + ": line " + (li + 1) + ", column " + (c + 1)
                            + ": expected a number, got '" + t + "'");
                }
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(fn + ": line " + (li + 1) + ", column " + (c + 1)
                            + ": expected a finite number, got '" + t + "'");
                }
                if (nv == values.length) {
                    values = java.util.Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
                }
                values[nv++] = v;
            }
            rows++;
        }
        if (rows == 0) {
            throw new IllegalArgumentException(fn + ": expected at least one data line, but the file has none");
        }
        return new Matrix(java.util.Arrays.copyOf(values, nv), rows, cols);
    }

    /** Index of the first data line: line 0, or line 1 when line 0 is a header (not all numbers). */
    private static int firstDataLine(List<String> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        String l0 = lines.get(0);
        if (!l0.isEmpty() && l0.charAt(0) == '\uFEFF') {
            l0 = l0.substring(1);
            lines.set(0, l0);
        }
        return allNumbers(l0.split(",", -1)) ? 0 : 1;
    }

    private static int[] readCsvLabels(Path file) {
        String fn = name(file);
        List<String> lines = csvLines(file);
        int first = firstDataLine(lines);
        int[] out = new int[Math.max(16, lines.size())];
        int n = 0;
        for (int li = first; li < lines.size(); li++) {
            String line = lines.get(li);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 1) {
                throw new IllegalArgumentException(fn + ": line " + (li + 1) + ": expected one column of labels, but got "
                        + fields.length + " comma-separated values");
            }
            String t = fields[0].trim();
            try {
                out[n++] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(fn + ": line " + (li + 1) + ", column 1: expected an integer class label, got '"
                        + t + "'");
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
