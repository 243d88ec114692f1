package org.calibkit.core.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.calibkit.core.CalibkitException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * Reads a Keras model file into plain data ({@link KerasModel}): the layer chain from the
 * config and each layer's weights, with the pure-Java HDF5 reader jhdf (no native code touches
 * the file). Two containers:
 * <ul>
 *   <li>HDF5 {@code .h5} from {@code model.save} (Keras 2, and Keras 3 in its legacy format):
 *       a root attribute {@code model_config} (JSON) and a group {@code model_weights} with one
 *       group per layer, whose datasets sit at {@code <layer>/<layer>/kernel:0} (Keras 2) or
 *       {@code <layer>/<model>/<layer>/kernel} (Keras 3); weights are matched by their last
 *       path component ({@code kernel}, {@code bias}, {@code gamma}, {@code beta},
 *       {@code moving_mean}, {@code moving_variance}).</li>
 *   <li>Keras 3 {@code .keras}: a zip of {@code config.json} and {@code model.weights.h5},
 *       whose variables sit at {@code layers/<snake_case class name>[_i]/vars/<index>} in the
 *       layer's own order (kernel, bias; gamma, beta, moving mean, moving variance).</li>
 * </ul>
 * Configs: Sequential (its {@code config} an object with {@code layers}, or a bare list as in
 * Keras 2.0) and Functional models whose layers form one chain; input shape from an
 * {@code InputLayer}'s {@code batch_input_shape} or {@code batch_shape}, or the first layer's.
 */
