/** calibkit report: probes, the audit, HTML and JSON reports. */
package org.calibkit.report;
