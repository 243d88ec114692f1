/**
 * Opening a model file of any kind calibkit reads (a calibkit bundle, an ONNX file, a TensorFlow
 * SavedModel directory, a Tribuo model file) as one {@link org.calibkit.core.model.LogitSource},
 * with what a report says about it: what the {@code audit} and {@code predict} commands call.
 */
package org.calibkit.cli.models;
