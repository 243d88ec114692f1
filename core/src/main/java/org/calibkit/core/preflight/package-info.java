/**
 * Checks of untrusted model files before any native engine sees them: cheap, pure-Java reads
 * of the file's own structure that refuse what would read outside the model's directory or
 * is known to crash the engine. They come on top of the worker isolation of {@code
 * org.calibkit.core.worker}, never instead of it. See {@code docs/security.md}.
 */
package org.calibkit.core.preflight;
