/**
 * The audit as an application job ({@link org.calibkit.cli.audit.AuditJob}): open the model and
 * the data (or read prediction files), run the library's audit, check the gates, write the HTML
 * report and its JSON twin. What {@code calibkit audit} and {@code calibkit demo} call.
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.audit;
