package org.calibkit.core.sources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.calibkit.core.CalibkitException;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Logits of a TensorFlow SavedModel directory (Keras {@code model.save(dir)} / {@code
 * tf.saved_model.save}, TF-Java's {@code SavedModelBundle.exporter}), loaded with TF-Java under the
 * {@code serve} tag. The signature is the one named, or the only one (signatures whose key starts
 * with {@code __}, such as {@code __saved_model_init_op}, are not candidates); it must have one
 * float input. The output is the one named, or else the one float output of n x K. Layout,
 * preprocessing and output kind work as for {@link OnnxLogitSource} (Keras models are usually
 * NHWC with a {@code [-1, 28, 28, 1]} input, or NHW for {@code [-1, 28, 28]}).
 *
 * <p>Input tensors are created from a copy of the prepared batch ({@code TFloat32.tensorOf(shape,
 * buffer)}), never from {@code tensorOf(shape, init)}, which does not zero its memory. Holds a
 * native session: {@link #close()} it.
 */
public final class SavedModelLogitSource extends ImageModelSource {
    private final Path dir;
    private final SavedModelBundle bundle;
    private final SessionFunction function;
    private final String inputKey;
    private final boolean doubleInput;
    private final long[] inputShape;
    private final String outputKey;

    private SavedModelLogitSource(Path dir, ModelOptions options, SavedModelBundle bundle) {
        super("SavedModel " + dir, options);
        this.dir = dir;
        this.bundle = bundle;
        List<Signature> candidates = new ArrayList<>();
        for (Signature s : bundle.signatures()) {
            if (!s.key().startsWith("__")) {
                candidates.add(s);
            }
        }
        Signature sig;
        if (options.signature().isPresent()) {
            String key = options.signature().get();
            sig = bundle.signatures().stream().filter(s -> s.key().equals(key)).findFirst()
                    .orElseThrow(() -> new CalibkitException(where + " has no signature '" + key + "'; its signatures are "
                            + keys(bundle.signatures())));
        } else if (candidates.size() == 1) {
            sig = candidates.get(0);
        } else {
            throw new CalibkitException(where + (candidates.isEmpty() ? " has no signature to call"
                    : " has several signatures " + keys(candidates) + "; name the one to call (signature option)"));
        }
        function = bundle.function(sig.key());
        Map<String, Signature.TensorDescription> ins = sig.getInputs();
        if (ins.size() != 1) {
            throw new CalibkitException(where + " signature '" + sig.key() + "' has " + ins.size() + " inputs "
                    + describe(ins) + "; calibkit feeds images to a model with exactly one input");
        }
        Map.Entry<String, Signature.TensorDescription> in = ins.entrySet().iterator().next();
        inputKey = in.getKey();
        if (in.getValue().dataType != DataType.DT_FLOAT && in.getValue().dataType != DataType.DT_DOUBLE) {
            throw new CalibkitException(where + " input '" + inputKey + "' has type " + in.getValue().dataType
                    + "; calibkit feeds float or double images");
        }
        doubleInput = in.getValue().dataType == DataType.DT_DOUBLE;
        Shape s = in.getValue().shape;
        if (s.isUnknown() || s.numDimensions() < 2) {
            throw new CalibkitException(where + " input '" + inputKey + "' has shape " + s + ", which is not a batch of images");
        }
        inputShape = s.asArray();
        Map<String, Signature.TensorDescription> outs = sig.getOutputs();
        if (options.output().isPresent()) {
            String name = options.output().get();
            Signature.TensorDescription d = outs.get(name);
            if (d == null) {
                throw new CalibkitException(where + " signature '" + sig.key() + "' has no output '" + name
                        + "'; its outputs are " + describe(outs));
            }
            if (!isFloatMatrix(d)) {
                throw new CalibkitException(where + " output '" + name + "' is " + d.dataType + " " + d.shape
                        + "; calibkit reads a float tensor of n x K class scores");
            }
            outputKey = name;
        } else {
            List<String> fit = new ArrayList<>();
            for (Map.Entry<String, Signature.TensorDescription> e : outs.entrySet()) {
                if (isFloatMatrix(e.getValue())) {
                    fit.add(e.getKey());
                }
            }
            int k = options.classNames().map(List::size).orElse(-1);
            if (fit.size() > 1 && k > 0) {
                fit.removeIf(o -> outs.get(o).shape.get(1) >= 0 && outs.get(o).shape.get(1) != k);
            }
            if (fit.size() > 1) {
                throw new AmbiguousOutputException(where + " signature '" + sig.key() + "' has several float outputs "
                        + fit + " that could hold the class scores; name the one to read (output option); its outputs are "
                        + describe(outs), fit);
            }
            if (fit.size() != 1) {
                throw new CalibkitException(where + " signature '" + sig.key() + "' has "
                        + (fit.isEmpty() ? "no float output of n x K class scores" : "several float outputs " + fit
                        + " that could hold the class scores; name the one to read (output option)")
                        + "; its outputs are " + describe(outs));
            }
            outputKey = fit.get(0);
        }
        long cols = outs.get(outputKey).shape.get(1);
        resolveOutputs(new Io("input '" + inputKey + "'", inputShape, "output '" + outputKey + "'", cols > 0 ? (int) cols : -1));
    }

    /**
     * Loads a SavedModel directory.
     *
     * @throws CalibkitException naming the directory when it is missing, not a SavedModel, or its
     *         signature, input, outputs or output values do not fit
     */
    public static SavedModelLogitSource open(Path dir, ModelOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new CalibkitException("SavedModel " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        if (!Files.isRegularFile(dir.resolve("saved_model.pb")) && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
            throw new CalibkitException("SavedModel " + dir + " has no saved_model.pb; is it a SavedModel directory?");
        }
        SavedModelBundle b;
        try {
            SavedModelBundle.Loader loader = SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG);
            if (options.threads() > 0) {
                loader = loader.withConfigProto(ConfigProto.newBuilder().setIntraOpParallelismThreads(options.threads())
                        .setInterOpParallelismThreads(1).build());
            }
            b = loader.load();
        } catch (RuntimeException e) {
            throw new CalibkitException("SavedModel " + dir + " cannot be loaded (damaged, or no '" + SavedModelBundle.DEFAULT_TAG
                    + "' tag?): " + oneLine(e.getMessage()), e);
        }
        try {
            return new SavedModelLogitSource(dir, options, b);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    private static boolean isFloatMatrix(Signature.TensorDescription d) {
        return (d.dataType == DataType.DT_FLOAT || d.dataType == DataType.DT_DOUBLE) && !d.shape.isUnknown()
                && d.shape.numDimensions() == 2;
    }

    private static String keys(List<Signature> sigs) {
        List<String> k = new ArrayList<>();
        sigs.forEach(s -> k.add(s.key()));
        return k.toString();
    }

    private static String describe(Map<String, Signature.TensorDescription> m) {
        StringBuilder sb = new StringBuilder("[");
        m.forEach((k, d) -> sb.append(sb.length() == 1 ? "" : "; ").append('\'').append(k).append("': ")
                .append(d.dataType).append(' ').append(d.shape));
        return sb.append(']').toString();
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** The signature called. */
    public String signature() {
        return function.signature().key();
    }

    /** The output read (its key in the signature). */
    public String outputName() {
        return outputKey;
    }

    @Override
    Outputs run(float[] input, long[] shape) {
        Tensor x = doubleInput ? TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(toDoubles(input), true, false))
                : TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false));
        try (x; Result r = function.call(Map.of(inputKey, x))) {
            Tensor t = r.get(outputKey).orElseThrow(() -> new CalibkitException(where + " gave no output '" + outputKey + "'"));
            long[] s = t.shape().asArray();
            int rows = (int) shape[0];
            if (s.length != 2 || s[0] != rows) {
                throw new CalibkitException(where + " output '" + outputKey + "' has shape " + Arrays.toString(s)
                        + " for a batch of " + rows + " images; expected [" + rows + ", K]");
            }
            int cols = (int) s[1];
            double[] out = new double[rows * cols];
            if (t instanceof TFloat32 f) {
                float[] tmp = new float[out.length];
                f.asRawTensor().data().asFloats().read(tmp);
                for (int i = 0; i < tmp.length; i++) {
                    out[i] = tmp[i];
                }
            } else if (t instanceof TFloat64 d) {
                d.asRawTensor().data().asDoubles().read(out);
            } else {
                throw new CalibkitException(where + " output '" + outputKey + "' has type " + t.dataType()
                        + "; expected float class scores");
            }
            return new Outputs(out, rows, cols);
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CalibkitException(where + " failed on a batch of shape " + Arrays.toString(shape) + " fed to input '"
                    + inputKey + "' (declared " + Layout.dims(inputShape) + "): " + oneLine(e.getMessage()), e);
        }
    }

    /** Closes the TensorFlow session and graph. */
    @Override
    public void close() {
        bundle.close();
    }

    @Override
    public String toString() {
        return "SavedModelLogitSource[" + dir + ", signature '" + signature() + "', input '" + inputKey + "' "
                + Arrays.toString(inputShape) + ", output '" + outputKey + "' (" + outputKind().id() + ")]";
    }
}
