package org.calibkit.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.calibkit.calibration.OutputKind;

/**
 * A prediction log on Spark read for the monitor: like {@link SparkPredictionLog#read} (the same
 * checks of the id and output columns), but the label is optional (null or absent: no label), the
 * timestamp is required (TIMESTAMP, DATE, integer epoch seconds or ISO-8601 text, as the DuckDB
 * reader takes) and an optional grouping column (model or segment) is kept as text. Each row is
 * decoded on the executors by the {@link Decoder}, whose messages name file, id and column.
 */
public final class MonitorLog {
    private final Dataset<Row> rows;   // id, label|null, time, group|null, outputs..., file
    private final Decoder decoder;

    private MonitorLog(Dataset<Row> rows, Decoder decoder) {
        this.rows = rows;
        this.decoder = decoder;
    }

    /**
     * Reads Parquet at {@code path} and checks its columns.
     *
     * @param group the column to group by (the schema's model or segment column), or null
     * @throws PredictionLogException for a file that is not Parquet, a missing column or a column of the wrong type
     */
    public static MonitorLog read(SparkSession spark, String path, PredictionLogSchema schema, String group) {
        Rows.requireParquet(path);
        Dataset<Row> df;
        try {
            df = spark.read().parquet(path);
        } catch (RuntimeException e) {
            throw new PredictionLogException("cannot read " + path + " as Parquet: " + SparkPredictionLog.firstLine(e), e);
        }
        org.apache.spark.sql.types.StructType st = df.schema();
        SparkPredictionLog.column(st, path, schema.id());
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col(schema.id()));
        boolean labelled = schema.label() != null && List.of(st.fieldNames()).contains(schema.label());
        if (labelled) {
            SparkPredictionLog.requireInteger(path, schema.label(), SparkPredictionLog.column(st, path, schema.label())
                    .dataType());
            cols.add(functions.col(schema.label()));
        } else {
            cols.add(functions.lit(null).cast(DataTypes.IntegerType));
        }
        if (schema.timestamp() == null) {
            throw new PredictionLogException("the schema names no timestamp column; windows by time need one");
        }
        DataType tt = SparkPredictionLog.column(st, path, schema.timestamp()).dataType();
        Column ts = functions.col(schema.timestamp());
        boolean text = false;
        if (tt.equals(DataTypes.TimestampType) || tt.equals(DataTypes.TimestampNTZType)) {
            // whole seconds since the epoch, floored (as DuckDB's floor(epoch(ts)))
            cols.add(functions.floor(functions.unix_micros(ts.cast(DataTypes.TimestampType)).divide(1_000_000L)));
        } else if (tt.equals(DataTypes.DateType)) {
            cols.add(functions.unix_date(ts).cast(DataTypes.LongType).multiply(86_400L));
        } else if (tt.equals(DataTypes.LongType) || tt.equals(DataTypes.IntegerType) || tt.equals(DataTypes.ShortType)
                || tt.equals(DataTypes.ByteType)) {
            cols.add(ts.cast(DataTypes.LongType));
        } else if (tt.equals(DataTypes.StringType)) {
            cols.add(ts);
            text = true;
        } else {
            throw new PredictionLogException("file " + path + ": column " + schema.timestamp() + " has type "
                    + tt.simpleString() + ", expected a timestamp, date, integer epoch seconds or ISO-8601 text");
        }
        if (group != null) {
            SparkPredictionLog.column(st, path, group);
            cols.add(functions.col(group).cast(DataTypes.StringType));
        } else {
            cols.add(functions.lit(null).cast(DataTypes.StringType));
        }
        int k = SparkPredictionLog.selectOutputs(df, path, schema, cols);
        cols.add(functions.col("_metadata.file_path"));
        return new MonitorLog(df.select(cols.toArray(Column[]::new)),
                new Decoder(schema, k, labelled, text, group));
    }

    /** The selected rows: id, label (null where none), seconds or ISO text, group (null without), outputs, file. */
    public Dataset<Row> rows() {
        return rows;
    }

    /** Decodes and validates the {@link #rows()} on executors. */
    public Decoder decoder() {
        return decoder;
    }

    /** The same log in {@code n} partitions (for tests and tuning). */
    public MonitorLog repartition(int n) {
        return new MonitorLog(rows.repartition(n), decoder);
    }

    /** Whether the log has a label column. */
    public boolean labelled() {
        return decoder.labelled;
    }

    /** The number of classes K. */
    public int numClasses() {
        return decoder.k;
    }

    /**
     * Turns a row of {@link #rows()} into checked values; {@link PredictionLogException} naming file,
     * id and column for a null, NaN or out-of-range value. Serializable (it travels in the closure).
     */
    public static final class Decoder implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PredictionLogSchema schema;
        private final int k;
        private final boolean labelled;
        private final boolean textTime;
        private final String group;

        Decoder(PredictionLogSchema schema, int k, boolean labelled, boolean textTime, String group) {
            this.schema = schema;
            this.k = k;
            this.labelled = labelled;
            this.textTime = textTime;
            this.group = group;
        }

        /** The kind of the outputs. */
        public OutputKind kind() {
            return schema.kind();
        }

        /** K. */
        public int numClasses() {
            return k;
        }

        /** Where the row is, for messages. */
        public String where(Row r) {
            return Rows.where(r.get(r.length() - 1), null, r.get(0));
        }

        /** The row's label, or -1 where none arrived. */
        public int label(Row r) {
            return r.isNullAt(1) ? -1 : Rows.label(r.get(1), k, () -> where(r), schema.label());
        }

        /** The row's time in whole seconds since the epoch. */
        public long seconds(Row r) {
            if (r.isNullAt(2)) {
                throw new PredictionLogException(where(r) + ": column " + schema.timestamp() + " is null");
            }
            if (!textTime) {
                return ((Number) r.get(2)).longValue();
            }
            String t = r.getString(2);
            try {
                return java.time.Instant.parse(t).getEpochSecond();
            } catch (java.time.format.DateTimeParseException e) {
                throw new PredictionLogException(where(r) + ": column " + schema.timestamp() + " is '" + t
                        + "', not an ISO-8601 instant such as 2026-12-01T10:00:00Z");
            }
        }

        /** The row's group (the model or segment value), or null when not grouping. */
        public String group(Row r) {
            if (group == null) {
                return null;
            }
            if (r.isNullAt(3)) {
                throw new PredictionLogException(where(r) + ": column " + group + " is null (it is grouped by)");
            }
            return r.getString(3);
        }

        /** The row's K outputs, finite (probabilities in [0, 1] summing to 1). */
        public double[] outputs(Row r) {
            return SparkPredictionLog.outputs(r, 4, k, schema);
        }
    }

    /** Runs a Spark job; a {@link PredictionLogException} thrown in a task comes out as itself. */
    public static <T> T run(java.util.function.Supplier<T> job) {
        return SparkPredictionLog.runJob(job);
    }
}
