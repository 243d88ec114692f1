package org.calibkit.core.sources;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.calibkit.core.CalibkitException;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;

/**
 * Logits of an ONNX model file, run with ONNX Runtime's Java API directly (not Tribuo's
 * {@code ONNXExternalModel}, whose image transformer hard-codes NCHW and which discards the session
 * it rebuilds). ONNX Runtime is an optional dependency of calibkit-core: only code that opens an
 * ONNX model needs {@code com.microsoft.onnxruntime:onnxruntime} on its class path.
 *
 * <p>Read from the graph: the one input's name, element type (float or double) and shape, where
 * -1 marks a dynamic dimension (the batch, usually; a fixed batch size is honoured by padding the
 * last batch). The {@link Layout} is detected from that shape against the images (for example
 * {@code [N,1,28,28]} is NCHW, {@code [N,28,28,1]} NHWC, {@code [N,784]} flat), or given. The
 * output: the one named, or else the one float tensor of n x K (K the number of class names when
 * given); when the model has no float tensor output but a sequence of maps (scikit-learn's ZipMap,
 * class -> probability per row), that is read as probabilities with the map keys as class names.
 * Any other non-tensor output is refused with a message saying how to export without it. The
 * output kind (logits, probabilities, log-probabilities, independent probabilities) is detected
 * when the file is opened (see {@link ImageModelSource}) or given; {@link #outputKind()} states it.
 *
 * <p>Holds a native session: {@link #close()} it. Thread-safe for concurrent {@code logits} calls
 * (ONNX Runtime sessions are).
 */
public final class OnnxLogitSource extends ImageModelSource {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final boolean doubleInput;
    private final String outputName;
    private final boolean zipMap;
    private volatile List<String> zipKeys; // ZipMap keys in column order, fixed by the first batch

    private OnnxLogitSource(Path file, ModelOptions options, OrtEnvironment env, OrtSession session) throws OrtException {
        super("ONNX model " + file, options);
        this.file = file;
        this.env = env;
        this.session = session;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new CalibkitException(where + " has " + inputs.size() + " inputs " + describe(inputs)
                    + "; calibkit feeds images to a model with exactly one input");
        }
        NodeInfo in = inputs.values().iterator().next();
        inputName = in.getName();
        if (!(in.getInfo() instanceof TensorInfo ti)) {
            throw new CalibkitException(where + " input '" + inputName + "' is " + in.getInfo() + ", not a tensor");
        }
        if (ti.type != OnnxJavaType.FLOAT && ti.type != OnnxJavaType.DOUBLE) {
            throw new CalibkitException(where + " input '" + inputName + "' has element type " + ti.type
                    + "; calibkit feeds float or double images");
        }
        doubleInput = ti.type == OnnxJavaType.DOUBLE;
        inputShape = ti.getShape();
        if (inputShape.length < 2) {
            throw new CalibkitException(where + " input '" + inputName + "' has shape " + Layout.dims(inputShape)
                    + ", which is not a batch of images");
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo chosen = chooseOutput(outputs);
        outputName = chosen.getName();
        ValueInfo oi = chosen.getInfo();
        zipMap = !(oi instanceof TensorInfo);
        int declaredColumns = oi instanceof TensorInfo t ? columnsOf(t.getShape()) : -1;
        resolveOutputs(new Io("input '" + inputName + "'", inputShape, "output '" + outputName + "'", declaredColumns));
    }

