/**
 * Predictions for a user's own images: PNG/JPEG files, IDX files or {@code .npy} batches in
 * ({@link org.calibkit.cli.predict.PredictInputs}), every class's probability out
 * ({@link org.calibkit.cli.predict.Predictor}), as a table or JSON. What {@code calibkit predict} calls.
 */
package org.calibkit.cli.predict;
