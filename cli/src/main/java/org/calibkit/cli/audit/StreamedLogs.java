package org.calibkit.cli.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.spark.DuckDbPredictionLog;
import org.calibkit.spark.PredictionLog;
import org.calibkit.spark.PredictionLogException;
import org.calibkit.spark.PredictionLogSchema;
import org.calibkit.spark.audit.SparkAudit;

/**
 * The streamed audit of a Parquet log ({@link SparkAudit}: mergeable sums and exact selection
 * passes, no row kept per metric) once an engine has read it: Apache Spark ({@link SparkLogRun})
 * or, on one machine, DuckDB ({@link #duckDb}). Holds no Spark type, so the DuckDB path runs
 * without Spark on the class path.
 */
final class StreamedLogs {
    private StreamedLogs() {
    }

    /**
     * The log's columns with its output kind (logits unless stated), refused in one line when the
     * kind or head cannot be audited streamed.
     *
     * @param engine the engine as the user named it, for the message
     */
    static PredictionLogSchema schema(AuditJob.PredictionInputs p, String engine) {
        OutputKind kind = p.options().outputKind().orElse(OutputKind.LOGITS);
        if (kind != OutputKind.LOGITS && kind != OutputKind.PROBABILITIES) {
            throw new CalibkitException("a Parquet prediction log holds logits or probabilities, but --output-kind "
                    + kind.id() + " was given");
        }
        Head head = kind == OutputKind.LOGITS ? p.options().head().orElse(Head.SOFTMAX) : kind.head();
        if (head != Head.SOFTMAX) {
            throw new CalibkitException(engine + " audits softmax outputs; --head " + head.id()
                    + " runs in the in-memory audit (--engine duckdb with --stream-above larger than the log)");
        }
        return p.logSchema().withKind(kind);
    }

    /** A local log through DuckDB, streamed: read once into memory as typed columns when it fits half the heap. */
    static AuditResult duckDb(AuditJob.PredictionInputs p, long rows, List<ProbeOutcome> skipped, String dataName,
                              AuditOptions o, Consumer<String> progress, SparkLogs.Describer describer) {
        PredictionLogSchema s = schema(p, "the streamed audit");
        try {
            DuckDbPredictionLog test = DuckDbPredictionLog.read(p.test().toString(), s);
            Optional<DuckDbPredictionLog> validation = p.validation() == null ? Optional.empty()
                    : Optional.of(DuckDbPredictionLog.read(p.validation().toString(), s));
            progress.accept(String.format(java.util.Locale.ROOT, "audit: prediction log %s: %,d test rows > --stream-above %,d: "
                    + "the streamed audit through DuckDB (as on Spark: no selective prediction or smooth ECE, APS/RAPS sets randomised by row id; "
                    + "a larger --stream-above gives the in-memory audit)", p.test(), rows, p.streamAbove()));
            long t0 = System.nanoTime();
            boolean held = test.load();
            progress.accept(String.format(java.util.Locale.ROOT, "audit: read and checked %,d test rows in %.1f s%s", rows,
                    (System.nanoTime() - t0) / 1e9, held ? " (held in memory for the passes)"
                            : " (more than half the heap: each pass reads the file again)"));
            return audit(test, validation, p.test().toAbsolutePath().toString(), p, skipped, dataName, o, progress, describer);
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        }
    }

    /**
     * {@link SparkAudit#run} with the report's class names, model, data and skipped probes.
     *
     * @param location where the test log is, as the report shows it
     */
    static AuditResult audit(PredictionLog test, Optional<? extends PredictionLog> validation, String location,
                             AuditJob.PredictionInputs p, List<ProbeOutcome> skipped, String dataName, AuditOptions o,
                             Consumer<String> progress, SparkLogs.Describer describer) {
        try {
            int k = test.numClasses();
            List<String> names = p.options().classNames()
                    .orElse(IntStream.range(0, k).mapToObj(Integer::toString).toList());
            if (names.size() != k) {
                throw new CalibkitException("prediction log " + location + " has " + k + " classes, but "
                        + names.size() + " class names were given");
            }
            if (validation.isEmpty() && o.calibration().calibrates()) {
                progress.accept("audit: no validation log: nothing is calibrated (calibration is never fitted on test)");
            }
            List<ModelOutputs.Probe> probes = new ArrayList<>();
            skipped.forEach(x -> probes.add(ModelOutputs.Probe.skipped(x)));
            AuditResult.DataInfo data = new AuditResult.DataInfo(dataName, 0, 0, location, null, false);
            return SparkAudit.run(test, validation, new SparkAudit.Options(o, names,
                    describer.describe(Head.SOFTMAX, test.schema().kind(), names), data, probes));
        } catch (PredictionLogException e) {
            throw new CalibkitException(e.getMessage(), e);
        }
    }
}
