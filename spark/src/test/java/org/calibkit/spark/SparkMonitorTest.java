package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.calibkit.calibration.Logits;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;
import org.calibkit.spark.monitor.SparkMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor on Spark equals the single-machine {@link Monitor} on the same rows: the expected
 * values are {@code Monitor.run} over the in-memory log, cut into the same hour windows here by
 * {@code floorDiv(timestamp, 3600)} (the point is the equality of the two paths): window names,
 * first rows, row and label counts, unfamiliar shares, class-mix p-values and realised accuracy
 * exactly, the double sums (mean confidence, estimates, ECE) to 1e-12 relative.
 */
class SparkMonitorTest {
    static final long HOUR = 3600;
    static final long T0 = 1_796_000_400L;   // 2026-11-30T10:20:00Z: windows do not start at the first row
    @TempDir
    static Path dir;
    static SyntheticLog log;
    static long[] times;
    static String[] models;
    static int[] labels;   // -1: not arrived
    static Reference ref;
    static String path;
    static final MonitorOptions O = MonitorOptions.defaults();
    static final PredictionLogSchema SCHEMA = PredictionLogSchema.defaults().withTimestamp("timestamp").withModel("model");

    @BeforeAll
    static void write() {
        SparkSession spark = TestSpark.get();
        SyntheticLog validation = new SyntheticLog(2000, 5, 11L);
        ref = Reference.fit(Logits.of(validation.logits, validation.n, validation.k), validation.labels, O);
        log = new SyntheticLog(2400, 5, 20261203L);
        times = new long[log.n];
        models = new String[log.n];
        labels = new int[log.n];
        java.util.Random r = new java.util.Random(5);
        long t = T0;
        for (int i = 0; i < log.n; i++) {
            t += r.nextInt(20);   // in time order, about 5 rows a minute: 6 or 7 hour windows
            times[i] = t;
            models[i] = r.nextDouble() < 0.6 ? "v1" : "v2";
            labels[i] = i % 3 == 0 ? -1 : log.labels[i];
        }
        path = dir.resolve("log").toString();
        writeLog(spark, path, DataTypes.LongType, i -> false, 3);
    }

    /** Writes the log with its timestamp column of {@code timeType}; rows {@code nan} get a NaN output. */
    static void writeLog(SparkSession spark, String to, DataType timeType, IntPredicate nan, int files) {
        writeLog(spark, to, timeType, nan, i -> false, files);
    }

