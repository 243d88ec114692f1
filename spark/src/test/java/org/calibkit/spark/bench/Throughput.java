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

/**
 * Benchmark (not a test) of the sum metrics (15 bins) of a prediction log, one engine per JVM so
 * bench/spark.sh can read each one's peak memory. {@code Throughput generate DIR N} writes a
 * seeded synthetic log of N rows x 10 logit columns as Parquet with DuckDB (values from DuckDB's
 * hash of the row and column, so the same N gives the same file) and the same rows as .npy files;
 * {@code Throughput ENGINE DIR N} times one engine on it: {@code duckdb-stream} (rows over JDBC
 * into PartitionState), {@code duckdb-sql} (DuckDbSums), {@code spark} (local[2]) or {@code npy}
 * (calibration's single-machine metrics on the .npy files, read into memory). Prints wall time,
 * the process's CPU time over the same span (all threads) and rows per second of each, for a
 * first (cold) and a second (warm) pass in the same JVM. {@code Throughput generate-audit DIR N}
 * writes the logs of bench/spark.sh's full audits ({@link #auditLogs}).
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

    /**
     * The test log of the audit benchmark, {@code audit-N.parquet}, and its validation log,
     * {@code audit-val.parquet} (20,000 rows), as a deployed model's log looks: text ids
     * ({@code "p0"}, ...), an integer label and the 10 logits as one array column. Logits are 1.6 x
     * (2.2 on a signal class + standard normal noise), the signal a wrong class for 12% of rows:
     * about 65% right and underconfident, so temperature scaling has something to repair. Seeded
     * ({@code setseed}), written once.
     */
    static void auditLogs(Path dir, long n) throws Exception {
        Files.createDirectories(dir);
        Object[][] logs = {{dir.resolve("audit-" + n + ".parquet"), n, "0.1"}, {dir.resolve("audit-val.parquet"), 20000L, "0.2"}};
        for (Object[] log : logs) {
            Path file = (Path) log[0];
            if (Files.exists(file)) {
                continue;
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                s.execute("SELECT setseed(" + log[2] + ")");
                s.execute("COPY (SELECT 'p' || i AS id, label, list_transform(range(10), lambda j: 1.6 * ((CASE WHEN j = signal "
                        + "THEN 2.2 ELSE 0 END) + sqrt(-2 * ln(random())) * cos(2 * pi() * random()))) AS logits FROM (SELECT i, "
                        + "label, CASE WHEN random() < 0.12 THEN (label + 1 + floor(random() * 9))::INTEGER % 10 ELSE label END "
                        + "AS signal FROM (SELECT i, floor(random() * 10)::INTEGER AS label FROM range(" + log[1] + ") t(i)))) TO '"
                        + tmp + "' (FORMAT parquet)");
            }
            Files.move(tmp, file);
        }
    }

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path dir = Path.of(args[1]);
        long n = Long.parseLong(args[2]);
        Path file = parquet(dir, n);
        Path logits = dir.resolve("log-" + n + "-logits.npy");
        Path labels = dir.resolve("log-" + n + "-labels.npy");
        if (engine.equals("generate-audit")) {
            auditLogs(dir, n);
            return;
        }
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
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        SparkSession spark = null;
        if (engine.equals("spark")) {
            long s0 = System.nanoTime();
            spark = SparkSession.builder().master("local[2]").appName("calibkit-bench")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            System.out.printf("rows=%d engine=spark session start %.2f s%n", n, (System.nanoTime() - s0) / 1e9);
        }
        // twice in the same JVM: the first pass includes class loading and JIT warm-up, the
        // second is what a long-running executor or service sees
        for (String pass : List.of("cold", "warm")) {
            long t0 = System.nanoTime();
            long cpu0 = os.getProcessCpuTime();
            double ece = switch (engine) {
                case "duckdb-stream" -> DuckDbPredictionLog.read(file.toString(), schema()).metrics(15, Summation.STREAM).ece();
                case "duckdb-sql" -> DuckDbPredictionLog.read(file.toString(), schema()).metrics(15, Summation.SQL).ece();
                case "spark" -> SparkPredictionLog.read(spark, file.toString(), schema()).metrics(15).ece();
                case "npy" -> {
                    Logits z = PredictionFiles.readLogits(logits);
                    Predictions p = Predictions.of(z, PredictionFiles.readLabels(labels));
                    for (String key : List.of("accuracy", "nll", "brier", "mce", "signed_ece", "classwise_ece")) {
                        Metrics.byKey(key).compute(p, 15);
                    }
                    yield Metrics.byKey("ece").compute(p, 15);
                }
                default -> throw new IllegalArgumentException("unknown engine " + engine);
            };
            double t = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;   // every thread of the process, DuckDB's native ones too
            System.out.printf("rows=%d engine=%s %s wall=%.2f s rows/s=%.0f cpu=%.2f s rows/cpu-s=%.0f ece=%.15f%n", n,
                    engine, pass, t, n / t, cpu, n / cpu, ece);
        }
        if (spark != null) {
            spark.stop();
        }
    }
}
