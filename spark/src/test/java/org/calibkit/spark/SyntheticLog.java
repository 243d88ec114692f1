package org.calibkit.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.calibkit.calibration.Logits;

/** Seeded synthetic logits of a miscalibrated K-class model, held in memory and written as Parquet by Spark. */
public final class SyntheticLog {
    public final int n;
    public final int k;
    public final double[] logits;   // row-major
    public final int[] labels;

    public SyntheticLog(int n, int k, long seed) {
        this.n = n;
        this.k = k;
        Random r = new Random(seed);
        logits = new double[n * k];
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            int predicted = r.nextDouble() < 0.7 ? labels[i] : r.nextInt(k);
            for (int j = 0; j < k; j++) {
                logits[i * k + j] = 2.5 * r.nextGaussian() + (j == predicted ? 4.0 : 0.0);
            }
        }
    }

    /** Writes id, label and logits (array column, or columns z0..z{K-1}) as Parquet in {@code files} part files. */
    public void write(SparkSession spark, String dir, int files, boolean arrayColumn) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("label", DataTypes.IntegerType, false)));
        if (arrayColumn) {
            fields.add(DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), true));
        } else {
            for (int j = 0; j < k; j++) {
                fields.add(DataTypes.createStructField("z" + j, DataTypes.DoubleType, false));
            }
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object[] v = new Object[arrayColumn ? 3 : 2 + k];
            v[0] = (long) i;
            v[1] = labels[i];
            double[] row = Arrays.copyOfRange(logits, i * k, (i + 1) * k);
            if (arrayColumn) {
                v[2] = Arrays.stream(row).boxed().toArray(Double[]::new);
            } else {
                for (int j = 0; j < k; j++) {
                    v[2 + j] = row[j];
                }
            }
            rows.add(RowFactory.create(v));
        }
        spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(files).write().parquet(dir);
    }

    /**
     * Writes id, label and the outputs (logits, or their softmax when {@code probabilities}) as one
     * Parquet file through DuckDB, from a CSV of Java's shortest round-trip decimals (so DuckDB
     * reads back exactly these doubles); an array column {@code logits} or columns z0..z{K-1}.
     */
    public void writeWithDuckDb(java.nio.file.Path file, boolean arrayColumn, boolean probabilities)
            throws java.io.IOException, java.sql.SQLException {
        double[] v = probabilities ? Logits.of(logits, n, k).softmax().raw() : logits;
        java.nio.file.Path csv = file.resolveSibling(file.getFileName() + ".csv");
        StringBuilder head = new StringBuilder("id,label");
        for (int j = 0; j < k; j++) {
            head.append(",z").append(j);
        }
        try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(csv)) {
            w.write(head + "\n");
            for (int i = 0; i < n; i++) {
                w.write(i + "," + labels[i]);
                for (int j = 0; j < k; j++) {
                    w.write("," + v[i * k + j]);
                }
                w.write("\n");
            }
        }
        String outputs = arrayColumn ? "[" + String.join(", ", columnNames()) + "]::DOUBLE[] AS logits"
                : String.join(", ", columnNames().stream().map(c -> c + "::DOUBLE AS " + c).toList());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement s = c.createStatement()) {
            s.execute("COPY (SELECT id::BIGINT AS id, label::INTEGER AS label, " + outputs + " FROM read_csv('" + csv
                    + "', header = true, all_varchar = true)) TO '" + file + "' (FORMAT parquet)");
        }
        java.nio.file.Files.delete(csv);
    }

    public List<String> columnNames() {
        List<String> c = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            c.add("z" + j);
        }
        return c;
    }
}
