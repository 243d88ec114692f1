/**
 * Several models compared in one report: {@link org.calibkit.report.compare.Comparison} holds the
 * audits of models run on the same test and validation split with the same probes (one column per
 * model); the application job {@code org.calibkit.cli.compare.ComparisonJob} loads bundles, generates the probes
 * once and audits each model; {@link org.calibkit.report.compare.ComparisonHtml} and
 * {@link org.calibkit.report.compare.ComparisonJson} render it as a self-contained page and its
 * JSON twin. The question it exists for: softmax against an independent sigmoid head,
 * L2-constrained softmax (fixed and learned alpha) and logistic regression, trained on the same split.
 *
 * <p>Layer: renderings; uses the audit, probes, html, json and render. The order: result types and
 * audit (+ probes) -> renderings (render, html, json, terminal, compare) -> gates -> application
 * jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli); ArchitectureTest checks it.
 */
package org.calibkit.report.compare;
