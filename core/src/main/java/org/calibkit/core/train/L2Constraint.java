package org.calibkit.core.train;

/**
 * The L2-constrained softmax option of the CNN (Ranjan, Castillo and Chellappa 2017, arXiv
 * 1703.09507): the penultimate features are L2-normalised and scaled by alpha before the last
 * dense layer, alpha being a constant or a learned scalar. One value instead of a number and a
 * boolean that had to agree.
 */
public sealed interface L2Constraint {
    /** No constraint: the plain network. */
    static L2Constraint none() {
        return None.INSTANCE;
    }

    /** A constant scale {@code alpha} (> 0, finite). */
    static L2Constraint fixed(double alpha) {
        return new Fixed(alpha);
    }

    /** A learned scale starting at {@code init} (> 0, finite; 16 is the paper's usual start). */
    static L2Constraint learned(double init) {
        return new Learned(init);
    }

    /** The paper's usual learned start: 16. */
    double DEFAULT_LEARNED_INIT = 16;

    /** No constraint. */
    enum None implements L2Constraint {
        /** The one value. */
        INSTANCE;

        @Override
        public String toString() {
            return "off";
        }
    }

    /** A constant alpha. */
    record Fixed(double alpha) implements L2Constraint {
        /** Validates alpha. */
        public Fixed {
            check("alpha", alpha);
        }

        @Override
        public String toString() {
            return Double.toString(alpha);
        }
    }

    /** A learned alpha and its starting value. */
    record Learned(double init) implements L2Constraint {
        /** Validates the start value. */
        public Learned {
            check("learned alpha's start value", init);
        }

        @Override
        public String toString() {
            return "learned";
        }
    }

    private static void check(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("l2: " + what + " must be a finite number > 0, but got " + v);
        }
    }
}
