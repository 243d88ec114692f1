package org.calibkit.calibration;

import java.util.Objects;

/**
 * Argument validation shared by the calibration module. Every message names the argument,
 * the offending value and, for arrays, the row.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Checks labels against n rows and k classes.
     *
     * @throws IllegalArgumentException naming the first label out of {@code [0, k)} and its row,
     *                                  or a length mismatch
     */
    public static void labels(String name, int[] labels, int n, int k) {
        if (labels == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("Expected " + name + " to have " + n
                    + " entries (one per row), but got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("Expected " + name + " in [0, " + k + "), but got "
                        + labels[i] + " at row " + i);
            }
        }
    }

    /**
     * Checks that {@code values} (logits or probabilities, {@code what} naming them in the
     * NullPointerException) are given and that {@code labels} holds one label in [0, K) per row.
     */
    public static void labelled(String what, RowMajor values, int[] labels) {
        Objects.requireNonNull(values, what);
        labels("labels", labels, values.n(), values.k());
    }

    /**
     * Checks that per-row {@code values} and {@code flags} (e.g. confidences and correctness) are
     * given and of the same length.
     */
    public static void sameLength(String valuesName, double[] values, String flagsName, boolean[] flags) {
        Objects.requireNonNull(values, valuesName);
        Objects.requireNonNull(flags, flagsName);
        lengthsMatch(valuesName, values, flagsName, flags);
    }

    /** As {@link #sameLength}, and {@code values} has at least one entry (checked before the lengths). */
    public static void nonEmptySameLength(String valuesName, double[] values, String flagsName, boolean[] flags) {
        Objects.requireNonNull(values, valuesName);
        Objects.requireNonNull(flags, flagsName);
        if (values.length == 0) {
            throw new IllegalArgumentException("Expected " + valuesName + " to have at least one entry, but got 0");
        }
        lengthsMatch(valuesName, values, flagsName, flags);
    }

    private static void lengthsMatch(String valuesName, double[] values, String flagsName, boolean[] flags) {
        if (values.length != flags.length) {
            throw new IllegalArgumentException("Expected " + valuesName + " and " + flagsName
                    + " to have the same length, but got " + values.length + " and " + flags.length);
        }
    }

    /** @throws IllegalArgumentException unless {@code value > 0} */
    public static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Expected " + name
                    + " to be an integer larger than 0, but got " + value);
        }
    }

    /** @throws IllegalArgumentException unless value is finite and {@code > 0} */
    public static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Expected " + name
                    + " to be a finite number larger than 0, but got " + value);
        }
    }
}
