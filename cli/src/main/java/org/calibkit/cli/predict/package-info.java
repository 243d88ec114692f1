/**
 * Predictions for a user's own images: PNG/JPEG files, IDX files or {@code .npy} batches in
 * ({@link org.calibkit.cli.predict.PredictInputs}), every class's probability out
 * ({@link org.calibkit.cli.predict.Predictor}), as a table or JSON. What {@code calibkit predict} calls.
 *
 * <p>Layer: application jobs; uses every library layer, never the command line. The order: result
 * types and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.cli.predict;
