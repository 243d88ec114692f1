/**
 * Logit sources for models calibkit did not train: an ONNX file ({@link
 * org.calibkit.core.sources.OnnxLogitSource}, through ONNX Runtime, an optional dependency), a
 * TensorFlow SavedModel directory ({@link org.calibkit.core.sources.SavedModelLogitSource}), a
 * Tribuo model file ({@link org.calibkit.core.sources.TribuoModelSource}), and predictions saved
 * from elsewhere ({@link org.calibkit.core.sources.SavedPredictions}, which needs no model at all).
 *
 * <p>Each model source is an adapter with explicit input and output transformers: the input side
 * is a {@link org.calibkit.core.sources.PixelTransform} (scale, per-channel mean and std, invert)
 * and a {@link org.calibkit.core.sources.Layout} (NCHW, NHWC, flat) read from the model's input
 * shape against the images; the output side is an {@link org.calibkit.calibration.OutputKind}
 * detected from the values (or stated by the caller) and turned into calibration's {@code Logits}.
 * Every error is a {@link org.calibkit.core.CalibkitException} naming the model file, the tensor
 * and the numbers. See {@code docs/sources.md}.
 */
package org.calibkit.core.sources;
