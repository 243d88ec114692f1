package org.calibkit.core.model;

import java.util.function.BiFunction;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TNumber;
import org.tribuo.interop.tensorflow.LabelConverter;
import org.tribuo.interop.tensorflow.protos.OutputConverterProto;
import org.tribuo.protos.ProtoSerializableClass;
import org.tribuo.protos.ProtoUtil;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.oracle.labs.mlrg.olcut.util.Pair;

/**
 * Tribuo output converter for an independent one-vs-rest head: K sigmoid outputs, each
 * trained with its own binary cross-entropy, so every class gets its own probability in
 * [0, 1] and rows need not sum to 1. Targets are one-hot (the true class is positive for its
 * own sigmoid, negative for all others); predictions read the K sigmoid outputs as scores.
 *
 * <p>Loss per example: {@code sum_k max(z_k, 0) - z_k y_k + log(1 + exp(-|z_k|))}, the
 * numerically stable form of binary cross-entropy on logits, averaged over the batch.
 */
@ProtoSerializableClass(version = SigmoidLabelConverter.CURRENT_VERSION)
public final class SigmoidLabelConverter extends LabelConverter {
    private static final long serialVersionUID = 1L;
    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** The converter has no state. */
    public SigmoidLabelConverter() {
    }

    /** Protobuf deserialization factory (called by Tribuo's {@code ProtoUtil}). */
    public static SigmoidLabelConverter deserializeFromProto(int version, String className, Any message) {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version " + CURRENT_VERSION);
        }
        if (message.getValue() != ByteString.EMPTY) {
            throw new IllegalArgumentException("Invalid proto");
        }
        return new SigmoidLabelConverter();
    }

    @Override
    public OutputConverterProto serialize() {
        return ProtoUtil.serialize(this);
    }

    @Override
    public BiFunction<Ops, Pair<Placeholder<? extends TNumber>, Operand<TNumber>>, Operand<TNumber>> loss() {
        return (tf, pair) -> {
            @SuppressWarnings("unchecked")
            Operand<TNumber> y = (Operand<TNumber>) pair.getA();
            return sigmoidLoss(tf, pair.getB(), y);
        };
    }

    /** Batch mean of the summed per-class binary cross-entropies of {@code logits} against {@code targets}. */
    public static <T extends TNumber> Operand<T> sigmoidLoss(Ops tf, Operand<T> logits, Operand<T> targets) {
        Operand<T> zero = tf.dtypes.cast(tf.constant(0f), logits.type());
        Operand<T> one = tf.dtypes.cast(tf.constant(1f), logits.type());
        Operand<T> perClass = tf.math.add(
                tf.math.sub(tf.math.maximum(logits, zero), tf.math.mul(logits, targets)),
                tf.math.log(tf.math.add(one, tf.math.exp(tf.math.neg(tf.math.abs(logits))))));
        return tf.math.mean(tf.sum(perClass, tf.constant(1)), tf.constant(0));
    }

    @Override
    public <V extends TNumber> BiFunction<Ops, Operand<V>, Op> outputTransformFunction() {
        return (tf, logits) -> tf.math.sigmoid(logits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmoidLabelConverter;
    }

    @Override
    public int hashCode() {
        return 37;
    }

    @Override
    public String toString() {
        return "SigmoidLabelConverter()";
    }
}
