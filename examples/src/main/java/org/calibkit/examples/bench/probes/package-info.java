/** Benchmark of probe generation ({@code bench/probes.sh}). */
package org.calibkit.examples.bench.probes;
