/**
 * Gates for CI: conditions such as {@code ece>0.05} over the keys of an audit's JSON twin
 * ({@link org.calibkit.report.json.AuditJson#tree}), so a build can fail when a model's
 * probabilities stop being trustworthy. {@link org.calibkit.report.gates.Gates} parses and
 * evaluates them; the key paths are documented there and in {@code docs/audit.md}.
 *
 * <p>Layer: gates; uses the audit and the JSON rendering. The order: result types and audit (+
 * probes) -> renderings (render, html, json, terminal, compare) -> gates -> application jobs
 * (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.gates;
