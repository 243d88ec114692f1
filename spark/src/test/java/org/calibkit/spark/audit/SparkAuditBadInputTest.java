package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.spark.BadLogs;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the Spark audit fails before any result exists, with one line naming what is
 * wrong: a bad row of the test or validation log (file, id, column), a calibrator that does not
 * run on Spark, logs of different numbers of classes. (Reading errors, wrong types and files that
 * are not Parquet are calibkit-spark's BadInputTest.)
 */
class SparkAuditBadInputTest {
    @TempDir
    static Path dir;

    private static SparkPredictionLog log(String name, Row last) {
        String p = dir.resolve(name).toString();
        TestSpark.get().createDataFrame(BadLogs.twoGoodRowsAnd(last), BadLogs.GOOD).coalesce(1).write().parquet(p);
        return SparkPredictionLog.read(TestSpark.get(), p, PredictionLogSchema.defaults());
    }

    private static AuditOptions options() {
        return AuditOptions.defaults().withResamples(5).withProgress(s -> { });
    }

    private static void oneLine(PredictionLogException e, String... fragments) {
        BadLogs.assertOneLine(e.getMessage(), fragments);
    }

    @Test
    void aNanInTheTestLogIsNamed() {
        SparkPredictionLog test = log("nan", RowFactory.create(42L, 2, new Double[] {1.0, Double.NaN, 0.0}));
        oneLine(assertThrows(PredictionLogException.class, () -> SparkAudit.run(test, Optional.empty(),
                SparkAudit.Options.of(options()))), "id 42", "logits[1]", "NaN");
    }

    @Test
    void aBadLabelInTheValidationLogIsNamed() {
        SparkPredictionLog test = log("good", RowFactory.create(2L, 2, new Double[] {0.0, 0.5, 1.0}));
        SparkPredictionLog validation = log("label", RowFactory.create(7L, 3, new Double[] {0.0, 0.5, 1.0}));
        oneLine(assertThrows(PredictionLogException.class, () -> SparkAudit.run(test, Optional.of(validation),
                SparkAudit.Options.of(options()))), "id 7", "label", "is 3");
    }

    @Test
    void aCalibratorThatDoesNotRunOnSparkIsRefusedByName() {
        SparkPredictionLog test = log("ok", RowFactory.create(2L, 2, new Double[] {0.0, 0.5, 1.0}));
        AuditOptions o = options().withCalibration(CalibrationChoice.fit(CalibrationMethod.ISOTONIC.create()));
        oneLine(assertThrows(PredictionLogException.class, () -> SparkAudit.run(test, Optional.of(test),
                SparkAudit.Options.of(o))), "does not run in the streamed audit (Apache Spark)", "temperature");
    }
}
