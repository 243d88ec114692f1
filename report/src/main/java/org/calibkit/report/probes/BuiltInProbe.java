package org.calibkit.report.probes;

import java.util.Objects;
import java.util.function.Function;

/** A probe made of its name, sentence, kind and a generating function. */
final class BuiltInProbe implements Probe {
    private final String name;
    private final String description;
    private final ProbeKind kind;
    private final Function<ProbeContext, ProbeKind> kindFor;
    private final Function<ProbeContext, ProbeImages> generator;

    BuiltInProbe(String name, String description, ProbeKind kind, Function<ProbeContext, ProbeKind> kindFor,
                 Function<ProbeContext, ProbeImages> generator) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.kindFor = Objects.requireNonNull(kindFor, "kindFor");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    BuiltInProbe(String name, String description, ProbeKind kind, Function<ProbeContext, ProbeImages> generator) {
        this(name, description, kind, ctx -> kind, generator);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ProbeKind kind() {
        return kind;
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
