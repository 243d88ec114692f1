package org.calibkit.spark;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.calibkit.calibration.OutputKind;

/**
 * The fast read of a log's rows through DuckDB for the streamed audit, in contiguous parts read
 * side by side (one connection and thread each). A part is a list of {@link Segment}s, runs of
 * one file's rows selected by {@code file_row_number} (DuckDB skips the row groups outside a run,
 * so the parts cost no more together than one scan). Only typed columns cross JDBC: the outputs
 * as K doubles, the label and, for an integer id, the id as longs; a text id as its UTF-8 bytes
 * (DuckDB JDBC turns every text cell into a Java string, which cost 0.9 us a row, more than the
 * rest of the row: bytes cost a fifth of that), hashed by {@link PredictionLog#rowIdOfUtf8} as
 * on Spark. Rows are checked as {@link Rows} checks them, with the same messages, which name
 * the file and its row number.
 */
final class DuckDbScan {
    private DuckDbScan() {
    }

    /** Takes one validated row; {@code outputs} is reused between rows. */
    interface Sink {
        void row(long id, double[] outputs, int label);
    }

    /** Rows {@code [from, to)} of {@code file} (row numbers from 0, as DuckDB's {@code file_row_number}). */
    record Segment(String file, long from, long to) {
        long rows() {
            return to - from;
        }
    }

    /**
     * The Parquet files of {@code glob} with their row counts (from the footers), in the order
     * DuckDB's {@code read_parquet} scans them.
     */
    static List<Segment> files(String path, String glob) {
        List<Segment> files = new ArrayList<>();
        try (Connection c = DuckDbPredictionLog.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT file_name, num_rows FROM parquet_file_metadata("
                     + DuckDbPredictionLog.literal(glob) + ")")) {
            while (rs.next()) {
                files.add(new Segment(rs.getString(1), 0, rs.getLong(2)));
            }
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return files;
    }

    /**
     * {@code files} cut into {@code parts} contiguous parts of (nearly) equal rows, in order; a
     * part may cover several files and a file several parts. Empty parts are dropped.
     */
    static List<List<Segment>> split(List<Segment> files, int parts) {
        long total = files.stream().mapToLong(Segment::rows).sum();
        List<List<Segment>> out = new ArrayList<>();
        long start = 0;   // global position of the current file's first row
        int f = 0;
        for (int p = 0; p < parts; p++) {
            long lo = total * p / parts;
            long hi = total * (p + 1) / parts;
            List<Segment> part = new ArrayList<>();
            while (f < files.size() && lo < hi) {
                Segment file = files.get(f);
                long end = start + file.rows();
                if (lo >= end) {
                    start = end;
                    f++;
                    continue;
                }
                long to = Math.min(hi, end);
                part.add(new Segment(file.file(), lo - start, to - start));
                lo = to;
                if (to == end) {
                    start = end;
                    f++;
                }
            }
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    /**
     * Hands every row of {@code part} to {@code sink} in order.
     *
     * @param integerId whether the id column has an integer type (read as a long, else as text)
     * @throws PredictionLogException for a bad row (naming file, row and id), or when a segment
     *                                holds other rows than its footer said (the file changed)
     */
    static void scan(String path, List<Segment> part, PredictionLogSchema schema, int k, boolean integerId, Sink sink) {
        String id = DuckDbPredictionLog.ident(schema.id());
        StringBuilder q = new StringBuilder("SELECT ").append(integerId ? "CAST(" + id + " AS BIGINT)"
                        : "encode(CAST(" + id + " AS VARCHAR))")
                .append(", CAST(").append(DuckDbPredictionLog.ident(schema.label())).append(" AS BIGINT)");
        if (schema.arrayOutputs()) {
            String col = DuckDbPredictionLog.ident(schema.outputs());
            q.append(", len(").append(col).append(")");
            for (int j = 1; j <= k; j++) {
                q.append(", CAST(").append(col).append('[').append(j).append("] AS DOUBLE)");
            }
        } else {
            schema.outputColumns().forEach(c -> q.append(", CAST(").append(DuckDbPredictionLog.ident(c)).append(" AS DOUBLE)"));
        }
        String select = q.toString();
        double[] v = new double[k];
        try (Connection c = DuckDbPredictionLog.open(); Statement s = c.createStatement()) {
            s.setFetchSize(8192);
            for (Segment seg : part) {
                String sql = select + " FROM read_parquet(" + DuckDbPredictionLog.literal(seg.file())
                        + ", file_row_number = true) WHERE file_row_number >= " + seg.from() + " AND file_row_number < " + seg.to();
                long row = seg.from();
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        if (row == seg.to()) {
                            throw changed(seg);
                        }
                        row(rs, seg.file(), row++, schema, k, integerId, v, sink);
                    }
                }
                if (row != seg.to()) {
                    throw changed(seg);
                }
            }
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static PredictionLogException changed(Segment seg) {
        return new PredictionLogException("file " + seg.file() + " holds other rows than its footer said when the log "
                + "was counted (rows " + seg.from() + " to " + seg.to() + "): was it written to while being read?");
    }

    private static void row(ResultSet rs, String file, long at, PredictionLogSchema schema, int k, boolean integerId,
                            double[] v, Sink sink) throws SQLException {
        boolean prob = schema.kind() == OutputKind.PROBABILITIES;
        Object idValue;
        long key;
        if (integerId) {
            long l = rs.getLong(1);
            idValue = rs.wasNull() ? null : l;
            key = PredictionLog.rowId(idValue);
        } else {
            byte[] utf8 = rs.getBytes(1);
            idValue = utf8;
            key = utf8 == null ? PredictionLog.rowId(null) : PredictionLog.rowIdOfUtf8(utf8);
        }
        Supplier<String> where = () -> Rows.where(file, at,
                idValue instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : idValue);
        long label = rs.getLong(2);
        int y = Rows.label(rs.wasNull() ? null : label, k, where, schema.label());
        int first = 3;
        if (schema.arrayOutputs()) {
            long len = rs.getLong(3);
            if (rs.wasNull()) {
                throw Rows.isNull(where, schema.outputs(), -1);
            }
            if (len != k) {
                throw new PredictionLogException(where.get() + ": column " + schema.outputs() + " has " + len
                        + " entries, expected " + k + " (the number of classes)");
            }
            first = 4;
        }
        for (int j = 0; j < k; j++) {
            double d = rs.getDouble(first + j);
            String col = schema.arrayOutputs() ? schema.outputs() : schema.outputColumns().get(j);
            int index = schema.arrayOutputs() ? j : -1;
            if (rs.wasNull()) {
                throw Rows.isNull(where, col, index);
            }
            v[j] = Rows.checked(d, prob, where, col, index);
        }
        if (prob) {
            Rows.sumsToOne(v, where, schema.arrayOutputs() ? schema.outputs() : String.join(",", schema.outputColumns()));
        }
        sink.row(key, v, y);
    }
}
