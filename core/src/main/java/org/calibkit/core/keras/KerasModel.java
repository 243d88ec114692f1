package org.calibkit.core.keras;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Keras model as plain data, read by {@link KerasFile}: the input shape (batch dimension
 * first, -1 where dynamic), the layers in the order data flows through them, each with its
 * config and weights, and the Keras version that wrote it.
 *
 * @param inputShape   e.g. {@code [-1, 28, 28, 1]} or {@code [-1, 784]}
 * @param layers       the chain, InputLayer excluded
 * @param kerasVersion as the file states it ({@code 2.4.0}, {@code 3 (.keras)}, or {@code unknown})
 */
public record KerasModel(long[] inputShape, List<Layer> layers, String kerasVersion) {
    public KerasModel {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * One layer.
     *
     * @param className Keras class ({@code Dense}, {@code Conv2D}, ...)
     * @param name      the layer's name in the file
     * @param config    its config object
     * @param weights   by Keras weight name ({@code kernel}, {@code bias}, {@code gamma}, ...), in Keras' order
     */
    public record Layer(String className, String name, JsonNode config, Map<String, Tensor> weights) {
        public Layer {
            weights = Map.copyOf(weights);
        }

        /** The activation named in the config ({@code linear} when none). */
        public String activation() {
            JsonNode a = config.get("activation");
            return a == null || a.isNull() ? "linear" : a.isTextual() ? a.asText()
                    : a.path("config").path("name").asText(a.path("class_name").asText("?"));
        }
    }

    /**
     * A weight: float values in row-major order and their shape.
     *
     * @param values row-major values
     * @param shape  dimensions
     */
    public record Tensor(float[] values, long[] shape) {
        @Override
        public String toString() {
            return Arrays.toString(shape);
        }
    }
}
