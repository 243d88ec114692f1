/**
 * The audit of a prediction log on Apache Spark ({@link org.calibkit.spark.audit.SparkAudit}): the
 * single-machine {@code AuditResult}, from mergeable per-partition sums, Poisson-bootstrap
 * replicates and exact order statistics, assembled by the report module's own {@code Audit}.
 */
package org.calibkit.spark.audit;
