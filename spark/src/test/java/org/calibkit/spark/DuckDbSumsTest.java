package org.calibkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.ClasswiseBins;
import org.calibkit.spark.DuckDbPredictionLog.Summation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SQL aggregation inside DuckDB ({@link DuckDbSums}) equals the streaming path
 * ({@link PartitionState}, itself tested equal to calibration's single-machine metrics in
 * {@link PredictionLogEqualityTest}) on the same Parquet files: every count exactly, every sum and
 * metric to 1e-12 relative (DuckDB sums doubles in its own order and its exp/ln may differ from
 * Java's by an ulp: about sqrt(n) x 1e-16 relative here, see DuckDbSums).
 */
class DuckDbSumsTest {
    static final double REL = 1e-12;
    @TempDir
    Path dir;

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, REL * Math.abs(expected), what);
    }

    static void assertEqualPaths(SumMetrics stream, SumMetrics sql, int k, int bins) {
        assertEquals(stream.n(), sql.n(), "rows");
        assertEquals(stream.correct(), sql.correct(), "correct");
        assertEquals(stream.accuracy(), sql.accuracy(), 0.0, "accuracy");
        ReliabilityBins a = stream.topLabel();
        ReliabilityBins b = sql.topLabel();
        for (int i = 0; i < bins; i++) {
            assertEquals(a.count(i), b.count(i), "count of bin " + i);
            assertEquals(a.correctCount(i), b.correctCount(i), "correct of bin " + i);
            assertClose(a.confidenceSum(i), b.confidenceSum(i), "confidence sum of bin " + i);
        }
        ClasswiseBins ca = stream.classwise();
        ClasswiseBins cb = sql.classwise();
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < bins; i++) {
                assertEquals(ca.count(j, i), cb.count(j, i), "class " + j + " bin " + i);
                assertEquals(ca.positives(j, i), cb.positives(j, i), "positives of class " + j + " bin " + i);
                assertClose(ca.probabilitySum(j, i), cb.probabilitySum(j, i), "sum of class " + j + " bin " + i);
            }
        }
        assertClose(stream.nll(), sql.nll(), "nll");
        assertClose(stream.brier(), sql.brier(), "brier");
        assertClose(stream.ece(), sql.ece(), "ece");
        assertClose(stream.mce(), sql.mce(), "mce");
        assertClose(stream.signedEce(), sql.signedEce(), "signed ece");
        assertClose(stream.classwiseEce(), sql.classwiseEce(), "classwise ece");
    }

    @ParameterizedTest(name = "array column {0}, probabilities {1}, {2} bins")
    @CsvSource({"true, false, 15", "false, false, 10", "true, true, 15", "false, true, 7"})
    void sqlSumsEqualTheStreamedSums(boolean array, boolean probabilities, int bins) throws IOException, SQLException {
        SyntheticLog log = new SyntheticLog(100_000, 10, 20261203L + bins);
        Path file = dir.resolve("log.parquet");
        log.writeWithDuckDb(file, array, probabilities);
        PredictionLogSchema schema = PredictionLogSchema.defaults();
        if (!array) {
            schema = schema.withOutputColumns(log.columnNames());
        }
        if (probabilities) {
            schema = schema.withKind(OutputKind.PROBABILITIES);
        }
        DuckDbPredictionLog l = DuckDbPredictionLog.read(file.toString(), schema);
        SumMetrics stream = l.metrics(bins, Summation.STREAM);
        SumMetrics sql = l.metrics(bins, Summation.SQL);
        assertEquals(100_000, sql.n());
        assertEqualPaths(stream, sql, 10, bins);
        // the default is the SQL aggregation (the faster, bench/spark.sh)
        assertEquals(sql.ece(), l.metrics(bins).ece(), 0.0);
    }

    @Test
    void confidencesOnBinEdgesFallAsReliabilityBinsSays() throws SQLException {
        // two classes, probabilities exactly on the edges of 4 bins (0, 1/4, 1/2, 3/4, 1): the bin
        // convention (b/B, (b+1)/B], 0 in the first bin, 1 in the last, is decided by binOf
        double[] p0 = {1.0, 0.75, 0.5, 0.25, 0.0, 0.625};
        int[] labels = {0, 1, 0, 1, 1, 0};
        Path file = dir.resolve("edges.parquet");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < p0.length; i++) {
            rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(labels[i]).append(", [")
                    .append(p0[i]).append(", ").append(1 - p0[i]).append("]::DOUBLE[])");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES " + rows + ") t(id, label, logits)) TO '" + file + "' (FORMAT parquet)");
        }
        DuckDbPredictionLog l = DuckDbPredictionLog.read(file.toString(),
                PredictionLogSchema.defaults().withKind(OutputKind.PROBABILITIES));
        SumMetrics sql = l.metrics(4, Summation.SQL);
        long[] expected = new long[4];
        long[] expectedClass1 = new long[4];
        for (double p : p0) {
            expected[ReliabilityBins.binOf(Math.max(p, 1 - p), 4)]++;
            expectedClass1[ReliabilityBins.binOf(1 - p, 4)]++;
        }
        for (int b = 0; b < 4; b++) {
            assertEquals(expected[b], sql.topLabel().count(b), "top-label bin " + b);
            assertEquals(expectedClass1[b], sql.classwise().count(1, b), "class 1 bin " + b);
        }
        // by hand: confidences 1, .75, .5 (tie: arg-max is class 0), .75, 1, .625 -> bins 3, 2, 1, 2, 3, 2
        assertEquals(List.of(0L, 1L, 3L, 2L), List.of(sql.topLabel().count(0), sql.topLabel().count(1),
                sql.topLabel().count(2), sql.topLabel().count(3)));
        assertEqualPaths(l.metrics(4, Summation.STREAM), sql, 2, 4);
    }

    @Test
    void aBadRowGivesTheStreamedMessage() throws IOException, SQLException {
        SyntheticLog log = new SyntheticLog(1000, 4, 7L);
        Path good = dir.resolve("good.parquet");
        log.writeWithDuckDb(good, true, false);
        Path bad = dir.resolve("bad.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT id, CASE WHEN id = 617 THEN 4 ELSE label END AS label, logits FROM '" + good
                    + "' ORDER BY id) TO '" + bad + "' (FORMAT parquet)");
        }
        DuckDbPredictionLog l = DuckDbPredictionLog.read(bad.toString(), PredictionLogSchema.defaults());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            assertNull(DuckDbSums.metrics(c, "read_parquet('" + bad + "')", PredictionLogSchema.defaults(), 4, 15),
                    "the aggregation sees the bad row");
        }
        String sql = assertThrows(PredictionLogException.class, () -> l.metrics(15, Summation.SQL)).getMessage();
        String stream = assertThrows(PredictionLogException.class, () -> l.metrics(15, Summation.STREAM)).getMessage();
        assertEquals(stream, sql);
        assertEquals("file " + bad + ", row 617 (id 617): column label is 4, expected a class in [0, 4)", sql);
        Files.delete(bad);
    }
}
