/**
 * Models as calibkit uses them: {@link org.calibkit.core.model.Preprocessing} (the input
 * transform that travels with a model), {@link org.calibkit.core.model.LogitSource} (images to
 * raw logits, batched), and {@link org.calibkit.core.model.ModelBundle} (one versioned file with a
 * Tribuo model, its preprocessing, head, class names, training-data identity and metrics).
 */
package org.calibkit.core.model;
