/**
 * The audit: {@link org.calibkit.report.audit.Audit} turns a model's outputs (from a model run or
 * saved predictions) on the test and validation splits and the probes into an
 * {@link org.calibkit.report.audit.AuditResult}, the plain-data result every rendering shows, with
 * its statistics ({@link org.calibkit.report.audit.AuditStatistics}) and verdicts
 * ({@link org.calibkit.report.audit.Verdicts}).
 *
 * <p>Layer: the first (result types and the audit); uses calibration, core and probes only. The
 * order: result types and audit (+ probes) -> renderings (render, html, json, terminal, compare) ->
 * gates -> application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli);
 * ArchitectureTest checks it.
 */
package org.calibkit.report.audit;