public final class KerasFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** A Keras config larger than this is not a small image classifier; refused before parsing. */
    private static final long MAX_ZIP_ENTRY = 1L << 30;

    private KerasFile() {
    }

    /** True when the file starts with the HDF5 signature (at offset 0; Keras never writes a user block). */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(8), HDF5_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a {@code .h5} or {@code .keras} file.
     *
     * @throws CalibkitException naming the file and what is wrong: not HDF5 or zip, not a Keras
     *         model, weights only, an unsupported layer, a missing weight or one of the wrong shape
     */
    public static KerasModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("Keras model " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        String where = "Keras model " + file;
        if (isHdf5(file)) {
            try (HdfFile h = new HdfFile(file)) {
                return fromH5(h, where);
            } catch (CalibkitException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CalibkitException(where + " is a damaged HDF5 file: " + oneLine(e), e);
            }
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            throw new CalibkitException("cannot read " + where + ": " + e.getMessage(), e);
        }
        if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return fromZip(file, where);
        }
        throw new CalibkitException(where + " is neither an HDF5 file (.h5, Keras model.save) nor a zip (.keras)");
    }

    private static KerasModel fromH5(HdfFile h, String where) {
        Attribute cfg = h.getAttribute("model_config");
        if (cfg == null) {
            if (h.getAttribute("layer_names") != null) {
                throw new CalibkitException(where + " holds weights only (written by save_weights), no model; save the "
                        + "model with model.save('model.h5') or model.save('model.keras')");
            }
            throw new CalibkitException(where + " is an HDF5 file but not a Keras model (no 'model_config' attribute; "
                    + "its top-level entries are " + h.getChildren().keySet() + ")");
        }
        JsonNode config = parse(text(cfg.getData()), where + " attribute 'model_config'");
        List<LayerSpec> specs = KerasConfig.layers(config, where);
        Node mw = h.getChild("model_weights");
        if (!(mw instanceof Group weights)) {
            throw new CalibkitException(where + " has a model_config but no 'model_weights' group (saved without weights?)");
        }
        List<KerasModel.Layer> layers = new ArrayList<>();
        for (LayerSpec s : specs) {
            Map<String, KerasModel.Tensor> w = new HashMap<>();
            if (!s.weightNames().isEmpty()) {
                Node g = weights.getChild(s.name());
                if (!(g instanceof Group lg)) {
                    throw new CalibkitException(where + " has no weights for layer '" + s.name() + "' (model_weights/"
                            + s.name() + ")");
                }
                collect(lg, w, where);
            }
            layers.add(s.withWeights(w, where));
        }
        return new KerasModel(KerasConfig.inputShape(config, specs, where), layers, kerasVersion(h));
    }

    /** Datasets below a layer group, keyed by their last path component without ':0'. */
    private static void collect(Group g, Map<String, KerasModel.Tensor> out, String where) {
        for (Node n : g) {
            if (n instanceof Group sub) {
                collect(sub, out, where);
            } else if (n instanceof Dataset d) {
                String key = n.getName();
                int colon = key.indexOf(':');
                if (colon > 0) {
                    key = key.substring(0, colon);
                }
                out.put(key, tensor(d, where));
            }
        }
    }

    private static KerasModel fromZip(Path file, String where) {
        byte[] config = null;
        byte[] weights = null;
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.getName().equals("config.json")) {
                    config = readBounded(z, where, e.getName());
                } else if (e.getName().equals("model.weights.h5")) {
                    weights = readBounded(z, where, e.getName());
                }
            }
        } catch (NoSuchFileException e) {
            throw new CalibkitException(where + " does not exist");
        } catch (IOException e) {
            throw new CalibkitException(where + " is a damaged zip: " + e.getMessage(), e);
        }
        if (config == null) {
            throw new CalibkitException(where + " is a zip without config.json, so not a Keras 3 .keras file");
        }
        JsonNode cfg = parse(new String(config, StandardCharsets.UTF_8), where + " config.json");
        List<LayerSpec> specs = KerasConfig.layers(cfg, where);
        if (weights == null) {
            throw new CalibkitException(where + " has no model.weights.h5 (a .keras file saved without weights?)");
        }
        if (weights.length < 8 || !Arrays.equals(Arrays.copyOf(weights, 8), HDF5_SIGNATURE)) {
            throw new CalibkitException(where + " model.weights.h5 is not an HDF5 file");
        }
        try (HdfFile h = HdfFile.fromBytes(weights)) {
            Node root = h.getChild("layers");
            if (!(root instanceof Group layersGroup)) {
                root = h.getChild("_layer_checkpoint_dependencies"); // Keras 2.13-2.15 .keras files
            }
            if (!(root instanceof Group layersGroup)) {
                throw new CalibkitException(where + " model.weights.h5 has no 'layers' group; its entries are "
                        + h.getChildren().keySet());
            }
            Map<String, Integer> used = new HashMap<>();
            List<KerasModel.Layer> layers = new ArrayList<>();
            for (LayerSpec s : specs) {
                String base = snakeCase(s.className());
                int i = used.merge(base, 1, Integer::sum) - 1;
                String key = i == 0 ? base : base + "_" + i;
                Map<String, KerasModel.Tensor> w = new HashMap<>();
                if (!s.weightNames().isEmpty()) {
                    Node g = layersGroup.getChild(key);
                    if (g == null) {
                        g = layersGroup.getChild(s.name());
                    }
                    Node vars = g instanceof Group lg ? lg.getChild("vars") : null;
                    if (!(vars instanceof Group vg)) {
                        throw new CalibkitException(where + " model.weights.h5 has no layers/" + key + "/vars for layer '"
                                + s.name() + "'");
                    }
                    for (int v = 0; v < s.weightNames().size(); v++) {
                        Node d = vg.getChild(Integer.toString(v));
                        if (d instanceof Dataset ds) {
                            w.put(s.weightNames().get(v), tensor(ds, where));
                        }
                    }
                }
                layers.add(s.withWeights(w, where));
            }
            return new KerasModel(KerasConfig.inputShape(cfg, specs, where), layers, "3 (.keras)");
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CalibkitException(where + " model.weights.h5 is damaged: " + oneLine(e), e);
        }
    }

    private static byte[] readBounded(ZipInputStream z, String where, String name) throws IOException {
        byte[] b = z.readNBytes((int) Math.min(MAX_ZIP_ENTRY, Integer.MAX_VALUE - 8));
        if (z.read() != -1) {
            throw new CalibkitException(where + " entry " + name + " is larger than 1 GiB; not a small image classifier");
        }
        return b;
    }

    /** Keras' own names for a layer class in .keras weight files: Conv2D -> conv2d, BatchNormalization -> batch_normalization. */
    static String snakeCase(String cls) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cls.length(); i++) {
            char c = cls.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c) && (!Character.isUpperCase(cls.charAt(i - 1))
                    || (i + 1 < cls.length() && Character.isLowerCase(cls.charAt(i + 1))));
            if (boundary) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static KerasModel.Tensor tensor(Dataset d, String where) {
        int[] dims = d.getDimensions();
        Object flat = d.getDataFlat();
        float[] v;
        if (flat instanceof float[] f) {
            v = f;
        } else if (flat instanceof double[] dd) {
            v = new float[dd.length];
            for (int i = 0; i < dd.length; i++) {
                v[i] = (float) dd[i];
            }
        } else {
            throw new CalibkitException(where + " weight " + d.getPath() + " has type " + d.getJavaType().getSimpleName()
                    + "; expected float32 or float64 weights");
        }
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        return new KerasModel.Tensor(v, shape);
    }

    private static String kerasVersion(HdfFile h) {
        Attribute a = h.getAttribute("keras_version");
        return a == null ? "unknown" : text(a.getData());
    }

    private static String text(Object data) {
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] a && a.length == 1) {
            return a[0];
        }
        if (data instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        throw new CalibkitException("expected a text attribute, but got " + (data == null ? "nothing"
                : data.getClass().getSimpleName()));
    }

    private static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new CalibkitException(what + " is not valid JSON: " + oneLine(e), e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** A layer as the config states it, before its weights are attached. */
    record LayerSpec(String className, String name, JsonNode config, List<String> weightNames) {
        KerasModel.Layer withWeights(Map<String, KerasModel.Tensor> w, String where) {
            Map<String, KerasModel.Tensor> ordered = new LinkedHashMap<>();
            for (String n : weightNames) {
                KerasModel.Tensor t = w.get(n);
                if (t == null) {
                    throw new CalibkitException(where + " layer '" + name + "' (" + className + ") has no weight '" + n
                            + "'; found " + w.keySet());
                }
                ordered.put(n, t);
            }
            return new KerasModel.Layer(className, name, config, ordered);
        }
    }
}
