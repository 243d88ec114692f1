package org.calibkit.core.model;

/** Computes logits, n x K in class order, from inputs already preprocessed (channels-last). */
interface LogitEngine extends AutoCloseable {
    double[][] logits(float[] inputs, int n);

    @Override
    void close();
}
