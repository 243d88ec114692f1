package org.calibkit.cli.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The generator of the crafted model files of issue 17, written as protobuf bytes by hand
 * (field numbers from onnx/onnx.proto, ONNX IR 7, opset 13), so the tests need no Python ONNX
 * package: a model {@code x [N,1,28,28] -> Conv(W [10,1,28,28], strides) -> Flatten -> logits [N,10]}
 * whose strides and weight storage are chosen by the test. With strides {1, 1} and inline
 * weights it is an ordinary working model (the control); strides {0, 0} makes ONNX Runtime
 * divide by zero (SIGFPE); external weights name any {@code location} the test likes.
 */
final class CraftedModels {
    private CraftedModels() {
    }

    /** Weight bytes: 10 x 1 x 28 x 28 float32, W[k][0][i][j] = ((k * 7 + i + j) % 5 - 2) / 100. */
    static byte[] weights() {
        ByteBuffer b = ByteBuffer.allocate(10 * 28 * 28 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    b.putFloat(((k * 7 + i + j) % 5 - 2) / 100f);
                }
            }
        }
        return b.array();
    }

    /** The Conv model with inline weights. */
    static byte[] conv(long strideH, long strideW) {
        return model(strideH, strideW, null);
    }

    /** The Conv model (strides 1) whose weights are external data at {@code location}. */
    static byte[] externalWeights(String location) {
        return model(1, 1, location);
    }

    /**
     * The control model with {@code Add(logits, ReduceSum(ConstantOfShape([rows, 10], value 1.0)))}:
     * the same predictions shifted by a constant, after filling {@code rows * 10} floats (4 bytes each)
     * of native memory that no Java heap limit bounds. ONNX Runtime folds the constant when it loads
     * the model, or computes it on the first batch.
     */
    static byte[] hungry(long rows) {
        ByteBuffer shape = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(rows).putLong(10);
        Proto s = new Proto().varint(1, 2).varint(2, 7).string(8, "S").bytes(9, shape.array());
        Proto one = new Proto().varint(1, 1).varint(2, 1)
                .bytes(9, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).array());
        Proto fill = new Proto().string(1, "S").string(2, "big").string(3, "fill").string(4, "ConstantOfShape")
                .message(5, new Proto().string(1, "value").message(5, one).varint(20, 4));
        Proto sum = new Proto().string(1, "big").string(2, "total").string(3, "sum").string(4, "ReduceSum");
        Proto add = new Proto().string(1, "scores").string(1, "total").string(2, "logits").string(3, "add").string(4, "Add");
        return model(1, 1, null, "scores", graph -> graph.message(1, fill).message(1, sum).message(1, add).message(5, s));
    }

    private static byte[] model(long sh, long sw, String location) {
        return model(sh, sw, location, "logits", graph -> { });
    }

    private static byte[] model(long sh, long sw, String location, String flattened,
                                java.util.function.Consumer<Proto> more) {
        Proto tensor = new Proto().varints(1, 10, 1, 28, 28).varint(2, 1).string(8, "W");
        if (location == null) {
            tensor.bytes(9, weights());
        } else {
            tensor.message(13, new Proto().string(1, "location").string(2, location))
                    .message(13, new Proto().string(1, "offset").string(2, "0"))
                    .message(13, new Proto().string(1, "length").string(2, Integer.toString(10 * 28 * 28 * 4)))
                    .varint(14, 1);
        }
        Proto strides = new Proto().string(1, "strides").varints(8, sh, sw).varint(20, 7);
        Proto conv = new Proto().string(1, "x").string(1, "W").string(2, "c").string(3, "conv").string(4, "Conv")
                .message(5, strides);
        Proto flatten = new Proto().string(1, "c").string(2, flattened).string(3, "flatten").string(4, "Flatten")
                .message(5, new Proto().string(1, "axis").varint(3, 1).varint(20, 2));
        Proto graph = new Proto().message(1, conv).message(1, flatten);
        more.accept(graph);
        graph.string(2, "crafted").message(5, tensor)
                .message(11, valueInfo("x", "N", 1, 28, 28)).message(12, valueInfo("logits", "N", 10));
        return new Proto().varint(1, 7).string(2, "calibkit-hostile-tests").message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13)).toBytes();
    }

    private static Proto valueInfo(String name, String batch, long... dims) {
        Proto shape = new Proto().message(1, new Proto().string(2, batch));
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        Proto tensorType = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A protobuf message being written: fields in the order added. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Proto varints(int field, long... vs) {
            for (long v : vs) {
                varint(field, v);
            }
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
