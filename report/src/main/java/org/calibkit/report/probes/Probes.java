package org.calibkit.report.probes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** The built-in probes, choosing among them, and running them. */
public final class Probes {
    private static final List<Probe> ALL = build();

    private Probes() {
    }

    private static List<Probe> build() {
        List<Probe> p = new ArrayList<>(List.of(
                SyntheticProbes.blankBlack(),
                SyntheticProbes.blankWhite(),
                SyntheticProbes.constantGrey(),
                SyntheticProbes.noiseUniform(),
                SyntheticProbes.noiseGaussian(),
                TestImageProbes.inverted(),
                TestImageProbes.unscaled(),
                DataSetProbes.notMnist(),
                DataSetProbes.fashionMnist(),
                DataSetProbes.omniglot(),
                DataSetProbes.mnist(),
                DataSetProbes.usps()));
        for (int a : TestImageProbes.ANGLES) {
            p.add(TestImageProbes.rotated(a));
        }
        for (int s : TestImageProbes.SHIFTS) {
            p.add(TestImageProbes.shifted(s));
        }
        return List.copyOf(p);
    }

    /** Every built-in probe, in report order: no signal, preprocessing, other data sets, growing shift. */
    public static List<Probe> all() {
        return ALL;
    }

    /** The names of {@link #all()}, in order. */
    public static List<String> names() {
        return ALL.stream().map(Probe::name).toList();
    }

    /**
     * The probes a {@code --probes} value names: {@code all}, or names separated by commas
     * (spaces around them ignored), returned in report order without repeats. A name may also be a
     * corruption family or part of one ({@code mnist-c}, {@code mnist-c/rotate},
     * {@code mnist-c/rotate/3}, {@code cifar-c}...: {@link CorruptionProbes}); those follow the
     * built-in probes, in family order. {@code all} is the built-in probes only.
     *
     * @throws IllegalArgumentException for an empty list or an unknown name, listing the known names
     */
    public static List<Probe> select(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.trim().toLowerCase(Locale.ROOT).equals("all")) {
            return ALL;
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> families = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String name = part.trim();
            if (!org.calibkit.core.Messages.printable(part).equals(part)) { // before trim(), which drops them; escaped
                throw new IllegalArgumentException("probe name '" + org.calibkit.core.Messages.printable(part.strip())
                        + "' contains control characters; probe names are printable (known: " + String.join(", ", names()) + ")");
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("probes must be 'all' or names separated by commas, but got '" + spec
                        + "' (an empty name); known: " + String.join(", ", names()));
            }
            if (org.calibkit.core.corrupt.Corruptions.isFamilyName(name)) {
                families.add(name);
                continue;
            }
            if (!names().contains(name)) {
                throw new IllegalArgumentException("unknown probe '" + name + "' in '" + spec + "'; known: "
                        + String.join(", ", names()) + " (or all), or a corruption family: mnist-c, cifar-c, "
                        + "family/corruption, family/corruption/severity");
            }
            wanted.add(name);
        }
        List<Probe> out = new ArrayList<>(ALL.stream().filter(p -> wanted.contains(p.name())).toList());
        if (!families.isEmpty()) {
            out.addAll(CorruptionProbes.select(String.join(",", families)));
        }
        return List.copyOf(out);
    }

    /**
     * Generates every probe in {@code probes} for the model of {@code ctx}, in order. A probe that
     * throws {@link ProbeUnavailableException} becomes a skipped outcome whose reason is the
     * exception's message; any other exception (e.g. a damaged data file) is thrown as it is.
     * Writes one line per probe to {@code progress}: its size and time, or why it was skipped.
     *
     * <p>The probes are generated in parallel (each probe draws from its own seeded stream and the
     * context is immutable, so the images do not depend on the threads); the outcomes and the
     * progress lines, written once all are done, come in the order of {@code probes}.
     */
    public static List<ProbeOutcome> generate(List<Probe> probes, ProbeContext ctx, Consumer<String> progress) {
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(progress, "progress");
        // a parallel stream: on two cores the caller and the common pool's one worker; the list
        // keeps the probes' order. A probe's exception is carried back and thrown here, the same
        // instance (a stream would re-wrap one thrown on another thread), the first in order.
        List<Generated> done = probes.size() > 1 && Runtime.getRuntime().availableProcessors() > 1
                ? probes.parallelStream().map(p -> generateOne(p, ctx)).toList()
                : probes.stream().map(p -> generateOne(p, ctx)).toList();
        List<ProbeOutcome> out = new ArrayList<>(probes.size());
        for (Generated g : done) {
            if (g.failure() != null) {
                throw g.failure();
            }
            progress.accept(g.line());
            out.add(g.outcome());
        }
        return out;
    }

    /** One probe's outcome and its progress line, or the exception it threw. */
    private record Generated(ProbeOutcome outcome, String line, RuntimeException failure) {
    }

    private static Generated generateOne(Probe p, ProbeContext ctx) {
        long t0 = System.nanoTime();
        try {
            ProbeImages images = p.generate(ctx);
            return new Generated(new ProbeOutcome(p.name(), images.kind(), images.description(), images, null),
                    String.format(Locale.ROOT, "probe %s: %d images, %s (%.0f ms)", p.name(),
                            images.images().size(), ProbeSupport.shape(images.images().channels(),
                                    images.images().height(), images.images().width()), (System.nanoTime() - t0) / 1e6), null);
        } catch (ProbeUnavailableException e) {
            return new Generated(new ProbeOutcome(p.name(), p.kindFor(ctx), p.description(), null, e.getMessage()),
                    "probe " + p.name() + ": skipped: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Generated(null, null, e);
        }
    }
}
