package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** What the bad-input tests of both engines and of the Spark audit share: a good log's layout and rows, the one-line check. */
public final class BadLogs {
    /** id (long), label (int), logits (array of double): the default schema's columns. */
    public static final StructType GOOD = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("label", DataTypes.IntegerType, true),
            DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), true)));

    private BadLogs() {
    }

    /** Two good rows of three classes, then {@code last}. */
    public static List<Row> twoGoodRowsAnd(Row last) {
        return List.of(RowFactory.create(0L, 1, new Double[] {0.1, 2.0, -1.0}),
                RowFactory.create(1L, 0, new Double[] {3.0, 0.0, 1.0}), last);
    }

    /** {@code m} is one line and contains every one of {@code fragments}. */
    public static void assertOneLine(String m, String... fragments) {
        assertEquals(1, m.lines().count(), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + m + "' should contain '" + f + "'");
        }
    }
}
