/**
 * Fitting a calibration map on a model bundle's validation split and storing it in a new bundle:
 * what {@code calibkit calibrate} calls. Later audits and predictions use the stored map.
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.calibrate;
