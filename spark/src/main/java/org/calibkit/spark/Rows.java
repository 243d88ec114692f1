package org.calibkit.spark;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Validation of prediction-log values shared by the engines; every message names file, row and
 * column. Where a row is comes as a {@link Supplier}, so its text is built only for a message:
 * building it for every row cost more than reading the row.
 */
final class Rows {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private Rows() {
    }

    /** "file F, row R (id X)": where a row is, for messages. */
    static String where(Object file, Object row, Object id) {
        return "file " + file + (row == null ? "" : ", row " + row) + " (id " + id + ")";
    }

    /** The K outputs of an array column's value, each finite (and in [0, 1] for probabilities). */
    static double[] outputs(List<?> values, int k, boolean probabilities, Supplier<String> where, String column) {
        if (values == null) {
            throw new PredictionLogException(where.get() + ": column " + column + " is null");
        }
        if (values.size() != k) {
            throw new PredictionLogException(where.get() + ": column " + column + " has " + values.size()
                    + " entries, expected " + k + " (the number of classes)");
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = value(values.get(j), probabilities, where, column, j);
        }
        return out;
    }

    /** One output value: a finite number (in [0, 1] for probabilities). */
    static double value(Object v, boolean probability, Supplier<String> where, String column) {
        return value(v, probability, where, column, -1);
    }

    /** Entry {@code index} of an array column (or, for -1, a column of its own), checked as {@link #value}. */
    private static double value(Object v, boolean probability, Supplier<String> where, String column, int index) {
        if (v == null) {
            throw new PredictionLogException(where.get() + ": column " + entry(column, index) + " is null");
        }
        return checked(((Number) v).doubleValue(), probability, where, column, index);
    }

    /** A value read as a double, checked as {@link #value}: entry {@code index} of {@code column} (-1: the column). */
    static double checked(double d, boolean probability, Supplier<String> where, String column, int index) {
        if (Double.isFinite(d) && (!probability || (d >= 0 && d <= 1))) {
            return d;
        }
        if (!Double.isFinite(d)) {
            throw new PredictionLogException(where.get() + ": column " + entry(column, index) + " is " + d
                    + ", expected a finite number");
        }
        throw new PredictionLogException(where.get() + ": column " + entry(column, index) + " is " + d
                + ", expected a probability in [0, 1]");
    }

    /** The message for a null entry {@code index} of {@code column} (-1: the column). */
    static PredictionLogException isNull(Supplier<String> where, String column, int index) {
        return new PredictionLogException(where.get() + ": column " + entry(column, index) + " is null");
    }

    private static String entry(String column, int index) {
        return index < 0 ? column : column + "[" + index + "]";
    }

    /** Probabilities must sum to 1 within calibration's tolerance. */
    static void sumsToOne(double[] p, Supplier<String> where, String column) {
        double s = 0;
        for (double x : p) {
            s += x;
        }
        if (Math.abs(s - 1) > org.calibkit.calibration.Probabilities.SUM_TOLERANCE) {
            throw new PredictionLogException(where.get() + ": column " + column + " sums to " + s
                    + ", expected probabilities summing to 1");
        }
    }

    /** A label in [0, K). */
    static int label(Object v, int k, Supplier<String> where, String column) {
        if (v == null) {
            throw new PredictionLogException(where.get() + ": column " + column + " is null (a label is required)");
        }
        long l = ((Number) v).longValue();
        if (l < 0 || l >= k) {
            throw new PredictionLogException(where.get() + ": column " + column + " is " + l + ", expected a class in [0, "
                    + k + ")");
        }
        return (int) l;
    }

    /**
     * For a local file or directory: every data file (not starting with '.' or '_') starts and
     * ends with the Parquet magic "PAR1". Other paths (cluster URLs) are left to the engine.
     */
    static void requireParquet(String path) {
        if (path.contains("://")) {
            return;
        }
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw new PredictionLogException("file " + path + " does not exist");
        }
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                List<Path> files = s.filter(f -> Files.isRegularFile(f)).filter(f -> {
                    String n = f.getFileName().toString();
                    return !n.startsWith(".") && !n.startsWith("_");
                }).sorted().toList();
                if (files.isEmpty()) {
                    throw new PredictionLogException("directory " + path + " holds no Parquet files");
                }
                files.forEach(Rows::requireMagic);
            } catch (IOException e) {
                throw new PredictionLogException("cannot list directory " + path + ": " + e.getMessage(), e);
            }
        } else {
            requireMagic(p);
        }
    }

    private static void requireMagic(Path f) {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            long len = r.length();
            byte[] head = new byte[4];
            byte[] tail = new byte[4];
            if (len >= 12) {
                r.readFully(head);
                r.seek(len - 4);
                r.readFully(tail);
            }
            if (len < 12 || !java.util.Arrays.equals(head, MAGIC) || !java.util.Arrays.equals(tail, MAGIC)) {
                throw new PredictionLogException("file " + f + " is not a Parquet file (no PAR1 magic at its start and end)");
            }
        } catch (IOException e) {
            throw new PredictionLogException("cannot read file " + f + ": " + e.getMessage(), e);
        }
    }
}
