/**
 * The audit's terminal rendering: a summary of at most five lines.
 *
 * <p>Layer: renderings; uses the audit and render. The order: result types and audit (+ probes) ->
 * renderings (render, html, json, terminal, compare) -> gates -> application jobs
 * (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.terminal;
