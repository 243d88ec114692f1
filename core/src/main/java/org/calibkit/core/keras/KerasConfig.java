package org.calibkit.core.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.calibkit.core.CalibkitException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The layer chain of a Keras {@code model_config} / {@code config.json}: Sequential (layers in
 * an object, or a bare list as Keras 2.0 wrote them) or a Functional model whose layers form one
 * chain from its input to its output (inbound nodes in the Keras 2 form {@code [[["name", 0, 0,
 * {}]]]} or the Keras 3 form {@code [{"args": [{"config": {"keras_history": ["name", 0, 0]}}]}]}).
 */
final class KerasConfig {
    /** The layers calibkit evaluates; everything else is refused by name. */
    static final Set<String> SUPPORTED = Set.of("InputLayer", "Dense", "Conv2D", "Convolution2D", "MaxPooling2D",
            "MaxPool2D", "AveragePooling2D", "AvgPool2D", "Flatten", "Reshape", "Dropout", "Activation",
            "BatchNormalization");
    static final Set<String> ACTIVATIONS = Set.of("relu", "softmax", "sigmoid", "tanh", "linear");

    private KerasConfig() {
    }

    /** The layers in data-flow order, InputLayer excluded, each checked against {@link #SUPPORTED}. */
    static List<KerasFile.LayerSpec> layers(JsonNode model, String where) {
        String cls = model.path("class_name").asText("");
        JsonNode cfg = model.get("config");
        JsonNode list;
        boolean functional;
        if (cls.equals("Sequential")) {
            list = cfg != null && cfg.isArray() ? cfg : cfg == null ? null : cfg.get("layers");
            functional = false;
        } else if (cls.equals("Functional") || cls.equals("Model")) {
            list = cfg == null ? null : cfg.get("layers");
            functional = true;
        } else {
            throw new CalibkitException(where + " is a Keras '" + cls + "' model; calibkit reads Sequential and Functional "
                    + "models (a subclassed model has no config to rebuild it from); export it to ONNX with tf2onnx");
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new CalibkitException(where + " config has no layers");
        }
        List<JsonNode> ordered = functional ? chain(cfg, list, where) : toList(list);
        List<KerasFile.LayerSpec> out = new ArrayList<>();
        for (JsonNode l : ordered) {
            String c = l.path("class_name").asText("");
            JsonNode lc = l.path("config");
            String name = lc.path("name").asText(l.path("name").asText(c));
            if (!SUPPORTED.contains(c)) {
                throw new CalibkitException(where + " layer '" + name + "' is a " + c + ", which calibkit's Keras reader "
                        + "does not evaluate (it reads " + String.join(", ", new java.util.TreeSet<>(SUPPORTED))
                        + "); export the model to ONNX with tf2onnx (python -m tf2onnx.convert --saved-model DIR "
                        + "--output model.onnx) and audit the .onnx file");
            }
            if (c.equals("InputLayer")) {
                continue;
            }
            String act = lc.path("activation").asText("linear");
            if (lc.has("activation") && lc.get("activation").isTextual() && !ACTIVATIONS.contains(act)) {
                throw new CalibkitException(where + " layer '" + name + "' has activation '" + act + "'; calibkit's Keras "
                        + "reader knows " + ACTIVATIONS + "; export the model to ONNX with tf2onnx");
            }
            String df = lc.path("data_format").asText("channels_last");
            if (!df.equals("channels_last") && !(c.equals("Flatten") || c.equals("Dense"))) {
                throw new CalibkitException(where + " layer '" + name + "' uses data_format " + df + "; calibkit's Keras "
                        + "reader evaluates channels_last models (TensorFlow's CPU kernels); export to ONNX with tf2onnx");
            }
            out.add(new KerasFile.LayerSpec(c, name, lc, weightNames(c, lc)));
        }
        if (out.isEmpty()) {
            throw new CalibkitException(where + " config has no layers after its input");
        }
        return out;
    }

    private static List<String> weightNames(String cls, JsonNode c) {
        List<String> w = new ArrayList<>();
        switch (cls) {
            case "Dense", "Conv2D", "Convolution2D" -> {
                w.add("kernel");
                if (c.path("use_bias").asBoolean(true)) {
                    w.add("bias");
                }
            }
            case "BatchNormalization" -> {
                if (c.path("scale").asBoolean(true)) {
                    w.add("gamma");
                }
                if (c.path("center").asBoolean(true)) {
                    w.add("beta");
                }
                w.add("moving_mean");
                w.add("moving_variance");
            }
            default -> {
            }
        }
        return w;
    }

