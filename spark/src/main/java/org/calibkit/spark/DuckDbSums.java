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
                long key = rs.getLong(1);
                if (key < 0) {
                    return null;
                }
                int cls = (int) (key / bins) - 1;
                int b = (int) (key % bins);
                long count = rs.getLong(2);
                if (cls == -1) {
                    topCount[b] = count;
                    topSum[b] = rs.getDouble(3);
                    topCorrect[b] = rs.getLong(4);
                    n += count;
                    nll += rs.getDouble(5);
                    brier += rs.getDouble(6);
                } else {
                    cwCount[cls * bins + b] = count;
                    cwSum[cls * bins + b] = rs.getDouble(3);
                    cwPositive[cls * bins + b] = rs.getLong(4);
                }
            }
        }
        if (n == 0) {
            return null;
        }
        ReliabilityBins rb = ReliabilityBins.ofTotals(topCount, topSum, topCorrect);
        ClasswiseBins cb = ClasswiseBins.ofTotals(k, bins, cwCount, cwSum, cwPositive);
        long correct = 0;
        double confidence = 0;
        for (int b = 0; b < bins; b++) {
            correct += topCorrect[b];
            confidence += topSum[b];
        }
        return new SumMetrics(n, correct, (double) correct / n, nll / n, brier / n, CalibrationMetrics.ece(rb),
                CalibrationMetrics.mce(rb), (confidence - correct) / n, CalibrationMetrics.classwiseEce(cb), rb, cb);
    }

    /**
     * The one aggregation, over rows of group key {@code (class + 1) x bins + bin} (class -1: the
     * top label) or -1 for a bad row: key, count, sum of the values, hits (correct, or label ==
     * class), and for the top-label keys the sums of NLL and Brier. Everything per row is a scalar
     * expression over the K outputs (DuckDB's vectorised arithmetic, no list lambdas), summed left
     * to right as calibration's Softmax sums them.
     */
    static String query(String source, PredictionLogSchema schema, int k, int bins) {
        boolean prob = schema.kind() == OutputKind.PROBABILITIES;
        StringBuilder sel = new StringBuilder("SELECT CAST(").append(DuckDbPredictionLog.ident(schema.label()))
                .append(" AS BIGINT) AS y");
        if (schema.arrayOutputs()) {
            String a = DuckDbPredictionLog.ident(schema.outputs());
            sel.append(", len(").append(a).append(") AS n_out");
            for (int j = 0; j < k; j++) {
                sel.append(", CAST(").append(a).append("[").append(j + 1).append("] AS DOUBLE) AS z").append(j);
            }
        } else {
            sel.append(", ").append(k).append(" AS n_out");
            for (int j = 0; j < k; j++) {
                sel.append(", CAST(").append(DuckDbPredictionLog.ident(schema.outputColumns().get(j))).append(" AS DOUBLE) AS z").append(j);
            }
        }
        sel.append(" FROM ").append(source);
        StringBuilder ok = new StringBuilder("y IS NOT NULL AND y >= 0 AND y < ").append(k).append(" AND n_out IS NOT NULL AND n_out = ").append(k);
        for (int j = 0; j < k; j++) {
            ok.append(prob ? " AND z" + j + " >= 0 AND z" + j + " <= 1" : " AND isfinite(z" + j + ")");
        }
        if (prob) {
            ok.append(" AND abs(").append(sum("z", k)).append(" - 1) <= ").append(Probabilities.SUM_TOLERANCE);
        }
        String label = caseOfLabel("z", k);
        StringBuilder probs = new StringBuilder("SELECT y, ok");
        if (prob) {
            for (int j = 0; j < k; j++) {
                probs.append(", z").append(j).append(" AS p").append(j);
            }
            probs.append(", CASE WHEN ok THEN -ln(greatest(").append(label).append(", ").append(CalibrationMetrics.NLL_EPSILON)
                    .append(")) END AS nll FROM c");
        } else {
            // softmax exp(z - max) * (1 / sum) and NLL (max - z_y) + ln(sum), as calibration's Softmax
            for (int j = 0; j < k; j++) {
                probs.append(", e").append(j).append(" * (1.0 / s) AS p").append(j);
            }
            probs.append(", CASE WHEN ok THEN (m - ").append(label).append(") + ln(s) END AS nll FROM (SELECT *, ")
                    .append(sum("e", k)).append(" AS s FROM (SELECT *");
            for (int j = 0; j < k; j++) {
                probs.append(", exp(z").append(j).append(" - m) AS e").append(j);
            }
            probs.append(" FROM (SELECT *, greatest(").append(list("z", k)).append(") AS m FROM c)))");
        }
        StringBuilder pred = new StringBuilder("CASE");
        StringBuilder brier = new StringBuilder();
        for (int j = 0; j < k; j++) {
            pred.append(" WHEN p").append(j).append(" = conf THEN ").append(j);   // the first arg-max, as TopLabel
            brier.append(j == 0 ? "" : " + ").append("(p").append(j).append(" - CASE WHEN y = ").append(j)
                    .append(" THEN 1.0 ELSE 0.0 END) ** 2");
        }
        pred.append(" END");
        StringBuilder keys = new StringBuilder("[").append(bin("conf", bins));
        StringBuilder values = new StringBuilder("[conf");
        StringBuilder hits = new StringBuilder("[pred = y");
        for (int j = 0; j < k; j++) {
            keys.append(", ").append((long) (j + 1) * bins).append(" + ").append(bin("p" + j, bins));
            values.append(", p").append(j);
            hits.append(", y = ").append(j);
        }
        return "WITH c AS (SELECT *, (" + ok + ") AS ok FROM (" + sel + ")), p AS (" + probs + "), "
                + "t AS (SELECT *, " + pred + " AS pred, " + brier + " AS brier FROM (SELECT *, greatest(" + list("p", k)
                + ") AS conf FROM p)) "
                + "SELECT key, count(*), sum(v), count(*) FILTER (WHERE h), sum(nll) FILTER (WHERE key < " + bins + "), "
                + "sum(brier) FILTER (WHERE key < " + bins + ") FROM (SELECT unnest(CASE WHEN ok THEN " + keys
                + "] ELSE [-1] END) AS key, unnest(CASE WHEN ok THEN " + values + "] ELSE [0.0] END) AS v, "
                + "unnest(CASE WHEN ok THEN " + hits + "] ELSE [false] END) AS h, nll, brier FROM t) GROUP BY key";
    }

    /** ReliabilityBins.binOf in SQL: ceil(x B) - 1, clamped to [0, B). */
    private static String bin(String x, int bins) {
        return "greatest(0, least(" + (bins - 1) + ", CAST(ceil(" + x + " * " + bins + ") AS BIGINT) - 1))";
    }

    private static String list(String prefix, int k) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < k; j++) {
            b.append(j == 0 ? "" : ", ").append(prefix).append(j);
        }
        return b.toString();
    }

    /** prefix0 + prefix1 + ... in that order (left to right, as Java's loops). */
    private static String sum(String prefix, int k) {
        return "(" + list(prefix, k).replace(", ", " + ") + ")";
    }

    /** The value of the label's column: CASE y WHEN 0 THEN prefix0 ... END. */
    private static String caseOfLabel(String prefix, int k) {
        StringBuilder b = new StringBuilder("CASE y");
        for (int j = 0; j < k; j++) {
            b.append(" WHEN ").append(j).append(" THEN ").append(prefix).append(j);
        }
        return b.append(" END").toString();
    }
}
