package org.calibkit.cli.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.calibkit.core.CalibkitException;

/**
 * A prediction log as CSV with a header: {@code id} and {@code timestamp} (ISO-8601 instant or
 * epoch seconds) and {@code label} (empty when not known yet) where present, every other column
 * one of the model's outputs, in class order. Labels that arrive later come as a second CSV
 * {@code id,label}, joined by id. Every error names the file and the line.
 *
 * @param ids        one per row (the row number when there is no id column)
 * @param timestamps epoch seconds per row, or null when there is no timestamp column
 * @param outputs    n x K values, row-major
 * @param k          output columns
 * @param labels     one per row, -1 where unknown
 */
public record LogCsv(List<String> ids, long[] timestamps, double[] outputs, int k, int[] labels) {

    /** Whether {@code file} is a CSV whose first line is a header naming an {@code id} or {@code timestamp} column. */
    public static boolean hasHeader(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") || !Files.isRegularFile(file)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null) {
                return false;
            }
            List<String> cols = List.of(first.replace("\uFEFF", "").split(",", -1));
            return cols.stream().map(String::trim).anyMatch(c -> c.equals("id") || c.equals("timestamp"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Reads the log; {@code lateLabels} (id,label CSV, or null) fills in labels by id. */
    public static LogCsv read(Path file, Path lateLabels) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CalibkitException("prediction log " + file + " cannot be read as UTF-8 CSV: " + e.getMessage(), e);
        }
        String[] header = lines.get(0).replace("\uFEFF", "").split(",", -1);
        int idCol = -1;
        int tsCol = -1;
        int labelCol = -1;
        List<Integer> outCols = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            switch (header[c].trim()) {
                case "id" -> idCol = c;
                case "timestamp" -> tsCol = c;
                case "label" -> labelCol = c;
                default -> outCols.add(c);
            }
        }
        int k = outCols.size();
        if (k < 2) {
            throw new CalibkitException("prediction log " + file + " line 1: expected at least 2 output columns besides "
                    + "id, timestamp and label, but the header names " + k);
        }
        List<String> ids = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        double[] out = new double[Math.max(0, lines.size() - 1) * k];
        int n = 0;
        for (int li = 1; li < lines.size(); li++) {
            String line = lines.get(li);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            String where = "prediction log " + file + " line " + (li + 1);
            if (f.length != header.length) {
                throw new CalibkitException(where + ": " + f.length + " fields, but the header has " + header.length);
            }
            ids.add(idCol >= 0 ? f[idCol].trim() : Integer.toString(n));
            if (tsCol >= 0) {
                ts.add(timestamp(f[tsCol].trim(), where));
            }
            for (int j = 0; j < k; j++) {
                try {
                    out[n * k + j] = Double.parseDouble(f[outCols.get(j)].trim());
                } catch (NumberFormatException e) {
                    throw new CalibkitException(where + ", column " + header[outCols.get(j)].trim() + ": '"
                            + f[outCols.get(j)].trim() + "' is not a number");
                }
                if (!Double.isFinite(out[n * k + j])) {
                    throw new CalibkitException(where + ", column " + header[outCols.get(j)].trim() + ": not finite");
                }
            }
            labels.add(labelCol >= 0 ? label(f[labelCol].trim(), k, where) : -1);
            n++;
        }
        if (n == 0) {
            throw new CalibkitException("prediction log " + file + " has a header but no rows");
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        if (lateLabels != null) {
            join(lateLabels, ids, y, k);
        }
        return new LogCsv(ids, tsCol >= 0 ? ts.stream().mapToLong(Long::longValue).toArray() : null,
                java.util.Arrays.copyOf(out, n * k), k, y);
    }

    static void join(Path file, List<String> ids, int[] y, int k) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (row.put(ids.get(i), i) != null) {
                throw new CalibkitException("the prediction log has id '" + ids.get(i) + "' twice; labels cannot be joined by id");
            }
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CalibkitException("labels " + file + " cannot be read as UTF-8 CSV: " + e.getMessage(), e);
        }
        for (int li = 0; li < lines.size(); li++) {
            String line = lines.get(li).replace("\uFEFF", "");
            if (line.isBlank() || (li == 0 && line.trim().equals("id,label"))) {
                continue;
            }
            String[] f = line.split(",", -1);
            String where = "labels " + file + " line " + (li + 1);
            if (f.length != 2) {
                throw new CalibkitException(where + ": expected id,label but got " + f.length + " fields");
            }
            Integer i = row.get(f[0].trim());
            if (i == null) {
                throw new CalibkitException(where + ": id '" + f[0].trim() + "' is not in the prediction log");
            }
            y[i] = label(f[1].trim(), k, where);
        }
    }

    private static int label(String s, int k, String where) {
        if (s.isEmpty()) {
            return -1;
        }
        try {
            int v = Integer.parseInt(s);
            if (v < 0 || v >= k) {
                throw new CalibkitException(where + ": label " + v + " is outside [0, " + k + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CalibkitException(where + ": label '" + s + "' is not an integer");
        }
    }

    static long timestamp(String s, String where) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).getEpochSecond();
            } catch (DateTimeParseException x) {
                throw new CalibkitException(where + ": timestamp '" + s + "' is neither epoch seconds nor an ISO-8601 "
                        + "instant such as 2026-12-01T10:00:00Z");
            }
        }
    }

    /** Windows of {@code seconds} by timestamp, earliest first, each named by its start (ISO-8601). */
    public List<org.calibkit.report.monitor.Monitor.Slice> timeWindows(long seconds) {
        return timeWindows(timestamps, seconds);
    }

    /** Windows of {@code seconds} over rows with these timestamps, earliest first, each named by its start (ISO-8601). */
    static List<org.calibkit.report.monitor.Monitor.Slice> timeWindows(long[] timestamps, long seconds) {
        java.util.TreeMap<Long, List<Integer>> buckets = new java.util.TreeMap<>();
        for (int i = 0; i < timestamps.length; i++) {
            buckets.computeIfAbsent(Math.floorDiv(timestamps[i], seconds), b -> new ArrayList<>()).add(i);
        }
        List<org.calibkit.report.monitor.Monitor.Slice> out = new ArrayList<>();
        buckets.forEach((b, rows) -> out.add(new org.calibkit.report.monitor.Monitor.Slice(
                Instant.ofEpochSecond(b * seconds).toString(), rows.stream().mapToInt(Integer::intValue).toArray())));
        return out;
    }
}
