/**
 * The isolated inference worker: model files come from strangers, and the native engines that
 * run them (ONNX Runtime, TensorFlow) can crash the process they run in (a SIGFPE from a
 * {@code Conv} with stride 0, a TensorFlow {@code CHECK} abort). {@link
 * org.calibkit.core.worker.ModelWorker} starts a child JVM (the same java binary and class
 * path) and talks to it over its standard streams in the small framed, versioned binary
 * protocol of {@link org.calibkit.core.worker.Frames} (no Java serialization); {@link
 * org.calibkit.core.worker.WorkerLogitSource} is that worker seen as a {@code LogitSource}. A
 * crash of the child becomes one {@link org.calibkit.core.CalibkitException} naming the
 * engine, what it was doing and the signal; the child's crash log, temporary files and
 * standard error stay in a temporary directory that is deleted. See {@code docs/security.md}.
 */
package org.calibkit.core.worker;
