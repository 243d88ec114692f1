package org.calibkit.core.data;

import java.util.Objects;

/**
 * Whether a data set can be loaded here without the network, and from where.
 *
 * @param available true when every file the data set needs is on this machine
 * @param source    where it would be read from (a directory), or where it can be acquired from
 * @param hint      what to do to make it available; empty when available
 */
public record Availability(boolean available, String source, String hint) {
    public Availability {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(hint, "hint");
    }

    /** Present at {@code source}. */
    public static Availability here(String source) {
        return new Availability(true, source, "");
    }

    /** Not present; {@code source} says where it can come from, {@code hint} what to run or do. */
    public static Availability missing(String source, String hint) {
        return new Availability(false, source, hint);
    }
}
