package org.calibkit.cli.audit;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.probes.ProbeOutcome;

/**
 * Which engine audits a Parquet prediction log ({@code --engine auto|duckdb|spark}), and the
 * audit on Apache Spark ({@code org.calibkit.spark.audit.SparkAudit}) when it is Spark. Spark is a
 * {@code provided} dependency: this class holds no Spark type, so the command line loads without
 * Spark, and {@link #audit} says in one line what to do when Spark is missing; the Spark work is
 * in {@code SparkLogRun}.
 */
public final class SparkLogs {
    /** The engine names {@code --engine} takes. */
    public static final List<String> ENGINES = List.of("auto", "duckdb", "spark");
    /** The master used when neither {@code --master} nor spark-submit names one. */
    public static final String DEFAULT_MASTER = "local[*]";
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private SparkLogs() {
    }

    /**
     * Where a log is audited on Spark: the locations as given (URLs are not file paths: a
     * {@code java.nio.file.Path} would fold {@code s3a://b} into {@code s3a:/b}) and the master.
     *
     * @param test       the test log (a file, a directory, or a cluster URL such as {@code s3a://bucket/logs})
     * @param validation the validation log, or null
     * @param master     the Spark master URL, or null: spark-submit's, else {@value #DEFAULT_MASTER}
     */
    public record Where(String test, String validation, String master) {
        public Where {
            java.util.Objects.requireNonNull(test, "test");
        }

        /** The master the session runs on: {@code master}, else spark-submit's ({@code spark.master}), else {@value #DEFAULT_MASTER}. */
        public String effectiveMaster() {
            return SparkLogs.effectiveMaster(master);
        }
    }

    /** {@code master}, or when null spark-submit's ({@code spark.master}), else {@value #DEFAULT_MASTER}. */
    public static String effectiveMaster(String master) {
        return master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
    }

    /**
     * Refuses a local log that does not exist before a Spark session is started for it (so the
     * error is one line, not a session's start-up log followed by it); cluster URLs are Spark's to check.
     *
     * @throws org.calibkit.core.CalibkitException naming the log
     */
    public static void requireLocalExists(String what, String location) {
        if (location != null && !isClusterPath(location) && !java.nio.file.Files.exists(localPath(location))) {
            throw new org.calibkit.core.CalibkitException(what + " " + location + " does not exist");
        }
    }

    private static java.nio.file.Path localPath(String location) {
        return location.toLowerCase(Locale.ROOT).startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(location))
                : java.nio.file.Path.of(location);
    }

    /** Whether {@code location} is a cluster URL ({@code s3a://}, {@code hdfs://}, {@code gs://}, ...), not a local file. */
    public static boolean isClusterPath(String location) {
        return URL.matcher(location).matches() && !location.toLowerCase(Locale.ROOT).startsWith("file://");
    }

    /**
     * The engine for a log: {@code auto} is Spark for a cluster URL and DuckDB for a local file.
     *
     * @throws IllegalArgumentException for an unknown engine name, or DuckDB asked for a cluster URL
     */
    public static String engine(String requested, String location) {
        String e = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        if (!ENGINES.contains(e)) {
            throw new IllegalArgumentException("--engine must be one of " + ENGINES + ", but got '" + requested + "'");
        }
        if (e.equals("auto")) {
            return isClusterPath(location) ? "spark" : "duckdb";
        }
        if (e.equals("duckdb") && isClusterPath(location)) {
            throw new IllegalArgumentException("--engine duckdb reads local files; " + location
                    + " is a cluster path: use --engine spark");
        }
        return e;
    }

    /** What the report shows about the model, once the log's head, output kind and classes are known. */
    @FunctionalInterface
    interface Describer {
        AuditResult.ModelInfo describe(Head head, OutputKind kind, List<String> classNames);
    }

    /**
     * Audits the log of {@code p} on Spark.
     *
     * @throws CalibkitException naming the file, column or row that is wrong, or saying Spark is missing
     */
    static AuditResult audit(AuditJob.PredictionInputs p, List<ProbeOutcome> skipped, String dataName, AuditOptions o,
                             Consumer<String> progress, Describer describer) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkLogs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CalibkitException("--engine spark needs Apache Spark 4 on the class path: run calibkit through "
                    + "spark-submit (docs/scale.md), or audit a local log with --engine duckdb", e);
        }
        return SparkLogRun.audit(p, skipped, dataName, o, progress, describer);
    }
}
