/** Bounds of the command line's size-like options, checked before any work (see docs/security.md). */
package org.calibkit.cli.limits;
