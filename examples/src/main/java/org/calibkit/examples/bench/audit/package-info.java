/** Benchmarks of issue 16 (the audit's bootstrap, the demo's training schedule): mains that print their numbers. */
package org.calibkit.examples.bench.audit;