    /**
     * Opens an ONNX model file.
     *
     * @throws CalibkitException naming the file when it is missing, not an ONNX model, or its
     *         inputs, outputs or output values do not fit (see the class comment)
     */
    public static OnnxLogitSource open(Path file, ModelOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException("ONNX model " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        OrtEnvironment env;
        try {
            env = OrtEnvironment.getEnvironment();
            OrtNativeFiles.removeOnExit(); // else an onnxruntime-java* directory stays in /tmp
        } catch (LinkageError e) {
            throw new CalibkitException("ONNX Runtime is not on the class path (add com.microsoft.onnxruntime:onnxruntime "
                    + "1.20.0) or its native library cannot load: " + e, e);
        }
        OrtSession session;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (options.threads() > 0) {
                so.setIntraOpNumThreads(options.threads());
            }
            session = env.createSession(file.toString(), so);
        } catch (OrtException e) {
            throw new CalibkitException("ONNX model " + file + " cannot be loaded (damaged, or not an ONNX model?): "
                    + oneLine(e.getMessage()), e);
        }
        try {
            return new OnnxLogitSource(file, options, env, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new CalibkitException("ONNX model " + file + ": " + oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** The model file. */
    public Path file() {
        return file;
    }

    /** The input's name in the graph. */
    public String inputName() {
        return inputName;
    }

    /** The output read, by name. */
    public String outputName() {
        return outputName;
    }

    @Override
    Optional<List<String>> modelClassNames() {
        return Optional.ofNullable(zipKeys);
    }

    private NodeInfo chooseOutput(Map<String, NodeInfo> outputs) {
        Optional<String> named = options.output();
        if (named.isPresent()) {
            NodeInfo n = outputs.get(named.get());
            if (n == null) {
                throw new CalibkitException(where + " has no output '" + named.get() + "'; its outputs are " + describe(outputs));
            }
            if (n.getInfo() instanceof TensorInfo t) {
                requireFloatMatrix(n.getName(), t);
            } else if (!isSequenceOfMaps(n.getInfo())) {
                throw notTensor(n);
            }
            return n;
        }
        int k = options.classNames().map(List::size).orElse(-1);
        List<NodeInfo> tensors = new ArrayList<>();
        List<NodeInfo> maps = new ArrayList<>();
        for (NodeInfo n : outputs.values()) {
            if (n.getInfo() instanceof TensorInfo t && isFloat(t) && t.getShape().length >= 2) {
                tensors.add(n);
            } else if (isSequenceOfMaps(n.getInfo())) {
                maps.add(n);
            }
        }
        if (tensors.size() > 1 && k > 0) {
            // several: those with K columns (or a dynamic column count)
            tensors.removeIf(n -> {
                int cols = columnsOf(((TensorInfo) n.getInfo()).getShape());
                return cols >= 0 && cols != k;
            });
        }
        if (tensors.size() == 1) {
            return tensors.get(0);
        }
        if (tensors.size() > 1) {
            throw new AmbiguousOutputException(where + " has several float outputs that could hold the class scores "
                    + describe(tensors) + "; name the one to read (output option)",
                    tensors.stream().map(NodeInfo::getName).toList());
        }
        if (maps.size() == 1) {
            return maps.get(0);
        }
        for (NodeInfo n : outputs.values()) {
            if (!(n.getInfo() instanceof TensorInfo)) {
                throw notTensor(n);
            }
        }
        throw new CalibkitException(where + " has no float tensor output of n x " + (k < 0 ? "K" : Integer.toString(k))
                + " class scores; its outputs are " + describe(outputs));
    }

    private CalibkitException notTensor(NodeInfo n) {
        return new CalibkitException(where + " output '" + n.getName() + "' is " + n.getInfo()
                + ", not a tensor of class scores, and not a sequence of class -> probability maps calibkit could read. "
                + "Export the model without it: for scikit-learn, skl2onnx's convert_sklearn(..., options={id(model): "
                + "{'zipmap': False}}) gives a float tensor of probabilities; otherwise name a float tensor output");
    }

    private void requireFloatMatrix(String name, TensorInfo t) {
        if (!isFloat(t) || t.getShape().length < 2) {
            throw new CalibkitException(where + " output '" + name + "' is " + t
                    + "; calibkit reads a float or double tensor of n x K class scores");
        }
    }

    private static boolean isFloat(TensorInfo t) {
        return t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE;
    }

    private static boolean isSequenceOfMaps(ValueInfo v) {
        if (!(v instanceof SequenceInfo s) || !s.isSequenceOfMaps()) {
            return false;
        }
        MapInfo m = s.mapInfo;
        return m.valueType == OnnxJavaType.FLOAT || m.valueType == OnnxJavaType.DOUBLE;
    }

    /** K of [N, K] or [N, K, 1, 1] / [N, 1, K]; -1 when dynamic or not of that form. */
    private static int columnsOf(long[] shape) {
        long cols = -1;
        for (int d = 1; d < shape.length; d++) {
            if (shape[d] == 1 && shape.length > 2) {
                continue;
            }
            if (cols != -1 || shape[d] < 0) {
                return -1;
            }
            cols = shape[d];
        }
        return cols > Integer.MAX_VALUE ? -1 : (int) cols;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return describe(nodes.values());
    }

    private static String describe(java.util.Collection<NodeInfo> nodes) {
        StringBuilder sb = new StringBuilder("[");
        for (NodeInfo n : nodes) {
            sb.append(sb.length() == 1 ? "" : "; ").append('\'').append(n.getName()).append("': ");
            if (n.getInfo() instanceof TensorInfo t) {
                sb.append(t.type).append(' ').append(Arrays.toString(t.getShape()));
            } else {
                sb.append(n.getInfo());
            }
        }
        return sb.append(']').toString();
    }

    @Override
    Outputs run(float[] input, long[] shape) {
        try (OnnxTensor x = doubleInput ? OnnxTensor.createTensor(env, DoubleBuffer.wrap(toDoubles(input)), shape)
                : OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result r = session.run(Map.of(inputName, x), Set.of(outputName))) {
            OnnxValue v = r.get(0);
            if (v instanceof OnnxTensor t) {
                return readTensor(t, (int) shape[0]);
            }
            if (v instanceof OnnxSequence s) {
                return readZipMap(s);
            }
            throw new CalibkitException(where + " output '" + outputName + "' gave a " + v.getType() + ", not a tensor");
        } catch (OrtException e) {
            throw new CalibkitException(where + " failed on a batch of shape " + Arrays.toString(shape) + " fed to input '"
                    + inputName + "' (declared " + Layout.dims(inputShape) + "): " + oneLine(e.getMessage()), e);
        }
    }

    private Outputs readTensor(OnnxTensor t, int rows) {
        long[] s = t.getInfo().getShape();
        long count = t.getInfo().getNumElements();
        if (s.length < 1 || s[0] != rows || count % Math.max(rows, 1) != 0) {
            throw new CalibkitException(where + " output '" + outputName + "' has shape " + Arrays.toString(s)
                    + " for a batch of " + rows + " images; expected [" + rows + ", K]");
        }
        int cols = (int) (count / rows);
        if (s.length > 2 && columnsOf(s) != cols) {
            throw new CalibkitException(where + " output '" + outputName + "' has shape " + Arrays.toString(s)
                    + "; expected one row of class scores per image, [" + rows + ", K]");
        }
        double[] out = new double[(int) count];
        if (t.getInfo().type == OnnxJavaType.FLOAT) {
            FloatBuffer fb = t.getFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = fb.get(i);
            }
        } else if (t.getInfo().type == OnnxJavaType.DOUBLE) {
            t.getDoubleBuffer().get(out);
        } else {
            throw new CalibkitException(where + " output '" + outputName + "' has element type " + t.getInfo().type
                    + "; expected float or double class scores");
        }
        return new Outputs(out, rows, cols);
    }

    private Outputs readZipMap(OnnxSequence s) throws OrtException {
        List<? extends OnnxValue> rows = s.getValue();
        List<Map<String, Double>> maps = new ArrayList<>();
        for (OnnxValue v : rows) {
            if (!(v instanceof OnnxMap m)) {
                throw new CalibkitException(where + " output '" + outputName + "' is a sequence of " + v.getType()
                        + ", not of maps");
            }
            Map<String, Double> row = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.getValue().entrySet()) {
                row.put(String.valueOf(e.getKey()), ((Number) e.getValue()).doubleValue());
            }
            maps.add(row);
        }
        if (maps.isEmpty()) {
            return new Outputs(new double[0], 0, zipKeys == null ? 0 : zipKeys.size());
        }
        List<String> keys = zipKeys;
        if (keys == null) {
            keys = options.classNames().orElse(null);
            if (keys == null) {
                keys = new ArrayList<>(maps.get(0).keySet());
                keys.sort(Comparator.comparing((String x) -> !x.matches("-?\\d+"))
                        .thenComparing((String a, String b) -> a.matches("-?\\d+") && b.matches("-?\\d+")
                                ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : a.compareTo(b)));
            }
            keys = List.copyOf(keys);
            zipKeys = keys;
        }
        double[] out = new double[maps.size() * keys.size()];
        for (int i = 0; i < maps.size(); i++) {
            Map<String, Double> row = maps.get(i);
            if (row.size() != keys.size()) {
                throw new CalibkitException(where + " output '" + outputName + "' row " + i + " has " + row.size()
                        + " classes " + row.keySet() + ", expected " + keys);
            }
            for (int j = 0; j < keys.size(); j++) {
                Double p = row.get(keys.get(j));
                if (p == null) {
                    throw new CalibkitException(where + " output '" + outputName + "' row " + i + " has no class '"
                            + keys.get(j) + "' (its classes: " + row.keySet() + ")");
                }
                out[i * keys.size() + j] = p;
            }
        }
        return new Outputs(out, maps.size(), keys.size());
    }

    /** Closes the native session (not the shared ONNX Runtime environment). */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new CalibkitException(where + " could not be closed: " + oneLine(e.getMessage()), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxLogitSource[" + file + ", input '" + inputName + "' " + Arrays.toString(inputShape) + ", output '"
                + outputName + "' (" + outputKind().id() + "), " + classNames().size() + " classes]";
    }
}
