/**
 * The audit's JSON twin: {@link org.calibkit.report.json.AuditJson} writes an
 * {@link org.calibkit.report.audit.AuditResult} as one versioned object (schema in
 * {@code docs/report.md}) and reads it back, as a tree ({@code read}) or as the result
 * ({@code readResult}), refusing schema versions it does not know. Jackson binds the JSON to the
 * package-private records here ({@code AuditDocument} and one per section, configured in
 * {@code JsonBinding}), so the result types of {@code report.audit} carry no Jackson annotations.
 *
 * <p>Layer: renderings; uses the audit and render. The order: result types and audit (+ probes) ->
 * renderings (render, html, json, terminal, compare) -> gates -> application jobs
 * (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.json;
