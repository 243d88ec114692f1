package org.calibkit.spark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.DuckDbPredictionLog.Summation;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SumMetrics;

/**
 * Benchmark (not a test) of the sum metrics (15 bins) of a prediction log, one engine per JVM so
 * bench/spark.sh can read each one's peak memory. {@code Throughput generate DIR N} writes a
 * seeded synthetic log of N rows x 10 logit columns as Parquet with DuckDB (values from DuckDB's
 * hash of the row and column, so the same N gives the same file) and the same rows as .npy files;
 * {@code Throughput ENGINE DIR N} times one engine on it: {@code duckdb-stream} (rows over JDBC
 * into PartitionState), {@code duckdb-sql} (DuckDbSums), {@code spark} (local[2]) or {@code npy}
 * (calibration's single-machine metrics on the .npy files, read into memory).
 */
public final class Throughput {
    private Throughput() {
    }

    static Path parquet(Path dir, long n) {
        return dir.resolve("log-" + n + ".parquet");
    }

    static PredictionLogSchema schema() {
        List<String> cols = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            cols.add("z" + j);
        }
        return PredictionLogSchema.defaults().withOutputColumns(cols);
    }

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path dir = Path.of(args[1]);
        long n = Long.parseLong(args[2]);
        Path file = parquet(dir, n);
        Path logits = dir.resolve("log-" + n + "-logits.npy");
        Path labels = dir.resolve("log-" + n + "-labels.npy");
        if (engine.equals("generate")) {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                StringBuilder sel = new StringBuilder("SELECT i AS id, (i % 10)::INTEGER AS label");
                for (int j = 0; j < 10; j++) {
                    sel.append(", (hash(i * 10 + ").append(j).append(") % 100000) / 25000.0 + CASE WHEN (i % 10) = ")
                            .append(j).append(" AND hash(i) % 10 < 7 THEN 2.5 ELSE 0.0 END AS z").append(j);
                }
                Path tmp = dir.resolve(".log-" + n + ".parquet.tmp");
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                    s.execute("COPY (" + sel + " FROM range(" + n + ") t(i)) TO '" + tmp + "' (FORMAT parquet)");
                }
                Files.move(tmp, file);
            }
            if (!Files.exists(labels)) {
                DuckDbPredictionLog.Collected c = DuckDbPredictionLog.read(file.toString(), schema()).collect();
                PredictionFiles.writeNpy(logits, c.outputs(), c.n(), c.k());
                PredictionFiles.writeNpy(labels, c.labels());
            }
            return;
        }
        long t0 = System.nanoTime();
        double ece;
        double setup = 0;
        switch (engine) {
            case "duckdb-stream" -> ece = DuckDbPredictionLog.read(file.toString(), schema()).metrics(15, Summation.STREAM).ece();
            case "duckdb-sql" -> ece = DuckDbPredictionLog.read(file.toString(), schema()).metrics(15, Summation.SQL).ece();
            case "spark" -> {
                SparkSession spark = SparkSession.builder().master("local[2]").appName("calibkit-bench")
                        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.ui.enabled", "false").getOrCreate();
                spark.sparkContext().setLogLevel("ERROR");
                setup = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                SumMetrics s = SparkPredictionLog.read(spark, file.toString(), schema()).metrics(15);
                ece = s.ece();
                spark.stop();
            }
            case "npy" -> {
                Logits z = PredictionFiles.readLogits(logits);
                Predictions p = Predictions.of(z, PredictionFiles.readLabels(labels));
                for (String key : List.of("accuracy", "nll", "brier", "mce", "signed_ece", "classwise_ece")) {
                    Metrics.byKey(key).compute(p, 15);
                }
                ece = Metrics.byKey("ece").compute(p, 15);
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        }
        double t = (System.nanoTime() - t0) / 1e9;
        System.out.printf("rows=%d engine=%s wall=%.2f s rows/s=%.0f%s ece=%.15f%n", n, engine, t, n / t,
                setup > 0 ? String.format(" (session start %.2f s not included)", setup) : "", ece);
    }
}
