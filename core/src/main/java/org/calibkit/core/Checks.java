package org.calibkit.core;

/** Argument checks shared by the records of the library (their compact constructors). */
public final class Checks {
    private Checks() {
    }

    /**
     * Requires every one of {@code values} to be non-null, in order, as {@code Objects.requireNonNull(value, name)}
     * would: the first null one throws a {@link NullPointerException} whose message is its name.
     *
     * @param names  the values' names, separated by ", " ("model, data, test")
     * @param values the values, in the order of {@code names}
     */
    public static void nonNull(String names, Object... values) {
        String[] n = names.split(", ");
        if (n.length != values.length) {
            throw new IllegalArgumentException(n.length + " names (" + names + ") for " + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(n[i]);
            }
        }
    }
}
