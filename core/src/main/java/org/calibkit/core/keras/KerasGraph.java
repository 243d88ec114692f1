package org.calibkit.core.keras;

import java.util.Arrays;
import java.util.List;

import org.calibkit.core.CalibkitException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@link KerasModel} rebuilt as a TensorFlow-Java graph with its weights as constants, run in
 * a TensorFlow session (the engine Keras itself runs on): Dense is {@code MatMul + BiasAdd},
 * Conv2D {@code Conv2D} (NHWC, HWIO kernels, Keras' {@code valid}/{@code same} padding),
 * pooling {@code MaxPool}/{@code AvgPool}, BatchNormalization in inference form folded into one
 * multiply and add per channel ({@code gamma / sqrt(var + eps)}, {@code beta - mean * that}),
 * Flatten and Reshape {@code Reshape} (row-major, as Keras), Dropout the identity.
 *
 * <p>When the last activation is a softmax (or a sigmoid), the graph's output is its input, the
 * logits, and {@link #finalActivation()} says which one was taken off. Every weight's shape is
 * checked against the config and the shape flowing in, so a mismatch is an error naming the
 * layer, not a TensorFlow crash. Holds a native session: {@link #close()} it.
 */
public final class KerasGraph implements AutoCloseable {
    private static final String INPUT = "keras_input";
    private final Graph graph;
    private final Session session;
    private final String output;
    private final long[] inputShape;
    private final int columns;
    private final String finalActivation;
    private final String where;

    private KerasGraph(Graph graph, Session session, String output, long[] inputShape, int columns,
                       String finalActivation, String where) {
        this.graph = graph;
        this.session = session;
        this.output = output;
        this.inputShape = inputShape;
        this.columns = columns;
        this.finalActivation = finalActivation;
        this.where = where;
    }

    /**
     * Builds the graph.
     *
     * @param model        the model read by {@link KerasFile}
     * @param keepSoftmax  keep a final softmax or sigmoid in the graph (the output is then probabilities)
     * @param threads      intra-op threads (0 = TensorFlow's default)
     * @param where        names the model in messages
     * @throws CalibkitException naming the layer whose config or weights do not fit
     */
    public static KerasGraph build(KerasModel model, boolean keepSoftmax, int threads, String where) {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            long[] in = model.inputShape();
            Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(in)));
            Operand<TFloat32> h = x;
            long[] shape = Arrays.copyOfRange(in, 1, in.length); // without the batch dimension
            List<KerasModel.Layer> layers = model.layers();
            int lastActive = layers.size() - 1;
            while (lastActive > 0 && layers.get(lastActive).className().equals("Dropout")) {
                lastActive--;
            }
            String stripped = "none";
            for (int i = 0; i < layers.size(); i++) {
                KerasModel.Layer l = layers.get(i);
                String what = where + " layer '" + l.name() + "' (" + l.className() + ")";
                JsonNode c = l.config();
                String act = l.activation();
                boolean strip = !keepSoftmax && i == lastActive && (act.equals("softmax") || act.equals("sigmoid"));
                switch (l.className()) {
                    case "Dense" -> {
                        if (shape.length != 1) {
                            throw new CalibkitException(what + " gets a " + Arrays.toString(shape) + " input; calibkit's "
                                    + "Keras reader applies Dense to flat inputs only (add a Flatten before it)");
                        }
                        long units = c.path("units").asLong(-1);
                        KerasModel.Tensor k = l.weights().get("kernel");
                        check(what, "kernel", k, new long[] {shape[0], units});
                        h = tf.linalg.matMul(h, constant(tf, k));
                        if (l.weights().containsKey("bias")) {
                            KerasModel.Tensor b = l.weights().get("bias");
                            check(what, "bias", b, new long[] {units});
                            h = tf.nn.biasAdd(h, constant(tf, b));
                        }
                        shape = new long[] {units};
                    }
                    case "Conv2D", "Convolution2D" -> {
                        requireImage(what, shape);
                        long[] ks = pair(c.get("kernel_size"), what, "kernel_size");
                        long[] st = pair(c.get("strides"), what, "strides");
                        long[] dil = c.has("dilation_rate") ? pair(c.get("dilation_rate"), what, "dilation_rate") : new long[] {1, 1};
                        if (dil[0] != 1 || dil[1] != 1 || c.path("groups").asInt(1) != 1) {
                            throw new CalibkitException(what + " uses dilation or groups; calibkit's Keras reader does not; "
                                    + "export to ONNX with tf2onnx");
                        }
                        long filters = c.path("filters").asLong(-1);
                        KerasModel.Tensor k = l.weights().get("kernel");
                        check(what, "kernel", k, new long[] {ks[0], ks[1], shape[2], filters});
                        String pad = padding(c, what);
                        h = tf.nn.conv2d(h, constant(tf, k), List.of(1L, st[0], st[1], 1L), pad);
                        if (l.weights().containsKey("bias")) {
                            KerasModel.Tensor b = l.weights().get("bias");
                            check(what, "bias", b, new long[] {filters});
                            h = tf.nn.biasAdd(h, constant(tf, b));
                        }
                        shape = new long[] {out(shape[0], ks[0], st[0], pad), out(shape[1], ks[1], st[1], pad), filters};
                    }
                    case "MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D" -> {
                        requireImage(what, shape);
                        long[] ps = pair(c.get("pool_size"), what, "pool_size");
                        JsonNode sn = c.get("strides");
                        long[] st = sn == null || sn.isNull() ? ps : pair(sn, what, "strides");
                        String pad = padding(c, what);
                        if (l.className().startsWith("Max")) {
                            h = tf.nn.maxPool(h, tf.constant(new int[] {1, (int) ps[0], (int) ps[1], 1}),
                                    tf.constant(new int[] {1, (int) st[0], (int) st[1], 1}), pad);
                        } else {
                            h = tf.nn.avgPool(h, List.of(1L, ps[0], ps[1], 1L), List.of(1L, st[0], st[1], 1L), pad);
                        }
                        shape = new long[] {out(shape[0], ps[0], st[0], pad), out(shape[1], ps[1], st[1], pad), shape[2]};
                    }
                    case "Flatten" -> {
                        long n = product(shape);
                        h = tf.reshape(h, tf.constant(new long[] {-1, n}));
                        shape = new long[] {n};
                    }
                    case "Reshape" -> {
                        JsonNode t = c.get("target_shape");
                        long[] target = new long[t == null ? 0 : t.size()];
                        for (int d = 0; d < target.length; d++) {
                            target[d] = t.get(d).asLong();
                        }
                        if (target.length == 0 || product(target) != product(shape)) {
                            throw new CalibkitException(what + " reshapes " + Arrays.toString(shape) + " to " + t
                                    + ", which holds a different number of values");
                        }
                        long[] full = new long[target.length + 1];
                        full[0] = -1;
                        System.arraycopy(target, 0, full, 1, target.length);
                        h = tf.reshape(h, tf.constant(full));
                        shape = target;
                    }
                    case "BatchNormalization" -> {
                        int axis = c.path("axis").isArray() ? c.path("axis").get(0).asInt() : c.path("axis").asInt(-1);
                        if (axis != -1 && axis != shape.length) {
                            throw new CalibkitException(what + " normalises axis " + axis + "; calibkit's Keras reader "
                                    + "normalises the last (channels) axis only");
                        }
                        long width = shape[shape.length - 1];
                        h = batchNorm(tf, h, l, width, c.path("epsilon").asDouble(1e-3), what);
                    }
                    case "Dropout", "Activation" -> {
                        // dropout is the identity at inference; Activation is applied below
                    }
                    default -> throw new IllegalStateException(l.className());
                }
                if (strip) {
                    stripped = act;
                } else {
                    h = activation(tf, h, act);
                }
            }
            if (shape.length != 1 || shape[0] < 2) {
                throw new CalibkitException(where + " gives outputs of shape " + Arrays.toString(shape) + " per image; "
                        + "calibkit needs one score per class (a vector of at least 2)");
            }
            String out = tf.withName("keras_output").identity(h).op().name();
            ConfigProto.Builder cfg = ConfigProto.newBuilder();
            if (threads > 0) {
                cfg.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1);
            }
            Session s = new Session(g, cfg.build());
            return new KerasGraph(g, s, out, in, (int) shape[0], stripped, where);
        } catch (RuntimeException e) {
            g.close();
            if (e instanceof CalibkitException) {
                throw e;
            }
            throw new CalibkitException(where + " cannot be rebuilt as a TensorFlow graph: " + KerasFile.oneLine(e), e);
        }
    }

    private static Operand<TFloat32> batchNorm(Ops tf, Operand<TFloat32> h, KerasModel.Layer l, long width, double eps,
                                               String what) {
        float[] mean = vector(l, "moving_mean", width, what, 0);
        float[] var = vector(l, "moving_variance", width, what, 1);
        float[] gamma = vector(l, "gamma", width, what, 1);
        float[] beta = vector(l, "beta", width, what, 0);
        float[] a = new float[(int) width];
        float[] b = new float[(int) width];
        for (int i = 0; i < width; i++) {
            double s = gamma[i] / Math.sqrt(var[i] + eps);
            a[i] = (float) s;
            b[i] = (float) (beta[i] - mean[i] * s);
        }
        Shape sh = Shape.of(width);
        return tf.math.add(tf.math.mul(h, tf.constant(sh, DataBuffers.of(a, true, false))),
                tf.constant(sh, DataBuffers.of(b, true, false)));
    }

    private static float[] vector(KerasModel.Layer l, String name, long width, String what, float absent) {
        KerasModel.Tensor t = l.weights().get(name);
        if (t == null) {
            float[] v = new float[(int) width];
            Arrays.fill(v, absent);
            return v;
        }
        check(what, name, t, new long[] {width});
        return t.values();
    }

    private static Operand<TFloat32> activation(Ops tf, Operand<TFloat32> h, String act) {
        return switch (act) {
            case "relu" -> tf.nn.relu(h);
            case "softmax" -> tf.nn.softmax(h);
            case "sigmoid" -> tf.math.sigmoid(h);
            case "tanh" -> tf.math.tanh(h);
            default -> h; // linear
        };
    }

    private static Operand<TFloat32> constant(Ops tf, KerasModel.Tensor t) {
        return tf.constant(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false));
    }

    private static void check(String what, String name, KerasModel.Tensor t, long[] want) {
        if (t == null) {
            throw new CalibkitException(what + " has no weight '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), want)) {
            throw new CalibkitException(what + " weight '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", but its config and input need " + Arrays.toString(want).replace("-1", "?"));
        }
    }

    private static void requireImage(String what, long[] shape) {
        if (shape.length != 3) {
            throw new CalibkitException(what + " gets a " + Arrays.toString(shape) + " input; it needs height x width x "
                    + "channels (add a Reshape before it)");
        }
    }

    private static String padding(JsonNode c, String what) {
        String p = c.path("padding").asText("valid");
        if (!p.equals("valid") && !p.equals("same")) {
            throw new CalibkitException(what + " has padding '" + p + "'; calibkit reads 'valid' and 'same'");
        }
        return p.toUpperCase(java.util.Locale.ROOT);
    }

    private static long out(long in, long k, long s, String pad) {
        return pad.equals("SAME") ? (in + s - 1) / s : (in - k) / s + 1;
    }

    private static long[] pair(JsonNode n, String what, String field) {
        if (n == null || n.isNull()) {
            throw new CalibkitException(what + " config has no " + field);
        }
        if (n.isNumber()) {
            return new long[] {n.asLong(), n.asLong()};
        }
        if (!n.isArray() || n.size() != 2) {
            throw new CalibkitException(what + " config " + field + " is " + n + "; expected two numbers");
        }
        return new long[] {n.get(0).asLong(), n.get(1).asLong()};
    }

    private static long product(long[] s) {
        long p = 1;
        for (long d : s) {
            p *= d;
        }
        return p;
    }

    /** The model's input shape (batch dimension first, -1 when dynamic). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Output values per image. */
    public int columns() {
        return columns;
    }

    /** {@code softmax} or {@code sigmoid} when the model's last activation was taken off (the output is its input), else {@code none}. */
    public String finalActivation() {
        return finalActivation;
    }

    /**
     * Runs one batch.
     *
     * @param input row-major values, exactly the product of {@code shape}
     * @param shape the batch's shape (the model's input shape with the batch size first)
     * @return rows x {@link #columns()} values, row-major
     */
    public float[] run(float[] input, long[] shape) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false));
             Result r = session.runner().feed(INPUT, x).fetch(output).run()) {
            Tensor t = r.get(0);
            long[] s = t.shape().asArray();
            if (s.length != 2 || s[0] != shape[0] || s[1] != columns) {
                throw new CalibkitException(where + " gave outputs of shape " + Arrays.toString(s) + " for a batch of "
                        + shape[0]);
            }
            float[] out = new float[(int) (s[0] * s[1])];
            ((TFloat32) t).asRawTensor().data().asFloats().read(out);
            return out;
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CalibkitException(where + " failed on a batch of shape " + Arrays.toString(shape) + ": "
                    + KerasFile.oneLine(e), e);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
