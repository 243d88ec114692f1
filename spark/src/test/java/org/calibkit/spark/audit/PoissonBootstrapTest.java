package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.SyntheticLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Poisson(1) bootstrap of the Spark audit agrees with the multinomial bootstrap of the
 * single-machine code ({@link Bootstrap#summary}, calibration's) on the same rows, within
 * Monte-Carlo error. Both estimate the same sampling distribution (the Poisson bootstrap's
 * random replicate size adds only O(1/n) to the variance of a mean-like metric, Chamandy et al.
 * 2012); what differs is the Monte-Carlo noise of R = 400 replicates. For a roughly normal
 * statistic the 2.5% and 97.5% percentiles of R replicates each have a standard error of about
 * 2.67 sigma / sqrt(R), so a 95% interval's width (3.92 sigma) has a relative standard error of
 * about 0.96 / sqrt(R) = 4.8%, and the difference of two independent widths about 6.8%: the
 * widths must agree within 27% (4 standard errors); the midpoints, whose difference has a standard
 * error of about 3.4% of the width, within 15% of the width.
 */
class PoissonBootstrapTest {
    static final int R = 400;
    @TempDir
    static Path dir;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2000, 20000})
    void poissonIntervalsAgreeWithTheMultinomialOnesWithinMonteCarloError(int rows) {
        assertEquals(1024, SplitSums.buckets(5, 10));
        SyntheticLog log = new SyntheticLog(rows, 5, 20261205L);
        String path = dir.resolve("log" + rows).toString();
        log.write(TestSpark.get(), path, 2, true);
        AuditOptions o = AuditOptions.defaults().withResamples(R).withSeed(3).withBins(10)
                .withCalibration(new CalibrationChoice.None()).withProgress(s -> { });
        AuditResult s = SparkAudit.run(SparkPredictionLog.read(TestSpark.get(), path, PredictionLogSchema.defaults()),
                Optional.empty(), SparkAudit.Options.of(o));
        Map<String, Bootstrap.Interval> multinomial = new Bootstrap(99, R, 0.95, 2)
                .summary(Predictions.of(Logits.of(log.logits, log.n, log.k), log.labels), 10);
        for (String key : new String[] {"accuracy", "nll", "brier", "ece", "signed_ece", "classwise_ece"}) {
            Bootstrap.Interval m = multinomial.get(key);
            Bootstrap.Interval p = s.test().intervals().get(key).before();
            assertEquals(m.estimate(), p.estimate(), 1e-12 * Math.abs(m.estimate()), key + " estimate");
            double ratio = p.width() / m.width();
            assertTrue(Math.abs(ratio - 1) < 0.27, key + ": Poisson width " + p.width() + ", multinomial " + m.width());
            double mid = (p.lower() + p.upper()) / 2 - (m.lower() + m.upper()) / 2;
            assertTrue(Math.abs(mid) < 0.15 * m.width(), key + ": midpoints differ by " + mid + ", width " + m.width());
        }
        // uncalibrated: the "after" side repeats "before" and the difference is 0, as on one machine
        Bootstrap.Paired ece = s.test().intervals().get("ece");
        assertEquals(ece.before(), ece.after());
        assertEquals(0.0, ece.difference().lower());
        assertEquals(0.0, ece.difference().upper());
    }
}
