/**
 * {@code calibkit demo}: train (or reuse), calibrate and audit the default CNN in one call.
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.demo;
