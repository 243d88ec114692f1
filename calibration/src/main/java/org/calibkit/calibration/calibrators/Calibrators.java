package org.calibkit.calibration.calibrators;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Calibrators by name, with default hyper-parameters. */
public final class Calibrators {
    /** The method names {@link #byName(String)} accepts. */
    public static final List<String> KNOWN = List.of("temperature");

    private Calibrators() {
    }

    /**
     * A calibrator with default hyper-parameters: {@code temperature}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Calibrator byName(String name) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "temperature":
                return new TemperatureScaling();
            default:
                throw new IllegalArgumentException("Unknown calibration method '" + name + "'; known: "
                        + String.join(", ", KNOWN));
        }
    }
}
