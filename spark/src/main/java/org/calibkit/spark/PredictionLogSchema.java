package org.calibkit.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.calibkit.calibration.OutputKind;

/**
 * The columns of a prediction log, one row per prediction:
 * <ul>
 *   <li>{@code id} (required, any type): names the row in error messages;</li>
 *   <li>{@code timestamp} (optional, null when absent);</li>
 *   <li>the model's outputs, either one array column ({@link #outputs()}, array of double or
 *       float, K entries in every row) or K numeric columns ({@link #outputColumns()}, in class
 *       order); their kind is {@link #kind()}: {@code LOGITS} or {@code PROBABILITIES};</li>
 *   <li>{@code label} (optional for reading, required for the metrics): an integer in [0, K);</li>
 *   <li>{@code model} and {@code segment} (optional grouping columns, null when absent).</li>
 * </ul>
 * Immutable; {@link #defaults()} is {@code id}, {@code logits} (array of logits), {@code label}.
 *
 * @param id            the id column
 * @param timestamp     the timestamp column, or null
 * @param outputs       the array column of outputs, or null when {@code outputColumns} is used
 * @param outputColumns the K numeric output columns in class order (empty when {@code outputs} is used)
 * @param label         the label column, or null
 * @param model         the model/version column, or null
 * @param segment       the segment column, or null
 * @param kind          what the outputs are: LOGITS or PROBABILITIES
 */
public record PredictionLogSchema(String id, String timestamp, String outputs, List<String> outputColumns,
                                  String label, String model, String segment, OutputKind kind)
        implements Serializable {

    /** Validates the names (non-blank) and that exactly one outputs layout is given. */
    public PredictionLogSchema {
        requireName("id", id);
        outputColumns = outputColumns == null ? List.of() : List.copyOf(outputColumns);
        if ((outputs == null) == outputColumns.isEmpty()) {
            throw new IllegalArgumentException("Expected exactly one of outputs (an array column) and outputColumns"
                    + " (K numeric columns), but got outputs=" + outputs + ", outputColumns=" + outputColumns);
        }
        if (outputs != null) {
            requireName("outputs", outputs);
        }
        if (!outputColumns.isEmpty() && outputColumns.size() < 2) {
            throw new IllegalArgumentException("Expected at least 2 outputColumns (classes), but got " + outputColumns);
        }
        for (String c : outputColumns) {
            requireName("outputColumns", c);
        }
        Objects.requireNonNull(kind, "kind");
        if (kind != OutputKind.LOGITS && kind != OutputKind.PROBABILITIES) {
            throw new IllegalArgumentException("Expected kind LOGITS or PROBABILITIES, but got " + kind);
        }
    }

    /** {@code id}, the array column {@code logits} of logits, {@code label}; no timestamp, model or segment. */
    public static PredictionLogSchema defaults() {
        return new PredictionLogSchema("id", null, "logits", List.of(), "label", null, null, OutputKind.LOGITS);
    }

    /** The id column. */
    public PredictionLogSchema withId(String c) {
        return new PredictionLogSchema(c, timestamp, outputs, outputColumns, label, model, segment, kind);
    }

    /** The timestamp column (null: none). */
    public PredictionLogSchema withTimestamp(String c) {
        return new PredictionLogSchema(id, c, outputs, outputColumns, label, model, segment, kind);
    }

    /** Outputs in one array column (clears {@link #outputColumns()}). */
    public PredictionLogSchema withOutputs(String c) {
        return new PredictionLogSchema(id, timestamp, c, List.of(), label, model, segment, kind);
    }

    /** Outputs in K numeric columns, in class order (clears {@link #outputs()}). */
    public PredictionLogSchema withOutputColumns(List<String> cs) {
        return new PredictionLogSchema(id, timestamp, null, cs, label, model, segment, kind);
    }

    /** The label column. */
    public PredictionLogSchema withLabel(String c) {
        return new PredictionLogSchema(id, timestamp, outputs, outputColumns, c, model, segment, kind);
    }

    /** The model/version column (null: none). */
    public PredictionLogSchema withModel(String c) {
        return new PredictionLogSchema(id, timestamp, outputs, outputColumns, label, c, segment, kind);
    }

    /** The segment column (null: none). */
    public PredictionLogSchema withSegment(String c) {
        return new PredictionLogSchema(id, timestamp, outputs, outputColumns, label, model, c, kind);
    }

    /** What the outputs are: LOGITS or PROBABILITIES. */
    public PredictionLogSchema withKind(OutputKind k) {
        return new PredictionLogSchema(id, timestamp, outputs, outputColumns, label, model, segment, k);
    }

    /** True when the outputs are one array column. */
    public boolean arrayOutputs() {
        return outputs != null;
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Expected a column name for " + what + ", but got '" + name + "'");
        }
    }
}