    /** {@link #writeLog}, with a null model on rows {@code nullModel}. */
    static void writeLog(SparkSession spark, String to, DataType timeType, IntPredicate nan, IntPredicate nullModel,
                         int files) {
        List<StructField> fields = List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("timestamp", timeType, false),
                DataTypes.createStructField("model", DataTypes.StringType, true),
                DataTypes.createStructField("label", DataTypes.IntegerType, true),
                DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), false));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < log.n; i++) {
            Double[] z = Arrays.stream(Arrays.copyOfRange(log.logits, i * log.k, (i + 1) * log.k)).boxed()
                    .toArray(Double[]::new);
            if (nan.test(i)) {
                z[1] = Double.NaN;
            }
            Object ts = timeType.equals(DataTypes.LongType) ? (Object) times[i]
                    : timeType.equals(DataTypes.StringType) ? java.time.Instant.ofEpochSecond(times[i]).toString()
                    : (Object) (double) times[i];
            rows.add(RowFactory.create((long) i, ts, nullModel.test(i) ? null : models[i], labels[i] < 0 ? null : labels[i],
                    z));
        }
        spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(files).write().parquet(to);
    }

    /** The single-machine monitor of the rows {@code keep}, in log order, in hour windows. */
    static MonitorResult onOneMachine(IntPredicate keep) {
        int[] idx = java.util.stream.IntStream.range(0, log.n).filter(keep).toArray();
        Logits z = Logits.of(log.logits, log.n, log.k).select(idx);
        int[] y = Arrays.stream(idx).map(i -> labels[i]).toArray();
        TreeMap<Long, List<Integer>> buckets = new TreeMap<>();
        for (int j = 0; j < idx.length; j++) {
            buckets.computeIfAbsent(Math.floorDiv(times[idx[j]], HOUR), b -> new ArrayList<>()).add(j);
        }
        List<Monitor.Slice> slices = new ArrayList<>();
        buckets.forEach((b, rows) -> slices.add(new Monitor.Slice(java.time.Instant.ofEpochSecond(b * HOUR).toString(),
                rows.stream().mapToInt(Integer::intValue).toArray())));
        return Monitor.run(ref, z, y, slices, "log", "1h", O, line -> { });
    }

    static Map<String, MonitorResult> onSpark(int partitions, String group) {
        MonitorLog m = MonitorLog.read(TestSpark.get(), path, SCHEMA, group);
        if (partitions > 0) {
            m = m.repartition(partitions);
        }
        return SparkMonitor.run(ref, m, HOUR, "log", "1h", O, line -> { });
    }

    static void assertSame(MonitorResult expected, MonitorResult actual) {
        assertEquals(expected.windows().size(), actual.windows().size());
        for (int w = 0; w < expected.windows().size(); w++) {
            MonitorResult.Window e = expected.windows().get(w);
            MonitorResult.Window a = actual.windows().get(w);
            String at = "window " + w;
            assertEquals(e.name(), a.name(), at);
            assertEquals(e.firstRow(), a.firstRow(), at);
            assertEquals(e.rows(), a.rows(), at);
            assertEquals(e.labelled(), a.labelled(), at);
            assertEquals(e.unfamiliarShare(), a.unfamiliarShare(), 0.0, at);
            assertEquals(e.classMixP(), a.classMixP(), 0.0, at);
            assertEquals(e.accuracy(), a.accuracy(), 0.0, at);
            close(e.meanConfidence(), a.meanConfidence(), at);
            close(e.ece(), a.ece(), at);
            assertEquals(e.estimates().size(), a.estimates().size());
            for (int i = 0; i < e.estimates().size(); i++) {
                assertEquals(e.estimates().get(i).estimator(), a.estimates().get(i).estimator());
                close(e.estimates().get(i).accuracy(), a.estimates().get(i).accuracy(), at + " " + e.estimates().get(i));
            }
        }
        assertEquals(expected.alerts().stream().map(x -> x.window() + x.kind()).toList(),
                actual.alerts().stream().map(x -> x.window() + x.kind()).toList());
    }

    static void close(double e, double a, String at) {
        assertEquals(e, a, 1e-12 * Math.max(1, Math.abs(e)), at);
    }

    @Test
    void equalsTheSingleMachineMonitorInAnyPartitioning() {
        MonitorResult expected = onOneMachine(i -> true);
        assertTrue(expected.windows().size() >= 6, "several windows: " + expected.windows().size());
        assertTrue(expected.windows().get(0).labelled() > 0 && expected.windows().get(0).labelled()
                < expected.windows().get(0).rows(), "some labels arrived, not all");
        for (int partitions : new int[] {0, 1, 2, 7}) {
            Map<String, MonitorResult> r = onSpark(partitions, null);
            assertEquals(List.of(""), List.copyOf(r.keySet()));
            assertSame(expected, r.get(""));
        }
    }

    /** ISO-8601 text timestamps give the same windows as epoch seconds; a null in the column grouped by is named. */
    @Test
    void textTimestampsGiveTheSameWindowsAndANullGroupIsNamed() {
        SparkSession spark = TestSpark.get();
        String text = dir.resolve("text-times").toString();
        writeLog(spark, text, DataTypes.StringType, i -> false, i -> i == 99, 2);
        assertSame(onOneMachine(i -> true), SparkMonitor.run(ref, MonitorLog.read(spark, text, SCHEMA, null), HOUR, "log",
                "1h", O, line -> { }).get(""));
        PredictionException e = expect(() -> SparkMonitor.run(ref, MonitorLog.read(spark, text, SCHEMA, "model"), HOUR,
                "log", "1h", O, line -> { }));
        assertTrue(e.message.matches("file \\S+part-\\S+ \\(id 99\\): column model is null \\(it is grouped by\\)"),
                e.message);
    }

    @Test
    void perModelEqualsEachModelsRowsAloneOnOneMachine() {
        Map<String, MonitorResult> r = onSpark(2, "model");
        assertEquals(List.of("v1", "v2"), List.copyOf(r.keySet()));
        for (String g : r.keySet()) {
            assertSame(onOneMachine(i -> models[i].equals(g)), r.get(g));
        }
        int rows = r.values().stream().flatMap(x -> x.windows().stream()).mapToInt(MonitorResult.Window::rows).sum();
        assertEquals(log.n, rows);
    }

    @Test
    void badInputNamesTheColumn() {
        SparkSession spark = TestSpark.get();
        PredictionException e = expect(() -> MonitorLog.read(spark, path, SCHEMA.withTimestamp("ts"), null));
        assertTrue(e.message.startsWith("file " + path + ": no column ts (columns: id, timestamp, model"), e.message);
        String doubles = dir.resolve("double-times").toString();
        writeLog(spark, doubles, DataTypes.DoubleType, i -> false, 1);
        e = expect(() -> MonitorLog.read(spark, doubles, SCHEMA, null));
        assertEquals("file " + doubles + ": column timestamp has type double, expected a timestamp, date, integer "
                + "epoch seconds or ISO-8601 text", e.message);
        String nan = dir.resolve("nan").toString();
        writeLog(spark, nan, DataTypes.LongType, i -> i == 1234, 2);
        e = expect(() -> SparkMonitor.run(ref, MonitorLog.read(spark, nan, SCHEMA, null), HOUR, "nan", "1h", O,
                line -> { }));
        assertTrue(e.message.matches("file \\S+part-\\S+ \\(id 1234\\): column logits\\[1] is NaN, expected a finite "
                + "number"), e.message);
        e = expect(() -> MonitorLog.read(spark, path, SCHEMA, "segment"));
        assertTrue(e.message.startsWith("file " + path + ": no column segment"), e.message);
    }

    record PredictionException(String message) {
    }

    static PredictionException expect(org.junit.jupiter.api.function.Executable x) {
        return new PredictionException(assertThrows(PredictionLogException.class, x).getMessage());
    }
}
