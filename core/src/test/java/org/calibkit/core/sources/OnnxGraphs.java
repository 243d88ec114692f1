package org.calibkit.core.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * Small ONNX graphs written by the tests with the ONNX protobuf classes that ship with Tribuo's
 * ONNX utilities: {@code x -> [Transpose] -> Flatten -> Gemm(W, b) -> head}, where W multiplies
 * the image flattened in channels-first (C, H, W) order whatever the input layout (an NHWC input
 * is transposed to NCHW first). A test computes the same logits in plain Java from W and b.
 */
final class OnnxGraphs {
    /** What follows the Gemm. */
    enum End { NONE, SOFTMAX, LOG_SOFTMAX, SIGMOID }

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private OnnxGraphs() {
    }

    /** A graph over images c x h x w with weights {@code w[K][c*h*w]}, bias {@code b[K]}. */
    static final class Builder {
        private final int c;
        private final int h;
        private final int wd;
        private final float[][] w;
        private final float[] b;
        private String layout = "NCHW";
        private End end = End.NONE;
        private long batch = -1;
        private boolean extraLogitsOutput;
        private boolean sequenceOutput;
        private boolean zipMap;
        private boolean sqrtOutput;
        private boolean featuresOutput;

        Builder(int c, int h, int w, float[][] weights, float[] bias) {
            this.c = c;
            this.h = h;
            this.wd = w;
            this.w = weights;
            this.b = bias;
        }

        Builder layout(String l) { layout = l; return this; }
        Builder end(End e) { end = e; return this; }
        /** A fixed batch dimension instead of the dynamic "N". */
        Builder fixedBatch(long n) { batch = n; return this; }
        /** Also output the Gemm result as "z", a second float tensor of n x K. */
        Builder alsoLogits() { extraLogitsOutput = true; return this; }
        /** Also output a sequence of tensors "seq" (not a tensor). */
        Builder alsoSequence() { sequenceOutput = true; return this; }
        /** Replace the output by ZipMap(y): a sequence of {class id -> value} maps, class ids 0..K-1. */
        Builder zipMap() { zipMap = true; return this; }
        /** Take the square root of the head's output (NaN for negative logits). */
        Builder sqrt() { sqrtOutput = true; return this; }
        /** Also output the flattened image ("flat", c*h*w columns, before "y"), as feature tensors next to the scores. */
        Builder alsoFeatures() { featuresOutput = true; return this; }

        ModelProto build() {
            int k = b.length;
            int p = c * h * wd;
            GraphProto.Builder g = GraphProto.newBuilder().setName("calibkit-test");
            long[] in = layout.equals("NHWC") ? new long[] {batch, h, wd, c}
                    : layout.equals("FLAT") ? new long[] {batch, p} : new long[] {batch, c, h, wd};
            g.addInput(tensorValue("x", in));
            String cur = "x";
            if (layout.equals("NHWC")) {
                g.addNode(node("Transpose", List.of(cur), "x_nchw").addAttribute(ints("perm", 0, 3, 1, 2)));
                cur = "x_nchw";
            }
            if (!layout.equals("FLAT")) {
                g.addNode(node("Flatten", List.of(cur), "flat").addAttribute(integer("axis", 1)));
                cur = "flat";
            }
            float[] wf = new float[k * p];
            for (int j = 0; j < k; j++) {
                System.arraycopy(w[j], 0, wf, j * p, p);
            }
            g.addInitializer(floats("W", wf, k, p));
            g.addInitializer(floats("B", b, k));
            g.addNode(node("Gemm", List.of(cur, "W", "B"), "z").addAttribute(integer("transB", 1)));
            String y = "z";
            switch (end) {
                case SOFTMAX -> {
                    g.addNode(node("Softmax", List.of("z"), "y").addAttribute(integer("axis", 1)));
                    y = "y";
                }
                case LOG_SOFTMAX -> {
                    g.addNode(node("LogSoftmax", List.of("z"), "y").addAttribute(integer("axis", 1)));
                    y = "y";
                }
                case SIGMOID -> {
                    g.addNode(node("Sigmoid", List.of("z"), "y"));
                    y = "y";
                }
                default -> { }
            }
            if (sqrtOutput) {
                g.addNode(node("Sqrt", List.of(y), "root"));
                y = "root";
            }
            if (zipMap) {
                NodeProto.Builder zm = node("ZipMap", List.of(y), "probs").setDomain("ai.onnx.ml");
                AttributeProto.Builder labels = AttributeProto.newBuilder().setName("classlabels_int64s")
                        .setType(AttributeProto.AttributeType.INTS);
                for (int j = 0; j < k; j++) {
                    labels.addInts(j);
                }
                g.addNode(zm.addAttribute(labels));
                TypeProto mapType = TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder().setKeyType(INT64)
                        .setValueType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT)))).build();
                g.addOutput(ValueInfoProto.newBuilder().setName("probs")
                        .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(mapType))));
            } else {
                g.addOutput(tensorValue(y, new long[] {batch, k}));
            }
            if (featuresOutput && !layout.equals("FLAT")) {
                g.addOutput(0, tensorValue("flat", new long[] {batch, p}));
            }
            if (extraLogitsOutput && !y.equals("z")) {
                g.addOutput(tensorValue("z", new long[] {batch, k}));
            }
            if (sequenceOutput) {
                g.addNode(node("SequenceConstruct", List.of("z"), "seq"));
                g.addOutput(ValueInfoProto.newBuilder().setName("seq").setType(TypeProto.newBuilder().setSequenceType(
                        TypeProto.Sequence.newBuilder().setElemType(TypeProto.newBuilder().setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(FLOAT))))));
            }
            ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("calibkit-test")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                    .setGraph(g);
            if (zipMap) {
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1));
            }
            return m.build();
        }

        Path write(Path file) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                return Files.write(file, build().toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static NodeProto.Builder node(String op, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addAllInput(inputs).addOutput(output);
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long d : dims) {
            t.addDims(d);
        }
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return t.addAllFloatData(list).build();
    }

    private static ValueInfoProto tensorValue(String name, long[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s))).build();
    }
}
