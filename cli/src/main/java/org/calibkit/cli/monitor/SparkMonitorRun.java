package org.calibkit.cli.monitor;

import java.util.Map;
import java.util.function.Consumer;

import org.apache.spark.sql.SparkSession;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;
import org.calibkit.spark.MonitorLog;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.monitor.SparkMonitor;

/**
 * The Spark side of {@code calibkit monitor --engine spark}: the session (the running one, or a
 * new one on the master asked for through the audit's session helper, stopped afterwards), the
 * log read and checked, and {@link SparkMonitor#run}. Only {@link MonitorJob} calls it, after
 * checking that Spark is on the class path.
 */
final class SparkMonitorRun {
    private SparkMonitorRun() {
    }

    /** One result per group ({@code ""} without grouping), sorted by group. */
    static Map<String, MonitorResult> run(Reference ref, OutputKind kind, String log, String master, String groupBy,
                                          long seconds, String window, MonitorOptions o, Consumer<String> progress) {
        PredictionLogSchema s = PredictionLogSchema.defaults().withTimestamp("timestamp").withKind(kind)
                .withModel("model").withSegment("segment");
        org.calibkit.cli.audit.SparkLogs.requireLocalExists("prediction log", log);
        boolean created = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = org.calibkit.cli.audit.SparkLogRun.session(master);
        try {
            progress.accept("monitor: prediction log " + log + " on Apache Spark " + spark.version() + ", master "
                    + spark.sparkContext().master());
            MonitorLog m = MonitorLog.read(spark, log, s, groupBy);
            return SparkMonitor.run(ref, m, seconds, log, window, o, progress);
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        } finally {
            if (created) {
                spark.stop();
            }
        }
    }
}
