/**
 * Keras models read directly: {@link org.calibkit.core.keras.KerasFile} reads a Keras 2/3
 * {@code .h5} ({@code model.save}) or Keras 3 {@code .keras} file into plain data
 * ({@link org.calibkit.core.keras.KerasModel}) with the pure-Java HDF5 reader jhdf, and
 * {@link org.calibkit.core.keras.KerasGraph} rebuilds it as a TensorFlow-Java graph with the
 * weights as constants. {@code org.calibkit.core.sources.KerasLogitSource} is the
 * {@code LogitSource} on top. Supported layers: InputLayer, Dense, Conv2D,
 * MaxPooling2D/AveragePooling2D, Flatten, Reshape, Dropout, Activation, BatchNormalization;
 * anything else is refused by name with the advice to export to ONNX.
 */
package org.calibkit.core.keras;
