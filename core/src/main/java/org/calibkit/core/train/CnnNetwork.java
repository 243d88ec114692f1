package org.calibkit.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.calibkit.calibration.Head;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tribuo.interop.tensorflow.TensorFlowUtil;

/**
 * The CNN as a TensorFlow graph, built with the TF-Java Ops API. One builder makes two graphs
 * with the same variable names: a training graph (dropout on, loss) and an inference graph
 * (no dropout op at all) that becomes the Tribuo model. Weights move between them through
 * Tribuo's own marshalling convention (a placeholder {@code <var>-tribuo-Placeholder} and an
 * op {@code <var>/Assign_from_Placeholder} per variable), which is also what Tribuo's
 * {@code TensorFlowNativeModel} uses to restore a saved model.
 *
 * <p>Default network (the classic TensorFlow MNIST tutorial): conv 5x5x32 same -> relu ->
 * maxpool 2 -> conv 5x5x64 same -> relu -> maxpool 2 -> dense 1024 relu -> dropout -> dense K;
 * for 3 input channels the same shape with 3 input channels. Ops {@code input} (batch, H, W,
 * C), {@code logits} (batch, K) and {@code probabilities} (softmax or sigmoid of the logits).
 *
 * <p>L2-constrained softmax (Ranjan, Castillo and Chellappa 2017, arXiv 1703.09507): the
 * penultimate (1024-d) features are L2-normalised and multiplied by alpha, a constant or a
 * learned scalar, before the last dense layer.
 */
final class CnnNetwork {
    static final String INPUT = "input";
    static final String TARGETS = "targets";
    static final String LOGITS = "logits";
    static final String PROBABILITIES = "probabilities";
    static final String LOSS = "loss";
    static final String ALPHA = "l2_alpha";

    /** Network shape and head. */
    record Spec(int height, int width, int channels, int classes, int conv1, int conv2, int dense,
                Head head, double l2Alpha, boolean l2Learned) {
        boolean l2() {
            return l2Learned || l2Alpha > 0;
        }

        int flat() {
            int h = (height + 1) / 2;
            h = (h + 1) / 2;
            int w = (width + 1) / 2;
            w = (w + 1) / 2;
            return h * w * conv2;
        }

        /** Variable names and shapes, in a fixed order. */
        Map<String, long[]> variables() {
            Map<String, long[]> v = new LinkedHashMap<>();
            v.put("conv1_w", new long[] {5, 5, channels, conv1});
            v.put("conv1_b", new long[] {conv1});
            v.put("conv2_w", new long[] {5, 5, conv1, conv2});
            v.put("conv2_b", new long[] {conv2});
            v.put("fc1_w", new long[] {flat(), dense});
            v.put("fc1_b", new long[] {dense});
            v.put("fc2_w", new long[] {dense, classes});
            v.put("fc2_b", new long[] {classes});
            if (l2Learned) {
                v.put(ALPHA, new long[] {});
            }
            return v;
        }
    }

    /** A built graph: its ops of interest. */
    record Built(Graph graph, Ops tf, Placeholder<TFloat32> input, Operand<TFloat32> logits,
                 Operand<TFloat32> loss, Placeholder<TFloat32> targets, Map<String, Variable<TFloat32>> variables) {
    }

    private CnnNetwork() {
    }

