package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad prediction logs fail with one line naming the file and the column or row, on both engines. */
class BadInputTest {
    @TempDir
    Path dir;

    private static final StructType GOOD = BadLogs.GOOD;

    private String write(String name, StructType schema, List<Row> rows) {
        String p = dir.resolve(name).toString();
        TestSpark.get().createDataFrame(rows, schema).coalesce(1).write().parquet(p);
        return p;
    }

    private static List<Row> rows(Row bad) {
        return BadLogs.twoGoodRowsAnd(bad);
    }

    /** Both engines throw one line containing every fragment; returns the Spark message. */
    private static void assertBoth(String path, PredictionLogSchema schema, String... fragments) {
        SparkSession spark = TestSpark.get();
        List<Function<String, SumMetrics>> engines = List.of(
                p -> SparkPredictionLog.read(spark, p, schema).metrics(10),
                p -> DuckDbPredictionLog.read(p, schema).metrics(10));
        for (Function<String, SumMetrics> engine : engines) {
            PredictionLogException e = assertThrows(PredictionLogException.class, () -> engine.apply(path));
            BadLogs.assertOneLine(e.getMessage(), fragments);
        }
        // DuckDB's fast scan for the streamed audit (typed columns only, the file looked up for the message)
        PredictionLogException e = assertThrows(PredictionLogException.class,
                () -> DuckDbPredictionLog.read(path, schema).fold(new CountRows(), long[].class));
        BadLogs.assertOneLine(e.getMessage(), fragments);
    }

    /** The number of rows: a fold that only makes the engine read and check every row. */
    record CountRows() implements PredictionLog.Fold<long[]> {
        @Override
        public long[] empty() {
            return new long[1];
        }

        @Override
        public void add(long[] s, long id, double[] outputs, int label) {
            s[0]++;
        }
    }

    @Test
    void nanOutputNamesFileIdAndColumn() {
        String p = write("nan", GOOD, rows(RowFactory.create(42L, 2, new Double[] {1.0, Double.NaN, 0.0})));
        assertBoth(p, PredictionLogSchema.defaults(), "part-", "id 42", "logits[1]", "NaN");
    }

    @Test
    void labelOutOfRangeNamesIdAndValue() {
        String p = write("label", GOOD, rows(RowFactory.create(7L, 3, new Double[] {1.0, 0.0, 0.0})));
        assertBoth(p, PredictionLogSchema.defaults(), "id 7", "column label is 3", "[0, 3)");
    }

    @Test
    void wrongLengthArrayNamesRow() {
        String p = write("short", GOOD, rows(RowFactory.create(9L, 0, new Double[] {1.0, 0.0})));
        assertBoth(p, PredictionLogSchema.defaults(), "id 9", "has 2 entries, expected 3");
    }

    @Test
    void missingColumnIsNamedWithTheColumnsThere() {
        String p = write("missing", GOOD, rows(RowFactory.create(2L, 0, new Double[] {1.0, 0.0, 0.0})));
        assertBoth(p, PredictionLogSchema.defaults().withLabel("y"), "no column y", "columns: id, label, logits");
    }

    @Test
    void wrongTypeIsNamed() {
        StructType doubleLabel = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("label", DataTypes.DoubleType, true),
                DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), true)));
        String p = write("type", doubleLabel, List.of(RowFactory.create(0L, 1.0, new Double[] {0.0, 1.0, 2.0})));
        assertBoth(p, PredictionLogSchema.defaults(), "column label has type", "expected an integer class label");
    }

    @Test
    void aFileThatIsNotParquetIsNamed() throws Exception {
        Path f = dir.resolve("log.parquet");
        Files.writeString(f, "id,label\n1,2\n");
        assertBoth(f.toString(), PredictionLogSchema.defaults(), "log.parquet is not a Parquet file");
    }

    @Test
    void aMissingFileIsNamed() {
        assertBoth(dir.resolve("nothing.parquet").toString(), PredictionLogSchema.defaults(),
                "nothing.parquet does not exist");
    }

    @Test
    void schemaOptionsAreValidatedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionLogSchema.defaults().withOutputColumns(List.of("only")));
        assertTrue(e.getMessage().contains("[only]"), e.getMessage());
    }
}
