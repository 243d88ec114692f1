/** The audit's terminal rendering: a summary of at most five lines. */
package org.calibkit.report.terminal;
