/**
 * The audit as an application job ({@link org.calibkit.cli.audit.AuditJob}): open the model and
 * the data (or read prediction files), run the library's audit, check the gates, write the HTML
 * report and its JSON twin. What {@code calibkit audit} and {@code calibkit demo} call.
 */
package org.calibkit.cli.audit;
