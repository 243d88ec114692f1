package org.calibkit.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.calibkit.calibration.calibrators.CalibrationChoice;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.report.audit.AuditOptions;
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

    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("label", DataTypes.IntegerType, true),
            DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.DoubleType), true)));

    private static SparkPredictionLog log(String name, Row last) {
        String p = dir.resolve(name).toString();
        TestSpark.get().createDataFrame(List.of(RowFactory.create(0L, 1, new Double[] {0.1, 2.0, -1.0}),
                RowFactory.create(1L, 0, new Double[] {3.0, 0.0, 1.0}), last), SCHEMA).coalesce(1).write().parquet(p);
        return SparkPredictionLog.read(TestSpark.get(), p, PredictionLogSchema.defaults());
    }

    private static AuditOptions options() {
        return AuditOptions.defaults().withResamples(5).withProgress(s -> { });
    }

    private static void oneLine(PredictionLogException e, String... fragments) {
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + m + "' should contain '" + f + "'");
        }
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
                SparkAudit.Options.of(o))), "does not run on Spark", "temperature");
    }
}
