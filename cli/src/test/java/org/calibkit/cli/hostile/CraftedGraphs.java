package org.calibkit.cli.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The generator of issue 17's crafted TensorFlow SavedModel, built with TF-Java's own protobuf
 * classes: {@code x [N,28,28,1] -> MaxPoolV2(ksize, strides [1,1,1,1], VALID) -> Reshape [N,729]
 * -> MatMul(W [729,10]) -> logits}, where {@code ksize} is a {@code Const} whose {@code dtype}
 * attribute says int32. With {@code honest} its tensor is int32 {1,2,2,1} (a working model, the
 * control); otherwise the tensor holds floats, which TensorFlow's shape inference reads as
 * int32 through a {@code CHECK} that aborts the process.
 */
final class CraftedGraphs {
    private CraftedGraphs() {
    }

    static Path savedModel(Path dir, boolean honest) throws IOException {
        Files.createDirectories(dir);
        TensorProto ksize = honest
                ? TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(4))
                        .addIntVal(1).addIntVal(2).addIntVal(2).addIntVal(1).build()
                : TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(4))
                        .addFloatVal(1).addFloatVal(2).addFloatVal(2).addFloatVal(1).build();
        TensorProto strides = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(4))
                .addIntVal(1).addIntVal(1).addIntVal(1).addIntVal(1).build();
        TensorProto flat = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(2))
                .addIntVal(-1).addIntVal(27 * 27).build();
        TensorProto.Builder w = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(729, 10));
        for (int i = 0; i < 7290; i++) {
            w.addFloatVal(((i * 13) % 7 - 3) / 100f);
        }
        GraphDef g = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder").putAttr("dtype", type(DataType.DT_FLOAT))
                        .putAttr("shape", AttrValue.newBuilder().setShape(shape(-1, 28, 28, 1)).build()))
                .addNode(constant("ksize", DataType.DT_INT32, ksize))
                .addNode(constant("strides", DataType.DT_INT32, strides))
                .addNode(NodeDef.newBuilder().setName("pool").setOp("MaxPoolV2").addInput("x").addInput("ksize")
                        .addInput("strides").putAttr("T", type(DataType.DT_FLOAT))
                        .putAttr("padding", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("VALID")).build())
                        .putAttr("data_format", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC")).build()))
                .addNode(constant("flat_shape", DataType.DT_INT32, flat))
                .addNode(NodeDef.newBuilder().setName("flat").setOp("Reshape").addInput("pool").addInput("flat_shape")
                        .putAttr("T", type(DataType.DT_FLOAT)).putAttr("Tshape", type(DataType.DT_INT32)))
                .addNode(constant("w", DataType.DT_FLOAT, w.build()))
                .addNode(NodeDef.newBuilder().setName("logits").setOp("MatMul").addInput("flat").addInput("w")
                        .putAttr("T", type(DataType.DT_FLOAT)))
                .build();
        SignatureDef sig = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
                .putInputs("x", TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT)
                        .setTensorShape(shape(-1, 28, 28, 1)).build())
                .putOutputs("logits", TensorInfo.newBuilder().setName("logits:0").setDtype(DataType.DT_FLOAT)
                        .setTensorShape(shape(-1, 10)).build())
                .build();
        MetaGraphDef meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                .setGraphDef(g).putSignatureDef("serving_default", sig).build();
        SavedModel sm = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
        Files.write(dir.resolve("saved_model.pb"), sm.toByteArray());
        return dir;
    }

    private static NodeDef.Builder constant(String name, DataType declared, TensorProto value) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(declared))
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build());
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : dims) {
            b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return b.build();
    }
}
