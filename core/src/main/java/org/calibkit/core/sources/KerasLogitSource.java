package org.calibkit.core.sources;

import java.nio.file.Path;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.keras.KerasFile;
import org.calibkit.core.keras.KerasGraph;
import org.calibkit.core.keras.KerasModel;

/**
 * Logits of a Keras model file ({@code .h5} from {@code model.save}, or {@code .keras}), read by
 * {@link KerasFile} and run as a TensorFlow-Java graph ({@link KerasGraph}). Layout, pixel
 * transform and batching work as for the other model files ({@link ImageModelSource}). A final
 * softmax (or sigmoid) is taken off the graph unless an output kind is stated, so the audit gets
 * the model's own logits; {@link #finalActivation()} says whether it did. Holds a native
 * session: {@link #close()} it.
 */
public final class KerasLogitSource extends ImageModelSource {
    private final Path file;
    private final KerasModel model;
    private final KerasGraph graph;

    private KerasLogitSource(Path file, ModelOptions options, KerasModel model, KerasGraph graph) {
        super("Keras model " + file, options);
        this.file = file;
        this.model = model;
        this.graph = graph;
        resolveOutputs(new Io("input", graph.inputShape(), "output", graph.columns()));
    }

    /**
     * Reads and builds a Keras model.
     *
     * @throws org.calibkit.core.CalibkitException naming the file and the problem
     */
    public static KerasLogitSource open(Path file, ModelOptions options) {
        KerasModel m = KerasFile.read(file);
        boolean keep = options.outputKind().isPresent();
        KerasGraph g = KerasGraph.build(m, keep, options.threads(), "Keras model " + file);
        ModelOptions o = options;
        if (g.finalActivation().equals("softmax")) {
            o = o.withOutputKind(OutputKind.LOGITS);
        } else if (g.finalActivation().equals("sigmoid")) {
            o = o.withOutputKind(OutputKind.LOGITS).withHead(Head.SIGMOID);
        }
        try {
            return new KerasLogitSource(file, o, m, g);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** The model as read from the file. */
    public KerasModel model() {
        return model;
    }

    /** {@code softmax} or {@code sigmoid} when the model's last activation was taken off to read its logits, else {@code none}. */
    public String finalActivation() {
        return graph.finalActivation();
    }

    /** The file. */
    public Path file() {
        return file;
    }

    @Override
    Outputs run(float[] input, long[] shape) {
        return new Outputs(toDoubles(graph.run(input, shape)), (int) shape[0], graph.columns());
    }

    @Override
    public void close() {
        graph.close();
    }
}
