/**
 * The audit's JSON twin: {@link org.calibkit.report.json.AuditJson} writes an
 * {@link org.calibkit.report.audit.AuditResult} as one versioned object (schema in
 * {@code docs/report.md}) and reads it back, refusing schema versions it does not know.
 */
package org.calibkit.report.json;
