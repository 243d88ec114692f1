// Over 400 lines: one reader of a prediction log through DuckDB: the column checks and the three reads (sums, rows for the audit, rows for the monitor) share its connection, quoting and row checks.
package org.calibkit.spark;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.calibkit.calibration.OutputKind;

/**
 * A validated prediction log on one machine through embedded DuckDB (its JDBC driver reads
 * Parquet without Hadoop): {@link #read} checks the files and the column types, {@link #metrics}
 * and {@link #temperature} stream the rows over JDBC into the same {@link PartitionState} and
 * {@link TemperatureMoments} as the Spark path. Error messages name the file, the row (DuckDB's
 * {@code file_row_number}, from 0) and the id.
 */
public final class DuckDbPredictionLog implements PredictionLog {
    private final String path;
    private final String source;
    private final PredictionLogSchema schema;
    private final int k;
    private final boolean integerId;
    /** The rows read once for {@link #fold}, or null before the first fold (or when they do not fit the heap). */
    private LocalRows rows;
    private long count = -1;
    /** The files and their rows (from the footers), in scan order; null until first needed. */
    private List<DuckDbScan.Segment> files;

    private DuckDbPredictionLog(String path, String source, PredictionLogSchema schema, int k, boolean integerId) {
        this.path = path;
        this.source = source;
        this.schema = schema;
        this.k = k;
        this.integerId = integerId;
    }

    /**
     * Checks the Parquet file (or directory of part files) at {@code path} and its columns.
     *
     * @throws PredictionLogException for a file that is not Parquet, a missing column or a column of the wrong type
     */
    public static DuckDbPredictionLog read(String path, PredictionLogSchema schema) {
        Rows.requireParquet(path);
        return read(path, schema, types(path));
    }

