package org.calibkit.core.train;

/** The checks the trainers' settings share, each message naming the setting and the value. */
final class HyperParameters {
    private HyperParameters() {
    }

    /** A count such as epochs or batch size: at least 1. */
    static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, but got " + value);
        }
    }

    /** A learning rate: finite and above 0. */
    static void learningRate(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, but got " + rate);
        }
    }

    /** A learning rate: finite and above 0. */
    static void learningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, but got " + rate);
        }
    }
}
