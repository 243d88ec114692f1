/**
 * Probes: named, seeded generators and loaders of images a classifier should not be sure about
 * (blank and constant images, noise, the test images with a preprocessing mistake or a growing
 * shift, other data sets), each brought to the model's input shape and the
 * {@link org.calibkit.core.ImageSet} 0..255 pixel convention.
 *
 * <p>{@link org.calibkit.report.probes.Probes#all()} lists them in report order,
 * {@link org.calibkit.report.probes.Probes#select(String)} parses a {@code --probes} list, and
 * {@link org.calibkit.report.probes.Probes#generate} runs them, turning a probe whose data are
 * absent (or that does not apply to the model) into a skipped outcome with its reason. What each
 * probe does and why is in {@code docs/probes.md}. Library code: no command-line types here.
 *
 * <p>Layer: with the audit, at the bottom; uses calibration and core only. The order: result types
 * and audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates ->
 * application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks
 * it.
 */
package org.calibkit.report.probes;
