package org.calibkit.spark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.calibkit.calibration.OutputKind;

/**
 * The fast read of a log's rows through DuckDB for the streamed audit: only typed numeric columns
 * cross JDBC (the outputs as K doubles, the label and, for an integer id, the id as longs). DuckDB
 * JDBC turns every text cell into a Java string, which costs more than the rest of the row, so no
 * file name travels with the rows (a bad row's file and row number are looked up when its message
 * is made, by its position in the scan, which keeps the files' order), and a text id is read only
 * because the bootstrap keys on it ({@link PredictionLog#rowId}, as on Spark). Rows are
 * checked as {@link Rows} checks them, with the same messages.
 */
final class DuckDbScan {
    private DuckDbScan() {
    }

    /** Takes one validated row; {@code outputs} is reused between rows. */
    interface Sink {
        void row(long id, double[] outputs, int label);
    }

    /**
     * Hands every row of {@code source} (a DuckDB {@code read_parquet(...)}) to {@code sink} in
     * scan order.
     *
     * @param integerId whether the id column has an integer type (read as a long, else as text)
     */
    static void scan(String path, String source, PredictionLogSchema schema, int k, boolean integerId, Sink sink) {
        String id = DuckDbPredictionLog.ident(schema.id());
        StringBuilder q = new StringBuilder("SELECT ").append(integerId ? "CAST(" + id + " AS BIGINT)" : "CAST(" + id + " AS VARCHAR)")
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
        q.append(" FROM ").append(source);
        boolean prob = schema.kind() == OutputKind.PROBABILITIES;
        int first = schema.arrayOutputs() ? 4 : 3;
        String sumColumn = schema.arrayOutputs() ? schema.outputs() : String.join(",", schema.outputColumns());
        double[] v = new double[k];
        try (Connection c = DuckDbPredictionLog.open(); Statement s = c.createStatement()) {
            s.setFetchSize(8192);
            try (ResultSet rs = s.executeQuery(q.toString())) {
                long row = 0;
                while (rs.next()) {
                    long at = row++;
                    Object idValue;
                    long key;
                    if (integerId) {
                        long l = rs.getLong(1);
                        idValue = rs.wasNull() ? null : l;
                    } else {
                        idValue = rs.getString(1);
                    }
                    key = PredictionLog.rowId(idValue);
                    Supplier<String> where = () -> where(path, source, at, idValue);
                    long label = rs.getLong(2);
                    int y = Rows.label(rs.wasNull() ? null : label, k, where, schema.label());
                    if (schema.arrayOutputs()) {
                        long len = rs.getLong(3);
                        if (rs.wasNull()) {
                            throw Rows.isNull(where, schema.outputs(), -1);
                        }
                        if (len != k) {
                            throw new PredictionLogException(where.get() + ": column " + schema.outputs() + " has " + len
                                    + " entries, expected " + k + " (the number of classes)");
                        }
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
                        Rows.sumsToOne(v, where, sumColumn);
                    }
                    sink.row(key, v, y);
                }
            }
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** "file F, row R (id X)" for the row at {@code position} of the scan (DuckDB keeps the files' order). */
    private static String where(String path, String source, long position, Object id) {
        try (Connection c = DuckDbPredictionLog.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT filename, file_row_number FROM " + source + " LIMIT 1 OFFSET " + position)) {
            if (rs.next()) {
                return Rows.where(rs.getString(1), rs.getLong(2), id);
            }
        } catch (SQLException e) {
            // fall through: the position still says which row
        }
        return Rows.where(path, position, id);
    }
}
