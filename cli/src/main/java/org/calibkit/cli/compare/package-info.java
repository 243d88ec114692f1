/**
 * Several model bundles audited on the same splits and probes, one comparison report
 * ({@link org.calibkit.cli.compare.ComparisonJob}): what {@code calibkit compare} calls.
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.compare;
