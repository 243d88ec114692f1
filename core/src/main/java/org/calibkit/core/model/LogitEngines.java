package org.calibkit.core.model;

import java.util.List;

import org.calibkit.core.CalibkitException;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.interop.tensorflow.protos.TensorFlowNativeModelProto;
import org.tribuo.protos.core.ModelProto;

import com.google.protobuf.InvalidProtocolBufferException;

/** Builds the engine that computes a bundle's raw logits from its Tribuo model: linear weights or a TensorFlow graph. */
final class LogitEngines {
    private LogitEngines() {
    }

    /** The Tribuo model (deserialised when it was not given) and the engine over it. */
    record Loaded(Model<Label> model, LogitEngine engine) {
    }

    /**
     * The engine of a bundle of {@code kind}; {@code model} is the in-memory Tribuo model, or null to
     * deserialise it from {@code proto}.
     *
     * @throws CalibkitException naming {@code where} when the model cannot be read
     */
    static Loaded create(String where, ModelKind kind, ModelProto proto, Model<Label> model, List<String> classNames,
                         Preprocessing prep) {
        LogitEngine engine;
        if (kind == ModelKind.LOGISTIC) {
            Model<Label> m = model != null ? model : deserialize(where, proto);
            model = m;
            org.calibkit.core.preflight.ClassNames.check("model bundle " + where, classNames, m.getOutputIDInfo());
            engine = new LinearLogits((LinearSGDModel) m, classNames, prep);
        } else {
            TensorFlowNativeModelProto tf;
            try {
                tf = proto.getSerializedData().unpack(TensorFlowNativeModelProto.class);
            } catch (InvalidProtocolBufferException e) {
                throw new CalibkitException("model bundle " + where + ": the TensorFlow model cannot be parsed: " + e.getMessage(), e);
            }
            Model<Label> m = model != null ? model : deserialize(where, proto);
            model = m;
            org.calibkit.core.preflight.ClassNames.check("model bundle " + where, classNames, m.getOutputIDInfo());
            engine = new TensorFlowLogits(tf, m.getOutputIDInfo(), classNames, prep);
        }
        return new Loaded(model, engine);
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> deserialize(String where, ModelProto proto) {
        try {
            Model<?> m = Model.deserialize(proto);
            if (!m.validate(Label.class)) {
                throw new CalibkitException("model bundle " + where + ": the Tribuo model is not a classifier");
            }
            return (Model<Label>) m;
        } catch (CalibkitException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CalibkitException("model bundle " + where + ": the Tribuo model cannot be read: " + e.getMessage(), e);
        }
    }
}
