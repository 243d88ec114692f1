/** The {@code calibkit} command line (picocli). Each verb is a class of its own. */
package org.calibkit.cli;
