/**
 * The {@code calibkit} command line (picocli). Each verb is a class of its own.
 *
 * <p>Layer: the command line, the top: parses options, calls the jobs, prints; nothing depends on
 * it. The order: result types and audit (+ probes) -> renderings (render, html, json, terminal,
 * compare) -> gates -> application jobs (org.calibkit.cli.*) -> command line (org.calibkit.cli);
 * ArchitectureTest checks it.
 */
package org.calibkit.cli;
