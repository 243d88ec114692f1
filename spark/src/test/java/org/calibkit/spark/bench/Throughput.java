package org.calibkit.spark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SumMetrics;

/**
 * Benchmark (not a test): writes a seeded synthetic log of N rows x 10 logit columns as Parquet
 * with DuckDB (values from DuckDB's hash of the row and column, so the same N gives the same
 * file), then times the sum metrics (15 bins) through DuckDB and through Spark local[2], printing
 * wall time and rows per second. Usage: {@code Throughput DIR N...}.
 */
public final class Throughput {
    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("calibkit-bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        List<String> cols = new ArrayList<>();
        StringBuilder sel = new StringBuilder("SELECT i AS id, (i % 10)::INTEGER AS label");
        for (int j = 0; j < 10; j++) {
            cols.add("z" + j);
            sel.append(", (hash(i * 10 + ").append(j).append(") % 100000) / 25000.0 + CASE WHEN (i % 10) = ")
                    .append(j).append(" AND hash(i) % 10 < 7 THEN 2.5 ELSE 0.0 END AS z").append(j);
        }
        PredictionLogSchema schema = PredictionLogSchema.defaults().withOutputColumns(cols);
        for (int a = 1; a < args.length; a++) {
            long n = Long.parseLong(args[a]);
            Path file = dir.resolve("log-" + n + ".parquet");
            if (!Files.exists(file)) {
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                    s.execute("COPY (" + sel + " FROM range(" + n + ") t(i)) TO '" + file + "' (FORMAT parquet)");
                }
            }
            long t0 = System.nanoTime();
            SumMetrics d = DuckDbPredictionLog.read(file.toString(), schema).metrics(15);
            double duck = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            SumMetrics s = SparkPredictionLog.read(spark, file.toString(), schema).metrics(15);
            double sp = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rows=%d duckdb-stream: %.2f s (%.0f rows/s) spark-local[2]: %.2f s (%.0f rows/s)"
                    + " ece duckdb=%.15f spark=%.15f%n", n, duck, n / duck, sp, n / sp, d.ece(), s.ece());
        }
        spark.stop();
    }
}