    /** Every column of the file(s) and its DuckDB type, in order. */
    private static Map<String, String> types(String path) {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source(path))) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read " + path + " as Parquet: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return types;
    }

    private static String source(String path) {
        return "read_parquet(" + literal(glob(path)) + ", filename = true, file_row_number = true)";
    }

    private static String glob(String path) {
        return java.nio.file.Files.isDirectory(java.nio.file.Path.of(path)) ? path + "/*.parquet" : path;
    }

    /** The checks of {@link #read} on the file's column types. */
    private static DuckDbPredictionLog read(String path, PredictionLogSchema schema, Map<String, String> types) {
        String source = source(path);
        boolean integerId = INTEGERS.contains(type(types, path, schema.id()));
        if (schema.label() == null) {
            throw new PredictionLogException("the schema names no label column; the metrics need labels");
        }
        String lt = type(types, path, schema.label());
        if (!INTEGERS.contains(lt)) {
            throw new PredictionLogException("file " + path + ": column " + schema.label() + " has type " + lt
                    + ", expected an integer class label");
        }
        int k;
        if (schema.arrayOutputs()) {
            String t = type(types, path, schema.outputs());
            if (!t.equals("DOUBLE[]") && !t.equals("FLOAT[]")) {
                throw new PredictionLogException("file " + path + ": column " + schema.outputs() + " has type " + t
                        + ", expected DOUBLE[] or FLOAT[]");
            }
            try (Connection c = open(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT len(" + ident(schema.outputs()) + ") FROM " + source + " LIMIT 1")) {
                k = rs.next() ? rs.getInt(1) : 0;
            } catch (SQLException e) {
                throw new PredictionLogException("cannot read " + path + ": " + e.getMessage(), e);
            }
            if (k < 2) {
                throw new PredictionLogException("file " + path + ": column " + schema.outputs() + " has " + k
                        + " entries in its first row, expected at least 2 classes");
            }
        } else {
            for (String col : schema.outputColumns()) {
                String t = type(types, path, col);
                if (!t.equals("DOUBLE") && !t.equals("FLOAT")) {
                    throw new PredictionLogException("file " + path + ": column " + col + " has type " + t
                            + ", expected DOUBLE or FLOAT");
                }
            }
            k = schema.outputColumns().size();
        }
        for (String opt : new String[] {schema.timestamp(), schema.model(), schema.segment()}) {
            if (opt != null) {
                type(types, path, opt);
            }
        }
        return new DuckDbPredictionLog(path, source, schema, k, integerId);
    }

    private static final List<String> INTEGERS = List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT");

    /** The number of classes K. */
    @Override
    public int numClasses() {
        return k;
    }

    @Override
    public PredictionLogSchema schema() {
        return schema;
    }

    @Override
    public String engine() {
        return "DuckDB";
    }

    /** The number of rows (from the Parquet footers; no row is validated). */
    @Override
    public synchronized long count() {
        if (count < 0) {
            count = files().stream().mapToLong(DuckDbScan.Segment::rows).sum();
        }
        return count;
    }

    /**
     * {@inheritDoc} The first fold reads the rows once through DuckDB ({@link DuckDbScan}) into
     * memory when they take at most half of the heap ({@link LocalRows}); later folds run over
     * them on every core. A log too large for that is read again by each fold, a part per core.
     */
    @Override
    public <S> List<S> fold(Fold<S> fold, Class<S> type) {
        LocalRows r = loaded();
        if (r != null) {
            return r.fold(fold);
        }
        List<java.util.function.Supplier<S>> tasks = new java.util.ArrayList<>();
        for (List<DuckDbScan.Segment> part : parts()) {
            tasks.add(() -> {
                S st = fold.empty();
                DuckDbScan.scan(path, part, schema, k, integerId, (id, v, label) -> fold.add(st, id, v, label));
                return fold.finish(st);
            });
        }
        return tasks.isEmpty() ? List.of(fold.finish(fold.empty())) : LocalRows.inParallel(tasks);
    }

    /**
     * Reads and checks every row now, into memory when the rows take at most half of the heap
     * (else each fold reads the file again); what the first {@link #fold} does otherwise.
     *
     * @return whether the rows are held in memory
     * @throws PredictionLogException naming the file, row and id of the first bad row
     */
    public boolean load() {
        return loaded() != null;
    }

    private synchronized LocalRows loaded() {
        if (rows == null && LocalRows.bytes(count(), k) <= Runtime.getRuntime().maxMemory() / 2) {
            LocalRows r = new LocalRows(k, count());
            List<java.util.function.Supplier<Void>> tasks = new java.util.ArrayList<>();
            long start = 0;
            for (List<DuckDbScan.Segment> part : parts()) {
                long rowsIn = part.stream().mapToLong(DuckDbScan.Segment::rows).sum();
                DuckDbScan.Sink sink = r.region((int) start, (int) (start + rowsIn));
                tasks.add(() -> {
                    DuckDbScan.scan(path, part, schema, k, integerId, sink);
                    return null;
                });
                start += rowsIn;
            }
            if (!tasks.isEmpty()) {
                LocalRows.inParallel(tasks);
            }
            rows = r;
        }
        return rows;
    }

    /** The rows cut into one contiguous part per core, each read by its own connection and thread. */
    private List<List<DuckDbScan.Segment>> parts() {
        return DuckDbScan.split(files(), Runtime.getRuntime().availableProcessors());
    }

    private synchronized List<DuckDbScan.Segment> files() {
        if (files == null) {
            files = DuckDbScan.files(path, glob(path));
        }
        return files;
    }

    /** How {@link #metrics(int, Summation)} computes the sums. */
    public enum Summation {
        /** Rows streamed over JDBC into {@link PartitionState} on one Java thread. */
        STREAM,
        /** One SQL aggregation inside DuckDB on all its threads ({@link DuckDbSums}). */
        SQL
    }

    /** The same metrics as {@link SparkPredictionLog#metrics}, by the faster summation (measured: {@link Summation#SQL}). */
    public SumMetrics metrics(int bins) {
        return metrics(bins, Summation.SQL);
    }

    /**
     * The same metrics as {@link SparkPredictionLog#metrics}, summed as asked. {@link Summation#SQL}
     * streams the log instead when it finds a bad row, so both throw the same message.
     */
    public SumMetrics metrics(int bins, Summation summation) {
        if (bins < 1) {
            throw new IllegalArgumentException("Expected bins >= 1, but got " + bins);
        }
        if (summation == Summation.SQL) {
            try (Connection c = open()) {
                SumMetrics m = DuckDbSums.metrics(c, source, schema, k, bins);
                if (m != null) {
                    return m;
                }
            } catch (SQLException e) {
                throw new PredictionLogException("cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
        PartitionState st = new PartitionState(k, bins, schema.kind());
        stream(row -> st.add(row.outputs, row.label));
        return st.result();
    }

    /** Temperature scaling, one streamed pass per iteration; logits only. */
    public DistributedTemperature.Fit temperature() {
        if (schema.kind() != OutputKind.LOGITS) {
            throw new PredictionLogException("temperature scaling needs logits, but the schema says " + schema.kind().id());
        }
        return DistributedTemperature.fit(beta -> {
            TemperatureMoments m = new TemperatureMoments(beta);
            stream(row -> m.add(row.outputs, row.label));
            return m;
        });
    }

    /**
     * Every row of the log in file order, for an audit on one machine: the outputs as the schema
     * says they are (logits or probabilities, validated as {@link #metrics} validates them) and the
     * labels. Holds 8 bytes x K per row in memory (10 million rows of 10 classes: 800 MB); the
     * streamed {@link #metrics} need none.
     *
     * @throws PredictionLogException naming the file, row and id of the first bad row
     */
    public Collected collect() {
        double[][] chunk = {new double[1 << 16]};
        int[][] labels = {new int[1 << 12]};
        int[] n = {0};
        stream(row -> {
            int i = n[0];
            if ((long) (i + 1) * k > Integer.MAX_VALUE - 8) {
                throw new PredictionLogException("file " + path + ": more than " + i + " rows do not fit one audit in "
                        + "memory; use the streamed metrics (Spark or DuckDB) for a log this large");
            }
            if ((i + 1) * k > chunk[0].length) {
                chunk[0] = Arrays.copyOf(chunk[0], Math.max((i + 1) * k, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * chunk[0].length)));
            }
            if (i == labels[0].length) {
                labels[0] = Arrays.copyOf(labels[0], 2 * labels[0].length);
            }
            System.arraycopy(row.outputs, 0, chunk[0], i * k, k);
            labels[0][i] = row.label;
            n[0]++;
        });
        if (n[0] == 0) {
            throw new PredictionLogException("file " + path + " has no rows");
        }
        return new Collected(Arrays.copyOf(chunk[0], n[0] * k), n[0], k, Arrays.copyOf(labels[0], n[0]), schema.kind());
    }

    /**
     * The rows of a log.
     *
     * @param outputs n x K values, row-major, of {@code kind}
     * @param n       rows
     * @param k       classes
     * @param labels  one label in [0, K) per row
     * @param kind    logits or probabilities
     */
    public record Collected(double[] outputs, int n, int k, int[] labels, OutputKind kind) {
    }

    private record Parsed(double[] outputs, int label) {
    }

    private void stream(Consumer<Parsed> sink) {
        StringBuilder q = new StringBuilder("SELECT ").append(ident(schema.id())).append(", ")
                .append(ident(schema.label()));
        select(path, source, schema, k, q, 2, (rs, where) -> {
            int label = Rows.label(rs.getObject(2), k, where, schema.label());
            sink.accept(new Parsed(outputs(rs, 3, schema, k, where), label));
        });
    }

    /** One row of a query, and where it is in the files (for messages). */
    private interface RowReader {
        void read(ResultSet rs, java.util.function.Supplier<String> where) throws SQLException;
    }

    /**
     * Runs {@code SELECT <leading>, <the outputs>, filename, file_row_number FROM source}, where {@code q}
     * holds the {@code leading} columns (the id first), and hands every row to {@code row}.
     */
    private static void select(String path, String source, PredictionLogSchema schema, int k, StringBuilder q, int leading,
                               RowReader row) {
        if (schema.arrayOutputs()) {
            q.append(", ").append(ident(schema.outputs()));
        } else {
            schema.outputColumns().forEach(c -> q.append(", ").append(ident(c)));
        }
        q.append(", filename, file_row_number FROM ").append(source);
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.setFetchSize(8192);
            try (ResultSet rs = s.executeQuery(q.toString())) {
                int fileCol = schema.arrayOutputs() ? leading + 2 : leading + 1 + k;
                while (rs.next()) {
                    row.read(rs, () -> {
                        try {
                            return Rows.where(rs.getString(fileCol), rs.getLong(fileCol + 1), rs.getObject(1));
                        } catch (SQLException e) {
                            return "a row (" + e.getMessage() + ")";
                        }
                    });
                }
            }
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * What a monitor reads from a log in the schema's columns: the id (as text), the outputs, the
     * label where the log has one (the column may be absent or null in rows whose label has not
     * arrived: -1 there), and the timestamp in epoch seconds when the schema's timestamp column is
     * in the file (TIMESTAMP, TIMESTAMP WITH TIME ZONE, DATE, an integer of epoch seconds, or
     * ISO-8601 text). Unlike {@link #read}, labels and timestamps are optional.
     *
     * @param ids        one per row, in file order
     * @param outputs    n x K, of the schema's kind
     * @param labels     per row, -1 where none; null when the log has no label column
     * @param timestamps epoch seconds per row, or null when the schema names no timestamp column
     * @throws PredictionLogException naming the file, row and id of what is wrong
     */
    public record Monitored(List<String> ids, double[] outputs, int n, int k, int[] labels, long[] timestamps) {
    }

    /** Reads a log for {@code calibkit monitor}: see {@link Monitored}. */
    public static Monitored readForMonitor(String path, PredictionLogSchema schema) {
        Rows.requireParquet(path);
        String source = source(path);
        Map<String, String> types = types(path);
        boolean labelled = schema.label() != null && types.containsKey(schema.label());
        PredictionLogSchema full = labelled ? schema : new PredictionLogSchema(schema.id(), null, schema.outputs(),
                schema.outputColumns(), "label", null, null, schema.kind());
        // the checks of read(...) for id and outputs (a placeholder label column when there is none)
        Map<String, String> checked = new LinkedHashMap<>(types);
        if (!labelled) {
            checked.put("label", "INTEGER");
        }
        int k = read(path, full, checked).k;
        String ts = null;
        if (schema.timestamp() != null && types.containsKey(schema.timestamp())) {
            String t = type(types, path, schema.timestamp());
            String col = ident(schema.timestamp());
            if (t.startsWith("TIMESTAMP") || t.equals("DATE")) {
                ts = "CAST(floor(epoch(" + col + ")) AS BIGINT)";
            } else if (List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT").contains(t)) {
                ts = "CAST(" + col + " AS BIGINT)";
            } else if (t.equals("VARCHAR")) {
                ts = col;
            } else {
                throw new PredictionLogException("file " + path + ": column " + schema.timestamp() + " has type " + t
                        + ", expected a TIMESTAMP, DATE, integer epoch seconds or ISO-8601 text");
            }
        }
        StringBuilder q = new StringBuilder("SELECT CAST(").append(ident(schema.id())).append(" AS VARCHAR), ")
                .append(labelled ? ident(schema.label()) : "NULL").append(", ").append(ts == null ? "NULL" : ts);
        final class Read {
            final List<String> ids = new java.util.ArrayList<>();
            double[] out = new double[1 << 16];
            int[] labels = new int[1 << 12];
            long[] times = new long[1 << 12];
            int n = 0;
        }
        Read r = new Read();
        String tsExpr = ts;
        select(path, source, schema, k, q, 3, (rs, where) -> {
            int n = r.n;
            if ((long) (n + 1) * k > Integer.MAX_VALUE - 8) {
                throw new PredictionLogException("file " + path + ": more than " + n + " rows do not fit one "
                        + "monitor run in memory");
            }
            if ((n + 1) * k > r.out.length) {
                r.out = Arrays.copyOf(r.out, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max((n + 1L) * k, 2L * r.out.length)));
            }
            if (n == r.labels.length) {
                r.labels = Arrays.copyOf(r.labels, 2 * n);
                r.times = Arrays.copyOf(r.times, 2 * n);
            }
            Object label = rs.getObject(2);
            r.labels[n] = label == null ? -1 : Rows.label(label, k, where, schema.label());
            if (tsExpr != null) {
                Object t = rs.getObject(3);
                if (t == null) {
                    throw new PredictionLogException(where.get() + ": column " + schema.timestamp() + " is null");
                }
                if (t instanceof Number num) {
                    r.times[n] = num.longValue();
                } else {
                    try {
                        r.times[n] = java.time.Instant.parse(t.toString()).getEpochSecond();
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new PredictionLogException(where.get() + ": column " + schema.timestamp() + " is '" + t
                                + "', not an ISO-8601 instant such as 2026-12-01T10:00:00Z");
                    }
                }
            }
            System.arraycopy(outputs(rs, 4, schema, k, where), 0, r.out, n * k, k);
            r.ids.add(rs.getString(1));
            r.n++;
        });
        int n = r.n;
        if (n == 0) {
            throw new PredictionLogException("file " + path + " has no rows");
        }
        return new Monitored(List.copyOf(r.ids), Arrays.copyOf(r.out, n * k), n, k, labelled ? Arrays.copyOf(r.labels, n) : null,
                ts == null ? null : Arrays.copyOf(r.times, n));
    }

    /**
     * One row's K outputs from column {@code first} on (one array column, or K numeric ones),
     * validated as the schema's kind says (probabilities in [0, 1] summing to 1).
     */
    private static double[] outputs(ResultSet rs, int first, PredictionLogSchema schema, int k,
                                    java.util.function.Supplier<String> where)
            throws SQLException {
        boolean prob = schema.kind() == OutputKind.PROBABILITIES;
        double[] v;
        if (schema.arrayOutputs()) {
            Array a = rs.getArray(first);
            v = Rows.outputs(a == null ? null : Arrays.asList((Object[]) a.getArray()), k, prob, where, schema.outputs());
        } else {
            v = new double[k];
            for (int j = 0; j < k; j++) {
                v[j] = Rows.value(rs.getObject(first + j), prob, where, schema.outputColumns().get(j));
            }
        }
        if (prob) {
            Rows.sumsToOne(v, where, schema.arrayOutputs() ? schema.outputs() : "outputs");
        }
        return v;
    }

    /**
     * An in-memory DuckDB whose result sets stream ({@code jdbc_stream_results}): without it the
     * driver materialises a whole result before the first row (the streamed metrics' memory grew
     * with the log: 1.1 GB peak at 1M rows, 2.3 GB at 3M in bench/spark.sh).
     */
    static Connection open() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbc_stream_results", "true");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    private static String type(Map<String, String> types, String path, String name) {
        String t = types.get(name);
        if (t == null) {
            throw new PredictionLogException("file " + path + ": no column " + name + " (columns: "
                    + String.join(", ", types.keySet().stream().filter(n -> !n.equals("filename")
                    && !n.equals("file_row_number")).toList()) + ")");
        }
        return t;
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