    /**
     * Builds the network into a new graph.
     *
     * @param dropout    dropout rate for the training graph; ignored when {@code training} is false
     * @param dropoutSeed seed of the dropout masks
     */
    static Built build(Spec s, boolean training, float dropout, long dropoutSeed) {
        Graph g = new Graph();
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
        Map<String, Variable<TFloat32>> v = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : s.variables().entrySet()) {
            Variable<TFloat32> var = tf.withName(e.getKey()).variable(Shape.of(e.getValue()), TFloat32.class);
            v.put(e.getKey(), var);
            addAssignFromPlaceholder(g, e.getKey(), var);
        }
        List<Long> ones = Arrays.asList(1L, 1L, 1L, 1L);
        Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, v.get("conv1_w"), ones, "SAME"), v.get("conv1_b")));
        h = maxPool2(g, h);
        h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, v.get("conv2_w"), ones, "SAME"), v.get("conv2_b")));
        h = maxPool2(g, h);
        h = tf.reshape(h, tf.constant(new int[] {-1, s.flat()}));
        h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(h, v.get("fc1_w")), v.get("fc1_b")));
        if (training && dropout > 0) {
            Operand<TFloat32> u = tf.random.randomUniform(tf.shape(h), TFloat32.class,
                    RandomUniform.seed(dropoutSeed), RandomUniform.seed2(dropoutSeed ^ 0x5DEECE66DL));
            Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(dropout)), TFloat32.class);
            h = tf.math.mul(h, tf.math.mul(keep, tf.constant(1f / (1f - dropout))));
        }
        if (s.l2()) {
            Operand<TFloat32> sq = tf.sum(tf.math.square(h), tf.constant(1), org.tensorflow.op.core.Sum.keepDims(true));
            Operand<TFloat32> unit = tf.math.mul(h, tf.math.rsqrt(tf.math.add(sq, tf.constant(1e-12f))));
            Operand<TFloat32> alpha = s.l2Learned() ? v.get(ALPHA) : tf.constant((float) s.l2Alpha());
            h = tf.math.mul(unit, alpha);
        }
        Operand<TFloat32> logits = tf.withName(LOGITS).nn.biasAdd(tf.linalg.matMul(h, v.get("fc2_w")), v.get("fc2_b"));
        if (s.head() == Head.SOFTMAX) {
            tf.withName(PROBABILITIES).nn.softmax(logits);
        } else {
            tf.withName(PROBABILITIES).math.sigmoid(logits);
        }
        Placeholder<TFloat32> y = null;
        Operand<TFloat32> loss = null;
        if (training) {
            y = tf.withName(TARGETS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s.classes())));
            if (s.head() == Head.SOFTMAX) {
                loss = tf.withName(LOSS).math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
            } else {
                loss = tf.withName(LOSS).identity(org.calibkit.core.model.SigmoidLabelConverter.sigmoidLoss(tf, logits, y));
            }
        }
        return new Built(g, tf, x, logits, loss, y, v);
    }

    /**
     * A 2x2 max-pool, stride 2, SAME padding, as TensorFlow's original {@code MaxPool} op with its
     * window in attributes. TF-Java's {@code tf.nn.maxPool} makes {@code MaxPoolV2} (window as
     * tensors), which TensorFlow's oneDNN rewrite leaves to the slower Eigen kernel, forward and
     * gradient (docs/training.md, "Where the time goes").
     */
    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> maxPool2(Graph g, Operand<TFloat32> h) {
        long[] window = {1, 2, 2, 1};
        return (Operand<TFloat32>) (Operand<?>) g.opBuilder("MaxPool", g.baseScope().makeOpName("MaxPool"), g.baseScope())
                .addInput(h.asOutput())
                .setAttr("ksize", window)
                .setAttr("strides", window)
                .setAttr("padding", "SAME")
                .build().output(0);
    }

    /**
     * Adam (Kingma and Ba 2015) over all network variables with the learning rate fed through
     * {@code learningRate} at every step, so it can follow a schedule (TF-Java's framework
     * optimisers take a constant). Uses TensorFlow's {@code ApplyAdam} kernel; moment slots start
     * at 0 and the bias-correction powers at beta1, beta2, as in TensorFlow's own Adam.
     *
     * @return the op to run once per step
     */
    static Adam adam(Built b, Placeholder<TFloat32> learningRate, float beta1, float beta2, float epsilon) {
        Ops tf = b.tf();
        Graph g = b.graph();
        List<Variable<TFloat32>> vars = new ArrayList<>(b.variables().values());
        org.tensorflow.op.core.Gradients grads = tf.gradients(b.loss(), vars);
        // Every slot is a plain variable set explicitly through its assign-from-placeholder op:
        // no reliance on graph initialisers, whose memory was measured to be reused unset
        // between sessions in one process.
        Map<String, float[]> start = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Variable<TFloat32> b1p = slot(tf, g, "adam_beta1_power", new long[] {}, shapes);
        Variable<TFloat32> b2p = slot(tf, g, "adam_beta2_power", new long[] {}, shapes);
        start.put("adam_beta1_power", new float[] {beta1});
        start.put("adam_beta2_power", new float[] {beta2});
        Operand<TFloat32> b1 = tf.constant(beta1);
        Operand<TFloat32> b2 = tf.constant(beta2);
        Operand<TFloat32> eps = tf.constant(epsilon);
        // Every gradient is computed before any variable changes: gradient ops read the
        // variables when they run, so without this barrier an early update would leak into
        // later gradients (nondeterministically).
        List<Op> gradOps = new ArrayList<>();
        List<Operand<TFloat32>> gradValues = new ArrayList<>();
        for (int j = 0; j < vars.size(); j++) {
            org.tensorflow.op.core.Identity<TFloat32> id = tf.identity(grads.<TFloat32>dy(j));
            gradOps.add(id);
            gradValues.add(id);
        }
        Ops barrier = tf.withControlDependencies(gradOps);
        List<Op> updates = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Variable<TFloat32>> e : b.variables().entrySet()) {
            long[] shape = e.getValue().shape().asArray();
            int size = (int) Shape.of(shape).size();
            Variable<TFloat32> m = slot(tf, g, e.getKey() + "_adam_m", shape, shapes);
            Variable<TFloat32> v = slot(tf, g, e.getKey() + "_adam_v", shape, shapes);
            start.put(e.getKey() + "_adam_m", new float[size]);
            start.put(e.getKey() + "_adam_v", new float[size]);
            Operand<TFloat32> grad = gradValues.get(i++);
            updates.add(barrier.train.applyAdam(e.getValue(), m, v, b1p, b2p, learningRate, b1, b2, eps, grad));
        }
        Ops after = tf.withControlDependencies(updates);
        Op p1 = after.assign(b1p, after.math.mul(b1p, b1));
        Op p2 = after.assign(b2p, after.math.mul(b2p, b2));
        return new Adam(tf.withControlDependencies(p1, p2).noOp(), shapes, start);
    }

    /** The Adam step op, and its slot variables with their starting values. */
    record Adam(Op step, Map<String, long[]> shapes, Map<String, float[]> start) {
        /** Sets every slot to its starting value (moments 0, powers beta1 and beta2). */
        void reset(Session session) {
            assign(session, shapes, start);
        }
    }

    private static Variable<TFloat32> slot(Ops tf, Graph g, String name, long[] shape, Map<String, long[]> shapes) {
        Variable<TFloat32> var = tf.withName(name).variable(Shape.of(shape), TFloat32.class);
        addAssignFromPlaceholder(g, name, var);
        shapes.put(name, shape);
        return var;
    }

    /** Tribuo's restore convention for one variable (see {@link TensorFlowUtil#annotateGraph}). */
    private static void addAssignFromPlaceholder(Graph g, String name, Variable<TFloat32> var) {
        GraphOperation ph = g.opBuilder(TensorFlowUtil.PLACEHOLDER, TensorFlowUtil.generatePlaceholderName(name), g.baseScope())
                .setAttr(TensorFlowUtil.DTYPE, DataType.DT_FLOAT).build();
        g.opBuilder(TensorFlowUtil.ASSIGN_OP, name + "/" + TensorFlowUtil.ASSIGN_PLACEHOLDER, g.baseScope())
                .addInput(var.asOutput()).addInput(ph.output(0)).build();
    }

    /**
     * Initial weights from {@code seed}, drawn in Java so they depend on nothing else: He-normal
     * (std sqrt(2 / fan_in), truncated at 2 std) for the weights, 0 for biases, alpha for a
     * learned L2 scale.
     */
    static Map<String, float[]> initialWeights(Spec s, long seed, float alphaInit) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : s.variables().entrySet()) {
            long[] shape = e.getValue();
            int n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, (int) d);
            }
            float[] w = new float[n];
            if (e.getKey().equals(ALPHA)) {
                w[0] = alphaInit;
            } else if (e.getKey().endsWith("_w")) {
                long fanIn = 1;
                for (int i = 0; i < shape.length - 1; i++) {
                    fanIn *= shape[i];
                }
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < n; i++) {
                    double z;
                    do {
                        z = rnd.nextGaussian();
                    } while (Math.abs(z) > 2);
                    w[i] = (float) (z * std);
                }
            }
            out.put(e.getKey(), w);
        }
        return out;
    }

    /** Writes values into the session's variables through the assign-from-placeholder ops. */
    static void assign(Session session, Spec s, Map<String, float[]> values) {
        assign(session, s.variables(), values);
    }

    private static void assign(Session session, Map<String, long[]> shapes, Map<String, float[]> values) {
        Session.Runner r = session.runner();
        List<Tensor> tensors = new ArrayList<>();
        try {
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                TFloat32 t = TFloat32.tensorOf(Shape.of(e.getValue()), DataBuffers.of(values.get(e.getKey()), true, false));
                tensors.add(t);
                r.feed(TensorFlowUtil.generatePlaceholderName(e.getKey()), t);
                r.addTarget(e.getKey() + "/" + TensorFlowUtil.ASSIGN_PLACEHOLDER);
            }
            r.run().close();
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    /** Reads the variables' current values. */
    static Map<String, float[]> read(Session session, Spec s) {
        Session.Runner r = session.runner();
        List<String> names = new ArrayList<>(s.variables().keySet());
        names.forEach(r::fetch);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (org.tensorflow.Result res = r.run()) {
            for (int i = 0; i < names.size(); i++) {
                TFloat32 t = (TFloat32) res.get(i);
                float[] a = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(a);
                out.put(names.get(i), a);
            }
        }
        return out;
    }
}
