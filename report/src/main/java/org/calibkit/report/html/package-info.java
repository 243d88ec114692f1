/**
 * The audit's HTML rendering: {@link org.calibkit.report.html.HtmlReport} renders an
 * {@link org.calibkit.report.audit.AuditResult} through precompiled jte templates;
 * {@link org.calibkit.report.html.ReportView} is the text the templates lay out.
 */
package org.calibkit.report.html;
