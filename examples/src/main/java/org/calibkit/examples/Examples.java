package org.calibkit.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every example, in the order a new user would read them, and a {@code main} that runs one or all:
 * {@code java -cp ... org.calibkit.examples.Examples [NAME ...]} writes into
 * {@code example-output/NAME/}.
 */
public final class Examples {
    private Examples() {
    }

    /** Every example with its default inputs. */
    public static List<Example<?>> all() {
        return List.of(
                new CalibrateMnist(),
                new CalibratePythonLogits(),
                new AuditModel(),
                new AuditOnnxModel(),
                new CompareHeads(),
                new SvhnExample(),
                new ShiftSweeps());
    }

    /** The example called {@code name}. */
    public static Example<?> byName(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown example '" + name + "'; known: "
                        + all().stream().map(Example::name).collect(Collectors.joining(", "))));
    }

    /** Runs {@code example} at full size, writing into {@code example-output/NAME/}. */
    static void runFull(Example<?> example) {
        System.out.println("== " + example.name() + ": " + example.description());
        example.run(Example.Setup.full(Path.of("example-output", example.name())));
    }

    /** Runs the named examples (all of them without arguments) at full size. */
    public static void main(String[] args) {
        List<Example<?>> chosen = args.length == 0 ? all() : java.util.Arrays.stream(args).<Example<?>>map(Examples::byName).toList();
        chosen.forEach(Examples::runFull);
    }
}
