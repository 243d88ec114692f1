/**
 * Several model bundles audited on the same splits and probes, one comparison report
 * ({@link org.calibkit.cli.compare.ComparisonJob}): what {@code calibkit compare} calls.
 */
package org.calibkit.cli.compare;
