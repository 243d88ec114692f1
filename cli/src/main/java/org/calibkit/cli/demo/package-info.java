/** {@code calibkit demo}: train (or reuse), calibrate and audit the default CNN in one call. */
package org.calibkit.cli.demo;
