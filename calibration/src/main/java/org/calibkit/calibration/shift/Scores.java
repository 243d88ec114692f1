package org.calibkit.calibration.shift;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;

/** The per-prediction scores the estimators use, from the softmax of the logits or a calibration map. */
final class Scores {
    /** Inside the log of the entropy, as the ATC authors' {@code get_entropy}: {@code sum p log(p + 1e-20)}. */
    static final double ENTROPY_EPSILON = 1e-20;

    private Scores() {
    }

    /** The softmax, or the map's probabilities when {@code map} is not null. */
    static Probabilities probabilities(Logits z, CalibrationMap map) {
        if (map == null) {
            return z.softmax();
        }
        if (map.numClasses() != z.k()) {
            throw new IllegalArgumentException("the calibration map " + map.describe() + " is for " + map.numClasses()
                    + " classes, but the logits have " + z.k());
        }
        return map.apply(z);
    }

    static double[] maxConfidence(Probabilities p) {
        return p.maxProbability();
    }

    /** {@code sum_k p_k log(p_k + 1e-20)} per row: 0 for a one-hot row, {@code -log K} for a uniform one. */
    static double[] negativeEntropy(Probabilities p) {
        double[] v = p.raw();
        int k = p.k();
        double[] out = new double[p.n()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                double q = v[i * k + j];
                s += q * Math.log(q + ENTROPY_EPSILON);
            }
            out[i] = s;
        }
        return out;
    }

    static boolean[] correct(Probabilities p, int[] labels) {
        int[] pred = p.argmax();
        boolean[] ok = new boolean[pred.length];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = pred[i] == labels[i];
        }
        return ok;
    }

    static void checkFit(Logits validation, int[] labels) {
        if (validation == null) {
            throw new IllegalArgumentException("validation logits must not be null");
        }
        if (validation.n() == 0) {
            throw new IllegalArgumentException("validation logits must hold at least one row");
        }
        Checks.labels("validation labels", labels, validation.n(), validation.k());
    }

    static IllegalArgumentException foreign(String name, Object other) {
        return new IllegalArgumentException("cannot merge an accumulator of " + other + " into one of " + name);
    }

    /** The count of a plain accumulator state of {@code length} numbers (count first), checked. */
    static long stateCount(String name, double[] state, int length) {
        if (state == null || state.length != length) {
            throw new IllegalArgumentException(name + ": expected a state of " + length + " numbers, but got "
                    + (state == null ? "none" : state.length));
        }
        double c = state[0];
        if (!(c >= 0 && c <= 0x1p53 && c == Math.rint(c))) {
            throw new IllegalArgumentException(name + ": a state's count must be a whole number >= 0, but got " + c);
        }
        return (long) c;
    }
}
