/**
 * Output paths a command is about to write, checked before any work starts (not an input, not
 * another output of the same run, not a device, FIFO, symlink or directory), and several
 * outputs written so that they land together or not at all. See {@code docs/security.md}.
 */
package org.calibkit.core.outputs;
