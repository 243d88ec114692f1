/**
 * Trainers, all through Tribuo: multinomial logistic regression
 * ({@link org.calibkit.core.train.LogisticTrainer}, Tribuo's LinearSGDTrainer) and a CNN
 * ({@link org.calibkit.core.train.CnnTrainer}, TF-Java training loop packaged as Tribuo's
 * TensorFlowNativeModel) with softmax or one-vs-rest sigmoid head and optional L2-constrained
 * softmax. Each returns a {@link org.calibkit.core.model.ModelBundle}.
 */
package org.calibkit.core.train;
