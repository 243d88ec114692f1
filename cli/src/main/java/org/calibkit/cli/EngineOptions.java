package org.calibkit.cli;

import org.calibkit.cli.audit.SparkLogs;

import picocli.CommandLine.Option;

/** {@code --engine} and {@code --master}: where a Parquet prediction log is read (audit and monitor). */
final class EngineOptions {
    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "with a Parquet prediction log: duckdb (one machine, embedded), spark (Apache Spark: the "
                    + "rows stay where they are), or auto: spark for a cluster path (s3a://, hdfs://, ...), duckdb "
                    + "for a local file (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "with --engine spark: the Spark master (default: spark-submit's, else " + SparkLogs.DEFAULT_MASTER
                    + ")")
    String master;
}
