package org.calibkit.report.probes;

import java.util.Objects;
import java.util.function.Function;

import org.calibkit.core.Checks;

/**
 * A probe made of its name, sentence, kind and a generating function.
 *
 * @param kindFor   its kind for a given model and data ({@link Probe#kindFor})
 * @param generator makes its images ({@link Probe#generate})
 */
record BuiltInProbe(String name, String description, ProbeKind kind, Function<ProbeContext, ProbeKind> kindFor,
                    Function<ProbeContext, ProbeImages> generator) implements Probe {
    BuiltInProbe {
        Checks.nonNull("name, description, kind, kindFor, generator", name, description, kind, kindFor, generator);
    }

    BuiltInProbe(String name, String description, ProbeKind kind, Function<ProbeContext, ProbeImages> generator) {
        this(name, description, kind, ctx -> kind, generator);
    }

    @Override
    public ProbeKind kindFor(ProbeContext ctx) {
        return kindFor.apply(ctx);
    }

    @Override
    public ProbeImages generate(ProbeContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        return generator.apply(ctx);
    }

    @Override
    public String toString() {
        return "Probe[" + name + ", " + kind + "]";
    }
}
