package org.calibkit.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;

/**
 * A validated prediction log on Apache Spark: {@link #read} checks the files and the columns of
 * {@link PredictionLogSchema}; {@link #metrics} and {@link #temperature} compute per partition
 * ({@code mapPartitions}) and merge the states on the driver in partition order; states travel
 * between JVMs through Spark's Kryo encoder. A bad row fails the job with a {@link PredictionLogException}
 * naming its file, id and column, before any result exists.
 */
public final class SparkPredictionLog implements PredictionLog {
    private final Dataset<Row> rows;   // id, label, outputs (array or K columns), file
    private final PredictionLogSchema schema;
    private final int k;

    private SparkPredictionLog(Dataset<Row> rows, PredictionLogSchema schema, int k) {
        this.rows = rows;
        this.schema = schema;
        this.k = k;
    }

    /**
     * Reads Parquet at {@code path} (a file or a directory of part files) and checks its columns.
     *
     * @throws PredictionLogException for a file that is not Parquet, a missing column or a column of the wrong type
     */
    public static SparkPredictionLog read(SparkSession spark, String path, PredictionLogSchema schema) {
        Rows.requireParquet(path);
        Dataset<Row> df;
        try {
            df = spark.read().parquet(path);
        } catch (RuntimeException e) {
            throw new PredictionLogException("cannot read " + path + " as Parquet: " + firstLine(e), e);
        }
        StructType st = df.schema();
        column(st, path, schema.id());
        if (schema.label() == null) {
            throw new PredictionLogException("the schema names no label column; the metrics need labels");
        }
        requireInteger(path, schema.label(), column(st, path, schema.label()).dataType());
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col(schema.id()));
        cols.add(functions.col(schema.label()));
        int k = selectOutputs(df, path, schema, cols);
        for (String opt : new String[] {schema.timestamp(), schema.model(), schema.segment()}) {
            if (opt != null) {
                column(st, path, opt);
            }
        }
        cols.add(functions.col("_metadata.file_path"));
        return new SparkPredictionLog(df.select(cols.toArray(Column[]::new)), schema, k);
    }

    /**
     * Checks the schema's output columns of {@code df} (one array column of double or float with
     * at least 2 entries in its first row, or K columns of double or float), adds them to {@code cols}
     * and returns K.
     */
    static int selectOutputs(Dataset<Row> df, String path, PredictionLogSchema schema, List<Column> cols) {
        StructType st = df.schema();
        int k;
        if (schema.arrayOutputs()) {
            DataType t = column(st, path, schema.outputs()).dataType();
            if (!(t instanceof ArrayType at) || !isReal(at.elementType())) {
                throw new PredictionLogException("file " + path + ": column " + schema.outputs() + " has type "
                        + t.simpleString() + ", expected array<double> or array<float>");
            }
            cols.add(functions.col(schema.outputs()));
            Row first = df.select(functions.size(functions.col(schema.outputs()))).first();
            k = first == null ? 0 : first.getInt(0);
            if (k < 2) {
                throw new PredictionLogException("file " + path + ": column " + schema.outputs()
                        + " has " + k + " entries in its first row, expected at least 2 classes");
            }
        } else {
            for (String c : schema.outputColumns()) {
                DataType t = column(st, path, c).dataType();
                if (!isReal(t)) {
                    throw new PredictionLogException("file " + path + ": column " + c + " has type " + t.simpleString()
                            + ", expected double or float");
                }
                cols.add(functions.col(c));
            }
            k = schema.outputColumns().size();
        }
        return k;
    }

    /** The number of classes K. */
    @Override
    public int numClasses() {
        return k;
    }

    /** The same log in {@code n} partitions (for tests and tuning). */
    public SparkPredictionLog repartition(int n) {
        return new SparkPredictionLog(rows.repartition(n), schema, k);
    }

    /** Accuracy, NLL, Brier, ECE, MCE, signed and classwise ECE with {@code bins} equal-width bins. */
    public SumMetrics metrics(int bins) {
        final int kk = k;
        final PredictionLogSchema s = schema;
        MapPartitionsFunction<Row, PartitionState> f = it -> {
            PartitionState st = new PartitionState(kk, bins, s.kind());
            while (it.hasNext()) {
                Row r = it.next();
                st.add(outputs(r, kk, s), label(r, kk, s));
            }
            return Collections.singletonList(st.compact()).iterator();
        };
        return run(() -> {
            // the states come back through the Kryo encoder (calibration's accumulators are not
            // java.io.Serializable) and are merged on the driver in partition order
            PartitionState all = new PartitionState(kk, bins, s.kind());
            rows.mapPartitions(f, Encoders.kryo(PartitionState.class)).collectAsList().forEach(all::merge);
            return all.result();
        });
    }

    /** Temperature scaling by distributed Newton/Halley passes ({@link DistributedTemperature}). */
    public DistributedTemperature.Fit temperature() {
        TemperatureMap m = temperatureMap(new TemperatureScaling());
        return new DistributedTemperature.Fit(m.temperature(), m.nllBefore(), m.nllAfter(), m.iterations(),
                m.converged(), m.bound() != TemperatureMap.Bound.NONE);
    }

    /** The number of rows (one Spark job; no row is validated). */
    @Override
    public long count() {
        return run(rows::count);
    }

    @Override
    public String engine() {
        return "Apache Spark";
    }

    @Override
    public PredictionLogSchema schema() {
        return schema;
    }

    /** {@inheritDoc} One Spark job; the states travel back as Kryo bytes. */
    @Override
    public <S> List<S> fold(Fold<S> fold, Class<S> type) {
        final int kk = k;
        final PredictionLogSchema s = schema;
        // Spark's internal rows, the label as a long and the outputs as doubles (casts of the integer
        // and real types checked at read, so nothing is lost): no external Row with a boxed list per row
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col(rows.columns()[0]));
        cols.add(functions.col(rows.columns()[1]).cast(DataTypes.LongType));
        if (s.arrayOutputs()) {
            cols.add(functions.col(rows.columns()[2]).cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        } else {
            for (int j = 0; j < kk; j++) {
                cols.add(functions.col(rows.columns()[2 + j]).cast(DataTypes.DoubleType));
            }
        }
        cols.add(functions.col(rows.columns()[rows.columns().length - 1]));
        Dataset<Row> typed = rows.select(cols.toArray(Column[]::new));
        final DataType idType = typed.schema().fields()[0].dataType();
        final int fileField = cols.size() - 1;
        org.apache.spark.api.java.JavaRDD<org.apache.spark.sql.catalyst.InternalRow> internal =
                typed.queryExecution().toRdd().toJavaRDD();
        // states travel as Kryo bytes (calibration's accumulators are not java.io.Serializable), as
        // Encoders.kryo would ship them
        scala.reflect.ClassTag<S> tag = scala.reflect.ClassTag$.MODULE$.apply(type);
        List<byte[]> shipped = run(() -> internal.mapPartitions(it -> {
            S st = fold.empty();
            double[] v = new double[kk];
            while (it.hasNext()) {
                org.apache.spark.sql.catalyst.InternalRow r = it.next();
                // typed getters: InternalRow.get(i, type) looks the type up through SQLConf.get, which
                // builds a configuration per call (Spark 4.2: a sixth of a 10M-row audit)
                Object id = r.isNullAt(0) ? null : idType == DataTypes.StringType ? r.getUTF8String(0)
                        : idType == DataTypes.LongType ? (Object) r.getLong(0)
                        : idType == DataTypes.IntegerType ? (Object) r.getInt(0) : r.get(0, idType);
                java.util.function.Supplier<String> where = () -> Rows.where(r.isNullAt(fileField) ? null
                        : r.getUTF8String(fileField).toString(), null, id);
                InternalRows.outputs(r, kk, s, where, v);
                int label = Rows.label(r.isNullAt(1) ? null : r.getLong(1), kk, where, s.label());
                long key = id instanceof org.apache.spark.unsafe.types.UTF8String u
                        ? PredictionLog.rowIdOfUtf8(u.getBytes()) : rowId(id);
                fold.add(st, key, v, label);   // the fold copies what it keeps
            }
            java.nio.ByteBuffer b = new org.apache.spark.serializer.KryoSerializer(org.apache.spark.SparkEnv.get().conf())
                    .newInstance().serialize(fold.finish(st), tag);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return Collections.singletonList(bytes).iterator();
        }).collect());
        org.apache.spark.serializer.SerializerInstance kryo = new org.apache.spark.serializer.KryoSerializer(
                rows.sparkSession().sparkContext().getConf()).newInstance();
        List<S> out = new ArrayList<>();
        for (byte[] bytes : shipped) {
            out.add(kryo.deserialize(java.nio.ByteBuffer.wrap(bytes), tag));
        }
        return out;
    }

    /**
     * Runs a Spark job; a {@link PredictionLogException} thrown in a task comes out as itself
     * (one line naming file, id and column), other failures as they are.
     */
    public static <T> T runJob(java.util.function.Supplier<T> job) {
        return run(job);
    }

    /** {@link PredictionLog#rowId}. */
    public static long rowId(Object id) {
        return PredictionLog.rowId(id);
    }

    private static double[] outputs(Row r, int k, PredictionLogSchema s) {
        return outputs(r, 2, k, s);
    }

    /**
     * A row's K outputs from field {@code first} on (the row's id first, its file last), checked:
     * finite, and for probabilities in [0, 1] summing to 1; messages name file, id and column.
     */
    static double[] outputs(Row r, int first, int k, PredictionLogSchema s) {
        boolean prob = s.kind() == OutputKind.PROBABILITIES;
        java.util.function.Supplier<String> where = () -> Rows.where(r.get(r.length() - 1), null, r.get(0));
        double[] v;
        if (s.arrayOutputs()) {
            v = Rows.outputs(r.isNullAt(first) ? null : r.getList(first), k, prob, where, s.outputs());
        } else {
            v = new double[k];
            for (int j = 0; j < k; j++) {
                v[j] = Rows.value(r.get(first + j), prob, where, s.outputColumns().get(j));
            }
        }
        if (prob) {
            Rows.sumsToOne(v, where, s.arrayOutputs() ? s.outputs() : String.join(",", s.outputColumns()));
        }
        return v;
    }

    private static int label(Row r, int k, PredictionLogSchema s) {
        return Rows.label(r.get(1), k, () -> Rows.where(r.get(r.length() - 1), null, r.get(0)), s.label());
    }

    /** Runs a job; a {@link PredictionLogException} thrown in a task comes out as itself. */
    private static <T> T run(java.util.function.Supplier<T> job) {
        return PredictionLog.runJob(job);
    }

    static StructField column(StructType st, String path, String name) {
        for (StructField f : st.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new PredictionLogException("file " + path + ": no column " + name + " (columns: "
                + String.join(", ", st.fieldNames()) + ")");
    }

    static boolean isReal(DataType t) {
        return t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
    }

    static void requireInteger(String path, String name, DataType t) {
        if (!(t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.ShortType)
                || t.equals(DataTypes.ByteType))) {
            throw new PredictionLogException("file " + path + ": column " + name + " has type " + t.simpleString()
                    + ", expected an integer class label");
        }
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
