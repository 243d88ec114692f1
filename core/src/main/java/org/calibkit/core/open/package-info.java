/**
 * Opening a model file of any kind calibkit reads (a calibkit bundle, an ONNX file, a TensorFlow
 * SavedModel directory, a Tribuo model file) as one {@link org.calibkit.core.model.LogitSource},
 * with a {@link org.calibkit.core.open.ModelDescription} of it (kind, output kind, preprocessing,
 * tensors): what the {@code audit} and {@code predict} jobs call. The application maps the
 * description to the report's model section.
 */
package org.calibkit.core.open;
