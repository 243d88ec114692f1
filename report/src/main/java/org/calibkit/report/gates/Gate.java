package org.calibkit.report.gates;

import java.util.Objects;

/**
 * One gate: {@code key op threshold}, e.g. {@code ece>0.05}. The gate <em>fails</em> when the
 * comparison is true of the audit's value (the condition names what must not happen) and holds
 * otherwise.
 *
 * @param key       a key path into the audit JSON (see {@link Gates})
 * @param op        the comparison
 * @param threshold a finite number
 */
public record Gate(String key, Op op, double threshold) {
    /** The comparisons a gate can make. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** As written: {@code >}, {@code >=}, {@code <}, {@code <=}. */
        public String symbol() {
            return symbol;
        }

        /** Whether {@code value op threshold} is true. */
        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }
    }

    public Gate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        if (!Double.isFinite(threshold)) {
            throw new GateException("gate threshold must be a finite number, but got " + threshold);
        }
    }

    @Override
    public String toString() {
        return key + op.symbol + num(threshold);
    }

    /** Six significant digits, no trailing zeros: 0.0367957, 0.5, 1, 0.000072, 100, 1.23457E-9. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros();
        return v == 0 || (Math.abs(v) >= 1e-6 && Math.abs(v) < 1e9) ? d.toPlainString() : d.toString();
    }
}
