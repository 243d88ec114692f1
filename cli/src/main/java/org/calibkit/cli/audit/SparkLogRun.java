package org.calibkit.cli.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.apache.spark.sql.SparkSession;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.SparkPredictionLog;
import org.calibkit.spark.audit.SparkAudit;

/**
 * The Spark side of {@link SparkLogs}: a session (the running one, e.g. spark-submit's, or a new
 * one on the master asked for, stopped afterwards), the logs read and validated, and
 * {@link SparkAudit#run}. A new local session binds to 127.0.0.1 and has no UI.
 */
public final class SparkLogRun {
    private SparkLogRun() {
    }

    static AuditResult audit(AuditJob.PredictionInputs p, List<ProbeOutcome> skipped, String dataName, AuditOptions o,
                             Consumer<String> progress, SparkLogs.Describer describer) {
        SparkLogs.Where where = p.spark();
        PredictionLogSchema s = StreamedLogs.schema(p, "--engine spark");
        SparkLogs.requireLocalExists("prediction log", where.test());
        SparkLogs.requireLocalExists("validation log", where.validation());
        boolean created = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session(where.master());
        try {
            progress.accept("audit: prediction log " + where.test() + " on Apache Spark " + spark.version() + ", master "
                    + spark.sparkContext().master());
            SparkPredictionLog test = SparkPredictionLog.read(spark, where.test(), s);
            Optional<SparkPredictionLog> validation = where.validation() == null ? Optional.empty()
                    : Optional.of(SparkPredictionLog.read(spark, where.validation(), s));
            String location = SparkLogs.isClusterPath(where.test()) ? where.test() : p.test().toAbsolutePath().toString();
            return StreamedLogs.audit(test, validation, location, p, skipped, dataName, o, progress, describer);
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        } finally {
            if (created) {
                spark.stop();
            }
        }
    }

    /** The running session, or a new one on {@code master} (null: spark-submit's, else local[*]). */
    public static SparkSession session(String master) {
        // Spark's own log off in a session calibkit starts: a bad row reaches the user as one line
        // (calibkit: error: ...), not as an executor's stack trace; spark-submit's session keeps its logging
        if (System.getProperty("log4j2.configurationFile") == null && SparkSession.getActiveSession().isEmpty()) {
            // before Spark's first log line (it configures Log4j 2 on first use): else its start-up lines
            // (default profile, hostname, versions) come out before spark.log.level takes effect
            java.net.URL quiet = SparkLogRun.class.getResource("spark-log4j2.properties");
            if (quiet != null) {
                System.setProperty("log4j2.configurationFile", quiet.toString());
            }
        }
        SparkSession.Builder b = SparkSession.builder().appName("calibkit audit").config("spark.ui.enabled", "false")
                .config("spark.log.level", "OFF");
        String m = SparkLogs.effectiveMaster(master);
        b.master(m);
        if (m.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b.getOrCreate();
    }
}
