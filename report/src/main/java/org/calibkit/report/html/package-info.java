/**
 * The audit's HTML rendering: {@link org.calibkit.report.html.HtmlReport} renders an
 * {@link org.calibkit.report.audit.AuditResult} through precompiled jte templates;
 * {@link org.calibkit.report.html.ReportView} is the text the templates lay out.
 *
 * <p>Layer: renderings; uses the audit and render. The order: result types and audit (+ probes) ->
 * renderings (render, html, json, terminal, compare) -> gates -> application jobs
 * (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.html;
