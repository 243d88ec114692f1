package org.calibkit.cli.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.cli.audit.PredictionLogs;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.spark.PredictionLogSchema;

/**
 * A prediction log read whole on this machine: a CSV log with a header (cut by its timestamps when
 * the window is a duration), a Parquet log through DuckDB (late labels joined by id), or .npy/.csv
 * outputs with or without a labels file.
 *
 * @param z      the log's rows as logits
 * @param y      their labels (-1: not known), or null without labels
 * @param slices the time windows, or null for windows of rows
 */
record LocalLog(Logits z, int[] y, List<Monitor.Slice> slices) {
    /** Reads {@code job}'s log as {@code ref}'s kind; {@code seconds} > 0 cuts it by time. */
    static LocalLog read(MonitorJob job, ResolvedReference ref, long seconds) {
        Logits z;
        int[] y = null;
        List<Monitor.Slice> slices = null;
        if (LogCsv.hasHeader(job.log())) {
            LogCsv c = LogCsv.read(job.log(), job.logLabels());
            try {
                z = ref.kind().toLogits(c.outputs(), c.ids().size(), c.k());
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + job.log() + " (" + ref.kind().id().replace('_', ' ')
                        + " like the reference): " + e.getMessage(), e);
            }
            y = c.labels();
            if (seconds > 0) {
                if (c.timestamps() == null) {
                    throw new CalibkitException("--window " + job.window() + " cuts the log by time, but " + job.log()
                            + " has no timestamp column");
                }
                slices = c.timeWindows(seconds);
            }
        } else if (PredictionLogs.isLog(job.log())) {
            if (ref.kind() != OutputKind.LOGITS && ref.kind() != OutputKind.PROBABILITIES) {
                throw new CalibkitException("a Parquet prediction log holds logits or probabilities, but the reference's "
                        + "outputs are " + ref.kind().id().replace('_', ' '));
            }
            if (!Files.exists(job.log())) {
                throw new CalibkitException("prediction log " + job.log() + " does not exist");
            }
            org.calibkit.spark.DuckDbPredictionLog.Monitored m;
            try {
                m = org.calibkit.spark.DuckDbPredictionLog.readForMonitor(job.log().toString(),
                        PredictionLogSchema.defaults().withTimestamp("timestamp").withKind(ref.kind()));
                z = ref.kind().toLogits(m.outputs(), m.n(), m.k());
            } catch (org.calibkit.spark.PredictionLogException e) {
                throw new CalibkitException(e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + job.log() + ": " + e.getMessage(), e);
            }
            y = m.labels();
            if (job.logLabels() != null) { // labels that arrived later, by id
                if (y == null) {
                    y = new int[m.n()];
                    java.util.Arrays.fill(y, -1);
                }
                LogCsv.join(job.logLabels(), m.ids(), y, m.k());
            }
            if (seconds > 0) {
                if (m.timestamps() == null) {
                    throw new CalibkitException("--window " + job.window() + " cuts the log by time, but the Parquet log " + job.log()
                            + " has no timestamp column");
                }
                slices = LogCsv.timeWindows(m.timestamps(), seconds);
            }
        } else if (seconds > 0) {
            throw new CalibkitException("--window " + job.window() + " cuts the log by time: it needs a CSV log with a header "
                    + "or a Parquet log, with a timestamp column, but " + job.log() + " has neither");
        } else if (job.logLabels() != null) {
            SavedPredictions p = SavedPredictions.read(job.log(), job.logLabels(), null, null, Map.of(),
                    job.opts().withOutputKind(ref.kind()));
            z = p.test().logits();
            y = p.test().labels();
        } else {
            Logits raw = readMatrix(job.log());
            try {
                z = ref.kind().toLogits(raw.raw(), raw.n(), raw.k());
            } catch (IllegalArgumentException e) {
                throw new CalibkitException("prediction log " + job.log() + " (" + ref.kind().id().replace('_', ' ')
                        + " like the reference): " + e.getMessage(), e);
            }
        }
        return new LocalLog(z, y, slices);
    }

    private static Logits readMatrix(Path file) {
        return org.calibkit.cli.audit.InputFiles.read("prediction log", file, PredictionFiles::readLogits);
    }
}
