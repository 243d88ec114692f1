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

/**
 * A validated prediction log on Apache Spark: {@link #read} checks the files and the columns of
 * {@link PredictionLogSchema}; {@link #metrics} and {@link #temperature} compute per partition
 * ({@code mapPartitions}) and merge the states on the driver in partition order; states travel
 * between JVMs through Spark's Kryo encoder. A bad row fails the job with a {@link PredictionLogException}
 * naming its file, id and column, before any result exists.
 */
public final class SparkPredictionLog {
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
        for (String opt : new String[] {schema.timestamp(), schema.model(), schema.segment()}) {
            if (opt != null) {
                column(st, path, opt);
            }
        }
        cols.add(functions.col("_metadata.file_path"));
        return new SparkPredictionLog(df.select(cols.toArray(Column[]::new)), schema, k);
    }

    /** The number of classes K. */
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

    /** Temperature scaling by distributed Newton/Halley passes ({@link DistributedTemperature}); logits only. */
    public DistributedTemperature.Fit temperature() {
        if (schema.kind() != OutputKind.LOGITS) {
            throw new PredictionLogException("temperature scaling needs logits, but the schema says " + schema.kind().id());
        }
        final int kk = k;
        final PredictionLogSchema s = schema;
        return run(() -> DistributedTemperature.fit(beta -> {
            MapPartitionsFunction<Row, TemperatureMoments> f = it -> {
                TemperatureMoments m = new TemperatureMoments(beta);
                while (it.hasNext()) {
                    Row r = it.next();
                    m.add(outputs(r, kk, s), label(r, kk, s));
                }
                return Collections.singletonList(m).iterator();
            };
            TemperatureMoments all = new TemperatureMoments(beta);
            rows.mapPartitions(f, Encoders.kryo(TemperatureMoments.class)).collectAsList().forEach(all::merge);
            return all;
        }));
    }

    private static double[] outputs(Row r, int k, PredictionLogSchema s) {
        boolean prob = s.kind() == OutputKind.PROBABILITIES;
        String where = Rows.where(r.get(r.length() - 1), null, r.get(0));
        double[] v;
        if (s.arrayOutputs()) {
            v = Rows.outputs(r.isNullAt(2) ? null : r.getList(2), k, prob, where, s.outputs());
        } else {
            v = new double[k];
            for (int j = 0; j < k; j++) {
                v[j] = Rows.value(r.get(2 + j), prob, where, s.outputColumns().get(j));
            }
        }
        if (prob) {
            Rows.sumsToOne(v, where, s.arrayOutputs() ? s.outputs() : String.join(",", s.outputColumns()));
        }
        return v;
    }

    private static int label(Row r, int k, PredictionLogSchema s) {
        return Rows.label(r.get(1), k, Rows.where(r.get(r.length() - 1), null, r.get(0)), s.label());
    }

    /** Runs a job; a {@link PredictionLogException} thrown in a task comes out as itself. */
    static <T> T run(java.util.function.Supplier<T> job) {
        try {
            return job.get();
        } catch (PredictionLogException e) {
            throw e;
        } catch (Exception e) {   // Spark throws its checked SparkException from Scala code
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof PredictionLogException p) {
                    throw new PredictionLogException(p.getMessage(), e);
                }
            }
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf(PredictionLogException.class.getName() + ": ");
            if (at >= 0) {
                String rest = m.substring(at + PredictionLogException.class.getName().length() + 2);
                throw new PredictionLogException(rest.lines().findFirst().orElse(rest), e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the Spark job failed: " + firstLine(e), e);
        }
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