    /** The input shape with the batch dimension first and -1 where it is null. */
    static long[] inputShape(JsonNode model, List<KerasFile.LayerSpec> specs, String where) {
        JsonNode cfg = model.get("config");
        JsonNode list = cfg != null && cfg.isArray() ? cfg : cfg == null ? null : cfg.get("layers");
        JsonNode shape = null;
        if (list != null) {
            for (JsonNode l : list) {
                JsonNode lc = l.path("config");
                shape = lc.has("batch_input_shape") ? lc.get("batch_input_shape") : lc.get("batch_shape");
                if (shape != null && !shape.isNull()) {
                    break;
                }
            }
        }
        if ((shape == null || shape.isNull()) && cfg != null && cfg.isObject()) {
            shape = model.path("build_config").get("input_shape");
        }
        if (shape == null || !shape.isArray() || shape.size() < 2) {
            throw new CalibkitException(where + " config states no input shape (no InputLayer with batch_input_shape or "
                    + "batch_shape); build the model with an Input(shape=...) before saving it");
        }
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = shape.get(i);
            s[i] = d.isNull() ? -1 : d.asLong(-1);
            if (i > 0 && s[i] < 1) {
                throw new CalibkitException(where + " input shape " + shape + " has a dynamic image dimension; calibkit "
                        + "needs the image shape fixed in the model");
            }
        }
        return s;
    }

    private static List<JsonNode> toList(JsonNode a) {
        List<JsonNode> l = new ArrayList<>();
        a.forEach(l::add);
        return l;
    }

    /** Follows a Functional model from its output back to its input; refuses anything but one chain. */
    private static List<JsonNode> chain(JsonNode cfg, JsonNode list, String where) {
        Map<String, JsonNode> byName = new HashMap<>();
        Map<String, String> inbound = new HashMap<>();
        for (JsonNode l : list) {
            String name = l.path("name").asText(l.path("config").path("name").asText(""));
            byName.put(name, l);
            List<String> in = inboundNames(l.path("inbound_nodes"));
            if (in.size() > 1) {
                throw new CalibkitException(where + " layer '" + name + "' takes " + in.size() + " inputs " + in
                        + "; calibkit's Keras reader evaluates models whose layers form one chain; export to ONNX with tf2onnx");
            }
            if (in.size() == 1) {
                inbound.put(name, in.get(0));
            }
        }
        JsonNode outs = cfg.path("output_layers");
        if (!outs.isArray() || outs.isEmpty()) {
            throw new CalibkitException(where + " functional config has no output_layers");
        }
        if (outs.size() > 1 && outs.get(0).isArray()) {
            throw new CalibkitException(where + " has " + outs.size() + " outputs; calibkit reads models with one output");
        }
        String last = outs.get(0).isArray() ? outs.get(0).get(0).asText() : outs.get(0).asText();
        List<JsonNode> rev = new ArrayList<>();
        for (String n = last; n != null; n = inbound.get(n)) {
            JsonNode l = byName.get(n);
            if (l == null || rev.size() > list.size()) {
                throw new CalibkitException(where + " functional config refers to layer '" + n + "', which it does not define");
            }
            rev.add(0, l);
        }
        if (rev.size() != list.size()) {
            throw new CalibkitException(where + " has layers outside the chain from its input to its output (branches); "
                    + "calibkit's Keras reader evaluates one chain; export to ONNX with tf2onnx");
        }
        return rev;
    }

    private static List<String> inboundNames(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        if (!nodes.isArray()) {
            return names;
        }
        if (nodes.size() > 1) {
            names.add("(shared layer)");
            names.add("(called " + nodes.size() + " times)");
            return names;
        }
        for (JsonNode node : nodes) {
            if (node.isArray()) { // Keras 2: [[name, node, tensor, kwargs], ...]
                for (JsonNode t : node) {
                    names.add(t.get(0).asText());
                }
            } else { // Keras 3: {"args": [keras tensor, ...], "kwargs": {}}
                for (JsonNode a : node.path("args")) {
                    collectHistory(a, names);
                }
            }
        }
        return names;
    }

    private static void collectHistory(JsonNode a, List<String> names) {
        JsonNode h = a.path("config").get("keras_history");
        if (h != null && h.isArray()) {
            names.add(h.get(0).asText());
        } else if (a.isArray()) {
            a.forEach(x -> collectHistory(x, names));
        }
    }
}
