package org.calibkit.calibration.stats;

/** The values of the rows whose flag (an outcome, a correct prediction) is set or not, in row order. */
final class Flagged {
    private Flagged() {
    }

    /** {@code values[i]} of every row with {@code flags[i] == flag}, in row order. */
    static double[] where(double[] values, boolean[] flags, boolean flag) {
        int m = 0;
        for (boolean f : flags) {
            if (f == flag) {
                m++;
            }
        }
        double[] out = new double[m];
        int w = 0;
        for (int i = 0; i < values.length; i++) {
            if (flags[i] == flag) {
                out[w++] = values[i];
            }
        }
        return out;
    }
}
