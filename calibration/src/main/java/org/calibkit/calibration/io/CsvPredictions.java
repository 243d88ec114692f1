package org.calibkit.calibration.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Saved predictions as CSV: comma-separated, an optional header line (a first line that is not all
 * numbers), one row per prediction; labels are a single column of integers. Errors name the file,
 * the line and the column.
 */
final class CsvPredictions {
    private CsvPredictions() {
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName());
    }

    /**
     * The lines of a text file: UTF-8 (a byte-order mark is skipped), or UTF-16 when it starts
     * with a UTF-16 byte-order mark (what Excel's "Unicode text" and PowerShell write). Anything
     * else that is not UTF-8 is refused with the byte offset of the first bad byte.
     */
    private static List<String> csvLines(Path file) {
        byte[] b;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(name(file) + ": " + Files.size(file) + " bytes is too large for a CSV file");
            }
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        java.nio.charset.Charset cs = StandardCharsets.UTF_8;
        int start = 0;
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            start = 3;
        } else if (b.length >= 2 && ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF)) {
            cs = (b[0] & 0xFF) == 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
            start = 2;
        }
        if (cs == StandardCharsets.UTF_8) {
            for (int i = start; i < b.length; i++) {
                if (b[i] == 0) { // valid UTF-8, but never in a text file: UTF-16 (or binary) without a byte-order mark
                    throw new IllegalArgumentException(name(file) + ": not UTF-8 text: a zero byte at byte offset " + i
                            + " (it looks like UTF-16 without a byte-order mark, or a binary file); save it as UTF-8");
                }
            }
        }
        java.nio.charset.CharsetDecoder dec = cs.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b, start, b.length - start);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L, (long) b.length + 1));
        java.nio.charset.CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            throw new IllegalArgumentException(name(file) + ": not " + (cs == StandardCharsets.UTF_8 ? "UTF-8" : cs.name())
                    + " text: invalid byte sequence at byte offset " + in.position() + "; save it as UTF-8");
        }
        out.flip();
        return out.toString().lines().toList();
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

    static PredictionFiles.Matrix readMatrix(Path file) {
        String fn = name(file);
        DataLines d = new DataLines(file);
        int cols = -1;
        int rows = 0;
        double[] values = new double[1024];
        int nv = 0;
        while (d.next()) {
            String[] fields = d.fields();
            if (cols < 0) {
                cols = fields.length;
            } else if (fields.length != cols) {
                throw new IllegalArgumentException(fn + ": line " + d.number() + ": expected " + cols
                        + " comma-separated values like the first data line, but got " + fields.length);
            }
            for (int c = 0; c < fields.length; c++) {
                String t = fields[c].trim();
                double v;
                try {
                    v = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(fn + ": line " + d.number() + ", column " + (c + 1)
                            + ": expected a number, got '" + t + "'");
                }
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(fn + ": line " + d.number() + ", column " + (c + 1)
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
        return new PredictionFiles.Matrix(java.util.Arrays.copyOf(values, nv), rows, cols);
    }

    /** The data lines of a CSV file (after its header, if any), split at commas with empty fields kept, one at a time. */
    private static final class DataLines {
        private final List<String> lines;
        private int li;
        private String[] fields;

        DataLines(Path file) {
            this.lines = csvLines(file);
            this.li = firstDataLine(lines) - 1;
        }

        /** All lines of the file, header and blank ones included. */
        int size() {
            return lines.size();
        }

        /** Moves to the next non-blank line; false at the end. */
        boolean next() {
            while (++li < lines.size()) {
                String line = lines.get(li);
                if (!line.isBlank()) {
                    fields = line.split(",", -1);
                    return true;
                }
            }
            return false;
        }

        /** The current line's comma-separated fields. */
        String[] fields() {
            return fields;
        }

        /** The current line's 1-based number, for messages. */
        int number() {
            return li + 1;
        }
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

    static int[] readLabels(Path file) {
        String fn = name(file);
        DataLines d = new DataLines(file);
        int[] out = new int[Math.max(16, d.size())];
        int n = 0;
        while (d.next()) {
            String[] fields = d.fields();
            if (fields.length != 1) {
                throw new IllegalArgumentException(fn + ": line " + d.number() + ": expected one column of labels, but got "
                        + fields.length + " comma-separated values");
            }
            String t = fields[0].trim();
            try {
                out[n++] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(fn + ": line " + d.number() + ", column 1: expected an integer class label, got '"
                        + t + "'");
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
