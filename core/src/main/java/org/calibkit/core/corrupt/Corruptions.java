package org.calibkit.core.corrupt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of corruption families: {@code mnist-c} (the 15 corruptions of Mu and Gilmer
 * 2019) and {@code cifar-c} (the 10 CIFAR-10-C corruptions of Hendrycks and Dietterich 2019 that
 * apply to small images), each at severities 1..5, named {@code family/corruption/severity}.
 */
public final class Corruptions {
    /** The family names, in order. */
    public static final List<String> FAMILIES = List.of(MnistC.FAMILY, CifarC.FAMILY);

    private static final List<Corruption> ALL = build();

    private Corruptions() {
    }

    private static List<Corruption> build() {
        List<Corruption> all = new ArrayList<>(MnistC.all());
        all.addAll(CifarC.all());
        return List.copyOf(all);
    }

    /** Every corruption of every family, in family order. */
    public static List<Corruption> all() {
        return ALL;
    }

    /** The corruptions of {@code family} ({@code mnist-c} or {@code cifar-c}); empty for another name. */
    public static List<Corruption> family(String family) {
        Objects.requireNonNull(family, "family");
        return ALL.stream().filter(c -> c.family().equals(family)).toList();
    }

    /** The corruption {@code family/name}, if there is one. */
    public static Optional<Corruption> byKey(String key) {
        Objects.requireNonNull(key, "key");
        return ALL.stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /** Every corruption at every severity: 125 points, in family, corruption, severity order. */
    public static List<CorruptionPoint> points() {
        return points(ALL);
    }

    /** Every severity of each of {@code corruptions}. */
    public static List<CorruptionPoint> points(List<Corruption> corruptions) {
        List<CorruptionPoint> out = new ArrayList<>();
        for (Corruption c : corruptions) {
            for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                out.add(new CorruptionPoint(c, s));
            }
        }
        return List.copyOf(out);
    }

    /** Whether {@code name} starts with a family name ({@code mnist-c}, {@code mnist-c/...}). */
    public static boolean isFamilyName(String name) {
        Objects.requireNonNull(name, "name");
        for (String f : FAMILIES) {
            if (name.equals(f) || name.startsWith(f + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The points one or several names select, separated by commas: a family ({@code mnist-c}: all
     * its corruptions at all severities), a corruption ({@code mnist-c/rotate}: its five
     * severities) or one point ({@code mnist-c/rotate/3}); in registry order without repeats.
     *
     * @throws IllegalArgumentException for an empty or unknown name, naming it and listing the known ones
     */
    public static List<CorruptionPoint> select(String spec) {
        Objects.requireNonNull(spec, "spec");
        Set<String> wanted = new LinkedHashSet<>();
        for (String part : spec.split(",", -1)) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            List<CorruptionPoint> hit = resolve(name);
            if (hit.isEmpty()) {
                throw new IllegalArgumentException("unknown corruption '" + part.trim() + "' in '" + spec
                        + "': expected a family (" + String.join(", ", FAMILIES)
                        + "), family/corruption or family/corruption/severity (1.." + Corruption.SEVERITIES
                        + "); corruptions: " + String.join(", ", ALL.stream().map(Corruption::key).toList()));
            }
            hit.forEach(p -> wanted.add(p.name()));
        }
        return points().stream().filter(p -> wanted.contains(p.name())).toList();
    }

    private static List<CorruptionPoint> resolve(String name) {
        if (FAMILIES.contains(name)) {
            return points(family(name));
        }
        Optional<Corruption> c = byKey(name);
        if (c.isPresent()) {
            return points(List.of(c.get()));
        }
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            Optional<Corruption> base = byKey(name.substring(0, slash));
            String sev = name.substring(slash + 1);
            if (base.isPresent() && sev.matches("[1-" + Corruption.SEVERITIES + "]")) {
                return List.of(new CorruptionPoint(base.get(), Integer.parseInt(sev)));
            }
        }
        return List.of();
    }
}
