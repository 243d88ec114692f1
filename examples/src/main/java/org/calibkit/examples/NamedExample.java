package org.calibkit.examples;

import java.util.Objects;

/**
 * An {@link Example} whose name and one-line description are fixed when it is made: what every
 * example here shares, so each one only says how it {@link #run}s.
 *
 * @param <R> what a run returns
 */
public abstract class NamedExample<R> implements Example<R> {
    private final String name;
    private final String description;

    /**
     * @param name        the short name {@link Examples#main} accepts, e.g. {@code calibrate-mnist}
     * @param description one line saying what the example shows
     */
    protected NamedExample(String name, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }
}
