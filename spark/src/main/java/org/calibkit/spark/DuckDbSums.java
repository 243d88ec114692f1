package org.calibkit.spark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.ClasswiseBins;

/**
 * {@link SumMetrics} of a DuckDB prediction log by one SQL aggregation inside DuckDB (all its
 * threads) instead of streaming the rows over JDBC into {@link PartitionState}: per row the
 * softmax, NLL and Brier score as calibration's {@code Softmax} computes them ({@code exp(z - max)
 * / sum}, NLL {@code (max - z_y) + ln(sum)}, Brier summed over classes, the arg-max first on ties),
 * then one {@code GROUP BY (class, bin)} over the top-label entry (class -1) and the K class
 * entries of every row, with the bin convention of {@link ReliabilityBins#binOf}.
 *
 * <p><b>Equality with the streaming path.</b> Counts are exact. The sums are DuckDB's ordinary
 * double sums in its own order, and DuckDB's {@code exp}/{@code ln} (the C library's) may differ
 * from Java's by an ulp, so the NLL, Brier and binned sums differ from {@link PartitionState}'s by
 * rounding: about {@code sqrt(n) x 1e-16} relative for n rows, under 1e-12 up to ~1e8 rows on
 * these well-conditioned sums of same-signed terms. A confidence landing within an ulp of a bin
 * edge could fall into the neighbouring bin (never seen; it would show as a count differing by 1).
 *
 * <p><b>Bad rows.</b> The query marks every row the streaming checks would reject (null or
 * out-of-range label, wrong length, null or non-finite output, probabilities outside [0, 1] or not
 * summing to 1); if there is any, or no row at all, the caller streams the log instead, which
 * throws the one-line message naming the file, row and id.
 */
final class DuckDbSums {
    private DuckDbSums() {
    }

    /** The metrics, or null when the log has a bad row or none (then stream it for the message). */
    static SumMetrics metrics(Connection c, String source, PredictionLogSchema schema, int k, int bins)
            throws SQLException {
        String q = query(source, schema, k, bins);
        long[] topCount = new long[bins];
        double[] topSum = new double[bins];
        long[] topCorrect = new long[bins];
        long[] cwCount = new long[k * bins];
        double[] cwSum = new double[k * bins];
        long[] cwPositive = new long[k * bins];
        long n = 0;
        double nll = 0;
        double brier = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
            while (rs.next()) {
                int cls = rs.getInt(1);
                if (cls == -2) {
                    return null;
                }
                int b = rs.getInt(2);
                long count = rs.getLong(3);
                if (cls == -1) {
                    topCount[b] = count;
                    topSum[b] = rs.getDouble(4);
                    topCorrect[b] = rs.getLong(5);
                    n += count;
                    nll += rs.getDouble(6);
                    brier += rs.getDouble(7);
                } else {
                    cwCount[cls * bins + b] = count;
                    cwSum[cls * bins + b] = rs.getDouble(4);
                    cwPositive[cls * bins + b] = rs.getLong(5);
                }
            }
        }
        if (n == 0) {
            return null;
        }
        ReliabilityBins rb = ReliabilityBins.ofSums(topCount, topSum, topCorrect);
        ClasswiseBins cb = ClasswiseBins.ofSums(k, bins, cwCount, cwSum, cwPositive);
        long correct = 0;
        double confidence = 0;
        for (int b = 0; b < bins; b++) {
            correct += topCorrect[b];
            confidence += topSum[b];
        }
        return new SumMetrics(n, correct, (double) correct / n, nll / n, brier / n, CalibrationMetrics.ece(rb),
                CalibrationMetrics.mce(rb), (confidence - correct) / n, CalibrationMetrics.classwiseEce(cb), rb, cb);
    }

    /** The one aggregation: rows (class or -1 for top label or -2 for bad rows, bin, count, sum, hits, nll, brier). */
    static String query(String source, PredictionLogSchema schema, int k, int bins) {
        String z;
        if (schema.arrayOutputs()) {
            z = "CAST(" + DuckDbPredictionLog.ident(schema.outputs()) + " AS DOUBLE[])";
        } else {
            StringBuilder b = new StringBuilder("CASE WHEN ");
            for (int j = 0; j < k; j++) {
                b.append(j == 0 ? "" : " OR ").append(DuckDbPredictionLog.ident(schema.outputColumns().get(j))).append(" IS NULL");
            }
            b.append(" THEN NULL ELSE [");
            for (int j = 0; j < k; j++) {
                b.append(j == 0 ? "" : ", ").append("CAST(").append(DuckDbPredictionLog.ident(schema.outputColumns().get(j)))
                        .append(" AS DOUBLE)");
            }
            z = b.append("] END").toString();
        }
        boolean prob = schema.kind() == OutputKind.PROBABILITIES;
        String finite = prob ? "x IS NOT NULL AND x >= 0 AND x <= 1" : "x IS NOT NULL AND isfinite(x)";
        String ok = "y IS NOT NULL AND y >= 0 AND y < " + k + " AND z IS NOT NULL AND len(z) = " + k
                + " AND list_bool_and(list_transform(z, lambda x: " + finite + "))"
                + (prob ? " AND abs(list_sum(z) - 1) <= " + Probabilities.SUM_TOLERANCE : "");
        // p: the probabilities; nll: the row's NLL (calibration's Softmax.nll, or -ln max(p_y, eps))
        String probs = prob
                ? "SELECT y, ok, z AS p, -ln(greatest(z[y + 1], " + CalibrationMetrics.NLL_EPSILON + ")) AS nll FROM c"
                : "SELECT y, ok, list_transform(e, lambda x: x * (1.0 / s)) AS p, (m - z[y + 1]) + ln(s) AS nll "
                + "FROM (SELECT y, ok, z, m, e, list_sum(e) AS s FROM "
                + "(SELECT y, ok, z, m, list_transform(z, lambda x: exp(x - m)) AS e FROM (SELECT *, list_max(z) AS m FROM c)))";
        String bin = "greatest(0, least(" + (bins - 1) + ", CAST(ceil(e.v * " + bins + ") AS BIGINT) - 1))";
        return "WITH c AS (SELECT y, z, (" + ok + ") AS ok FROM (SELECT CAST(" + DuckDbPredictionLog.ident(schema.label())
                + " AS BIGINT) AS y, " + z + " AS z FROM " + source + ")), "
                + "p AS (" + probs + "), "
                + "t AS (SELECT *, list_max(p) AS conf, list_position(p, list_max(p)) - 1 AS pred, "
                + "list_sum(list_transform(p, lambda x, i: (x - CASE WHEN i - 1 = y THEN 1.0 ELSE 0.0 END) ** 2)) AS brier FROM p) "
                + "SELECT e.c, " + bin + " AS bin, count(*), sum(e.v), count(*) FILTER (WHERE e.h), "
                + "sum(nll) FILTER (WHERE e.c = -1), sum(brier) FILTER (WHERE e.c = -1) FROM ("
                + "SELECT unnest(CASE WHEN ok THEN list_prepend({c: CAST(-1 AS BIGINT), v: conf, h: pred = y}, "
                + "list_transform(p, lambda x, i: {c: i - 1, v: x, h: i - 1 = y})) "
                + "ELSE [{c: CAST(-2 AS BIGINT), v: CAST(0 AS DOUBLE), h: false}] END) AS e, nll, brier FROM t) GROUP BY ALL";
    }
}
