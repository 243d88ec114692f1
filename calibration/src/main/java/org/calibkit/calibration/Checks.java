package org.calibkit.calibration;

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
