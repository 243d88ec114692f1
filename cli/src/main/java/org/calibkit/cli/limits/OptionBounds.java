package org.calibkit.cli.limits;

import java.util.Map;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every size-like option has a range it can legitimately take, checked right after parsing and
 * before anything is loaded: {@code --bins 2000000000} or {@code --resamples 2000000000} would
 * otherwise run out of memory with a stack trace, minutes later.
 */
public final class OptionBounds {
    /** Option name to {min, max}; the minimum is documentation (each command checks it in its own words). */
    static final Map<String, long[]> BOUNDS = Map.of(
            "--bins", new long[] {1, 10_000},
            "--resamples", new long[] {0, 100_000},
            "--probe-size", new long[] {1, 1_000_000},
            "--limit", new long[] {1, 100_000_000},
            "--epochs", new long[] {1, 100_000},
            "--batch", new long[] {1, 1 << 20},
            "--threads", new long[] {0, 4096});

    private OptionBounds() {
    }

    /**
     * Checks the options of the command that will run (and of its parents).
     *
     * @throws IllegalArgumentException naming the option, the value and its range (exit code 1: the line parsed)
     */
    public static void check(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                long[] range = BOUNDS.get(o.longestName());
                Object v = o.getValue();
                if (range != null && v instanceof Number n) {
                    long x = n.longValue();
                    // values below the range are each command's own check, with its own words, except --limit,
                    // whose 0 would otherwise look like "all"
                    if (x > range[1] || x < range[0] && o.longestName().equals("--limit")) {
                        throw new IllegalArgumentException(o.longestName() + " must be " + range[0] + " .. " + range[1]
                                + ", but got " + x);
                    }
                }
            }
        }
    }
}
