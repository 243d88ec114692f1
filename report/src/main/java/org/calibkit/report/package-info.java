/** calibkit report, the audit as a library: probes, the audit, its renderings (HTML, JSON, terminal, comparison) and gates. */
package org.calibkit.report;
