package org.calibkit.core.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.core.CalibkitException;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tribuo.classification.Label;
import org.tribuo.interop.tensorflow.TensorFlowUtil;
import org.tribuo.interop.tensorflow.protos.TensorFlowNativeModelProto;
import org.tribuo.interop.tensorflow.protos.TensorTupleProto;
import org.tribuo.ImmutableOutputInfo;

/**
 * Logits of a Tribuo {@code TensorFlowNativeModel}: the same graph and weights, imported into a
 * session of our own, fetching the op that holds the logits (before the softmax or sigmoid op
 * Tribuo's {@code predict} reads). Batched.
 */
final class TensorFlowLogits implements LogitEngine {
    /** Name of the input placeholder, (batch, height, width, channels). */
    static final String INPUT_OP = "input";
    /** Name of the logits op, (batch, K). */
    static final String LOGITS_OP = "logits";
    /**
     * Images per inference run. 256 by default (bench/audit.sh --inference-batch measures 64 to
     * 1,024 side by side); the system property {@code calibkit.inference.batch} overrides it for
     * that benchmark.
     */
    private static final int BATCH = Math.max(1, Integer.getInteger("calibkit.inference.batch", 256));

    private final Graph graph;
    private final Session session;
    private final int[] columnOfClass;
    private final Shape imageShape;

    TensorFlowLogits(TensorFlowNativeModelProto proto, ImmutableOutputInfo<Label> outputs, List<String> classNames,
                     Preprocessing prep) {
        Graph g = new Graph();
        Session s = null;
        try {
            g.importGraphDef(GraphDef.parseFrom(proto.getModelDef()));
            if (g.operation(INPUT_OP) == null || g.operation(LOGITS_OP) == null) {
                throw new CalibkitException("the TensorFlow graph has no '" + INPUT_OP + "' or '" + LOGITS_OP + "' op");
            }
            s = new Session(g);
            Map<String, TensorFlowUtil.TensorTuple> tensors = new HashMap<>();
            for (Map.Entry<String, TensorTupleProto> e : proto.getTensorsMap().entrySet()) {
                tensors.put(e.getKey(), new TensorFlowUtil.TensorTuple(e.getValue()));
            }
            TensorFlowUtil.restoreMarshalledVariables(s, tensors);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            g.close();
            throw new CalibkitException("the TensorFlow graph cannot be parsed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            g.close();
            throw e;
        }
        graph = g;
        session = s;
        columnOfClass = new int[classNames.size()];
        for (int c = 0; c < columnOfClass.length; c++) {
            columnOfClass[c] = outputs.getID(new Label(classNames.get(c)));
            if (columnOfClass[c] < 0) {
                throw new CalibkitException("class '" + classNames.get(c) + "' is not an output of the TensorFlow model");
            }
        }
        imageShape = Shape.of(prep.height(), prep.width(), prep.channels());
    }

    @Override
    public double[][] logits(float[] inputs, int n) {
        int p = (int) imageShape.size();
        int k = columnOfClass.length;
        double[][] out = new double[n][k];
        float[] row = new float[k];
        for (int from = 0; from < n; from += BATCH) {
            int m = Math.min(BATCH, n - from);
            Shape shape = Shape.of(m, imageShape.get(0), imageShape.get(1), imageShape.get(2));
            try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(inputs, true, false).slice((long) from * p, (long) m * p));
                 Result r = session.runner().feed(INPUT_OP, x).fetch(LOGITS_OP).run()) {
                Tensor t = r.get(0);
                TFloat32 z = (TFloat32) t;
                long cols = z.shape().get(1);
                if (cols != k) {
                    throw new CalibkitException("the TensorFlow model produced " + cols + " logits per image, expected " + k);
                }
                float[] all = new float[m * k];
                z.asRawTensor().data().asFloats().read(all);
                for (int i = 0; i < m; i++) {
                    System.arraycopy(all, i * k, row, 0, k);
                    for (int c = 0; c < k; c++) {
                        out[from + i][c] = row[columnOfClass[c]];
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
