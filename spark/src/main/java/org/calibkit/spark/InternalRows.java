package org.calibkit.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.calibkit.calibration.OutputKind;

/**
 * A row's outputs read straight from Spark's internal row (field 2 on: one array of doubles, or
 * K double columns; the casts are made by {@link SparkPredictionLog#fold}'s select), checked as
 * {@link Rows} checks external rows, with the same messages.
 */
final class InternalRows {
    private InternalRows() {
    }

    /** Fills {@code out} with the row's K outputs, finite (probabilities in [0, 1] summing to 1). */
    static void outputs(InternalRow r, int k, PredictionLogSchema s, Supplier<String> where, double[] out) {
        boolean prob = s.kind() == OutputKind.PROBABILITIES;
        if (s.arrayOutputs()) {
            if (r.isNullAt(2)) {
                throw Rows.isNull(where, s.outputs(), -1);
            }
            ArrayData a = r.getArray(2);
            if (a.numElements() != k) {
                throw new PredictionLogException(where.get() + ": column " + s.outputs() + " has " + a.numElements()
                        + " entries, expected " + k + " (the number of classes)");
            }
            for (int j = 0; j < k; j++) {
                if (a.isNullAt(j)) {
                    throw Rows.isNull(where, s.outputs(), j);
                }
                out[j] = Rows.checked(a.getDouble(j), prob, where, s.outputs(), j);
            }
        } else {
            for (int j = 0; j < k; j++) {
                if (r.isNullAt(2 + j)) {
                    throw Rows.isNull(where, s.outputColumns().get(j), -1);
                }
                out[j] = Rows.checked(r.getDouble(2 + j), prob, where, s.outputColumns().get(j), -1);
            }
        }
        if (prob) {
            Rows.sumsToOne(out, where, s.arrayOutputs() ? s.outputs() : String.join(",", s.outputColumns()));
        }
    }
}
