package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.PoissonWeights;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformal fit of a log through DuckDB, against calibration's functions on the same rows in
 * memory (the synthetic ids are 0..n-1, their own keys): each score's threshold and rank; a
 * validation log above the row limit is named in one progress line and gives no sets; a row's u
 * depends on its id and the seed only.
 */
class StreamedConformalTest {
    static final int K = 5;
    @TempDir
    static Path dir;

    @Test
    void thresholdsAreCalibrationsOrderStatisticsAndALargeLogIsNamed() throws Exception {
        SyntheticLog log = new SyntheticLog(1500, K, 20261208L);
        Path file = dir.resolve("val.parquet");
        log.writeWithDuckDb(file, true, false);
        DuckDbPredictionLog v = DuckDbPredictionLog.read(file.toString(), PredictionLogSchema.defaults());
        List<String> lines = new ArrayList<>();
        StreamedConformal.Fitted f = StreamedConformal.fit(v, K, 0.1, 7, lines::add);
        assertEquals(List.copyOf(AuditStatistics.conformalScores().keySet()), List.of(f.ids()));
        var p = Logits.of(log.logits, log.n, K).softmax();
        for (int i = 0; i < f.size(); i++) {
            ConformalScore score = AuditStatistics.conformalScores().get(f.ids()[i]);
            double[] u = null;
            if (score.randomized()) {
                u = new double[log.n];
                for (int r = 0; r < log.n; r++) {
                    u[r] = PoissonWeights.uniform(7, r);
                }
            }
            assertEquals(Conformal.fitScores(score, Conformal.scores(score, p, log.labels, u), 0.1, K), f.predictor(i),
                    f.ids()[i]);
        }
        assertEquals(1500, f.n());
        assertTrue(lines.get(0).contains("fitted on the 1,500 validation rows"), lines.toString());
        lines.clear();
        assertNull(StreamedConformal.fit(v, K, 0.1, 7, 1000, lines::add));
        assertEquals(List.of("audit: no conformal sets: the validation log holds 1,500 rows, more than the 1,000 whose "
                + "scores are gathered on the driver"), lines);
        // a row's u: a function of (seed, id) alone, in [0, 1), another for another seed
        assertEquals(PoissonWeights.uniform(7, 42), PoissonWeights.uniform(7, 42), 0.0);
        assertNotEquals(PoissonWeights.uniform(7, 42), PoissonWeights.uniform(8, 42));
        double mean = 0;
        for (int r = 0; r < 100_000; r++) {
            double x = PoissonWeights.uniform(3, r);
            assertTrue(x >= 0 && x < 1);
            mean += x / 100_000;
        }
        assertEquals(0.5, mean, 4 * Math.sqrt(1.0 / 12 / 100_000), "uniform: mean within 4 standard errors");
    }
}
